"""The provider's page of calendar sources: add (with a preview), status, sync now, remove.
Only the provider's managers (the URLs are secrets)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import permissions
from app.calendars.imports import service
from app.calendars.imports.blueprint import bp
from app.calendars.imports.forms import ALL_SPACES, CalendarSourceForm
from app.calendars.imports.models import CalendarSource
from app.domain import DomainError
from app.extensions import db
from app.rendering import form_error_status, render, see_other
from app.spaces.models import Provider, Space
from app.spaces.service.notifications import format_slot


def get_provider_or_404(slug: str) -> Provider:
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
    if provider is None:
        abort(404)
    permissions.require_provider_manager(provider)
    return provider


def get_source_or_404(source_id: int) -> CalendarSource:
    source = db.session.get(CalendarSource, source_id)
    if source is None:
        abort(404)
    permissions.require_provider_manager(source.provider)
    return source


def _page(provider: Provider, form: CalendarSourceForm, *, status: int = 200, preview=None):
    sources = service.sources_of(provider)
    return render(
        "calendars/imports/sources.html",
        "add_form",
        status=status,
        provider=provider,
        form=form,
        sources=sources,
        collisions={s.id: service.collisions(s) for s in sources},
        error_message=service.error_message,
        format_slot=format_slot,
        preview=preview,
        preview_days=service.PREVIEW_DAYS,
    )


def _chosen_space(provider: Provider, form: CalendarSourceForm) -> Space | None:
    if form.space.data == ALL_SPACES:
        return None
    return next(s for s in provider.spaces if s.slug == form.space.data)


def _busy_message(count: int, days: int) -> str:
    return ngettext(
        "%(num)d zajęty termin w ciągu %(days)d dni.",
        "%(num)d zajętych terminów w ciągu %(days)d dni.",
        count,
        days=days,
    )


@bp.route("/udostepniajacy/<slug>/kalendarze", methods=["GET", "POST"])
@login_required
def sources(slug: str):
    provider = get_provider_or_404(slug)
    form = CalendarSourceForm()
    form.set_spaces(provider)
    if request.method == "GET":
        form.space.data = request.args.get("przestrzen", ALL_SPACES)
        return _page(provider, form)
    if not form.validate_on_submit():
        return _page(provider, form, status=form_error_status())
    try:
        if request.form.get("action") == "preview":
            outcome = service.preview(
                form.url.data, transparent_is_busy=form.transparent_is_busy.data
            )
            days = service.PREVIEW_DAYS
            return _page(provider, form, preview=_busy_message(outcome.within(days), days))
        source, outcome = service.add_source(
            provider,
            url=form.url.data,
            space=_chosen_space(provider, form),
            transparent_is_busy=form.transparent_is_busy.data,
            user=current_user,
        )
    except DomainError as error:
        getattr(form, error.field or "url").errors.append(str(error.message))
        return _page(provider, form, status=form_error_status())
    days = service.PREVIEW_DAYS
    message = _("Dodano kalendarz %(url)s.", url=source.masked_url)
    message += " " + _busy_message(outcome.within(days), days)
    if colliding := len(service.collisions(source)):
        message += " " + ngettext(
            "Koliduje z %(num)d potwierdzoną rezerwacją: przenieś ją albo odwołaj z powodem "
            "(lista poniżej).",
            "Koliduje z %(num)d potwierdzonymi rezerwacjami: przenieś je albo odwołaj z powodem "
            "(lista poniżej).",
            colliding,
        )
    flash(message, "warning" if colliding else "success")
    return see_other(url_for("calendar_imports.sources", slug=provider.slug))


@bp.post("/kalendarze/<int:source_id>/synchronizuj")
@login_required
def sync_now(source_id: int):
    source = get_source_or_404(source_id)
    outcome = service.download(
        source.url,
        transparent_is_busy=source.transparent_is_busy,
        etag=source.etag,
        last_modified=source.last_modified,
    )
    service.apply_outcome(source, outcome)
    if outcome.ok:
        flash(_("Pobrano kalendarz %(url)s.", url=source.masked_url), "success")
    else:
        flash(
            _(
                "Nie udało się pobrać kalendarza %(url)s: %(error)s Zostają poprzednie zajęte "
                "terminy.",
                url=source.masked_url,
                error=service.error_message(outcome.error, outcome.status),
            ),
            "error",
        )
    return see_other(url_for("calendar_imports.sources", slug=source.provider.slug))


@bp.post("/kalendarze/<int:source_id>/usun")
@login_required
def remove(source_id: int):
    source = get_source_or_404(source_id)
    slug, masked = source.provider.slug, source.masked_url
    service.remove_source(source)
    flash(
        _("Usunięto kalendarz %(url)s; jego zajęte terminy już nie blokują.", url=masked), "success"
    )
    return see_other(url_for("calendar_imports.sources", slug=slug))
