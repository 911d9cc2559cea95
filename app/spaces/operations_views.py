"""Day-to-day routes: the inbox (one provider's, or every provider a manager manages) with
approve / decline in place, bookings the provider's staff enter, the reminder's one-click
answers (no login: a signed link) and the provider's no-show rule and bans."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render, render_form_error, see_other, wants_fragment
from app.spaces import service
from app.spaces.blueprint import bp
from app.spaces.forms import ReasonForm
from app.spaces.models import BookingStatus, Space, SpaceBan
from app.spaces.operations_forms import EnterBookingForm, ProviderRulesForm
from app.spaces.provider_views import get_provider_or_404
from app.spaces.views import _prefill, _request_from, get_series_or_404


@bp.record_once
def _template_helpers(state):
    state.app.jinja_env.globals.update(on_behalf_label=service.on_behalf_label)


def _page_arg() -> int:
    value = request.args.get("strona", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


# --- the inbox -------------------------------------------------------------------------------


@bp.get("/udostepniajacy/<slug>/wnioski")
@login_required
def inbox(slug: str):
    provider = get_provider_or_404(slug)
    page = service.inbox_page([provider.id], _page_arg())
    return render(
        "spaces/inbox.html",
        "cards",
        provider=provider,
        inbox=page,
        combined=False,
        here=url_for("spaces.inbox", slug=slug),
        reason_form=ReasonForm(formdata=None),
    )


@bp.get("/wnioski")
@login_required
def my_inbox():
    """All pending requests of every provider the user manages (nothing for anyone else)."""
    providers = permissions.user_providers(current_user)
    page = service.inbox_page([p.id for p in providers], _page_arg())
    return render(
        "spaces/inbox.html",
        "cards",
        provider=None,
        providers=providers,
        inbox=page,
        combined=True,
        here=url_for("spaces.my_inbox"),
        reason_form=ReasonForm(formdata=None),
    )


def _back_to() -> str:
    target = request.form.get("next", "")
    if target.startswith("/przestrzenie/") and "//" not in target and "\\" not in target:
        return target
    return url_for("spaces.my_inbox")


def _card_answer(access, *, error: str = "", status: int = 200, done: str = "", form=None):
    """The card again: with htmx only the card (the message in it, and a success in the
    page's message region too); without JavaScript a refusal is the card on its own page."""
    card = None
    if not done:
        [card] = service.inbox_page(
            [access.series.space.provider_id], series_ids=[access.series.id]
        ).cards or [None]
    return render(
        "spaces/inbox_decision.html",
        "card",
        status=status,
        card=card,
        series=access.series,
        combined=request.form.get("combined") == "1",
        here=_back_to(),
        error=error,
        done=done,
        reason_form=form or ReasonForm(formdata=None),
    )


def _decide(series_id: int, decision, done_message: str, form=None):
    access = get_series_or_404(series_id, check="provider")
    pending = [
        b
        for b in access.series.occurrences
        if b.status == BookingStatus.PENDING and b.ends_at > utcnow()
    ]
    try:
        decision(pending)
    except DomainError as error:
        return _card_answer(access, error=error.message, status=error.status, form=form)
    flash(done_message, "success")
    if wants_fragment():
        return _card_answer(access, done=done_message)
    return see_other(_back_to())


@bp.post("/wnioski/<int:series_id>/zatwierdz")
@login_required
def inbox_approve(series_id: int):
    return _decide(
        series_id,
        lambda pending: service.approve(pending, current_user),
        _("Zatwierdzono."),
    )


@bp.post("/wnioski/<int:series_id>/odrzuc")
@login_required
def inbox_decline(series_id: int):
    form = ReasonForm()
    if not form.validate_on_submit():
        access = get_series_or_404(series_id, check="provider")
        return _card_answer(access, error=_("Podaj powód odmowy."), status=422, form=form)
    return _decide(
        series_id,
        lambda pending: service.decline(pending, current_user, form.reason.data),
        _("Odrzucono."),
        form,
    )


# --- bookings the provider's staff enter ------------------------------------------------------


def _enter_form(provider) -> EnterBookingForm:
    form = EnterBookingForm()
    spaces = db.session.scalars(
        sa.select(Space)
        .where(Space.provider_id == provider.id, Space.active.is_(True))
        .order_by(Space.name)
    ).all()
    form.space.choices = [SelectChoice(s.id, s.name) for s in spaces]
    organisations = db.session.execute(
        sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    form.organisation.choices = [SelectChoice(0, _("— wydarzenie własne (bez organizacji) —"))] + [
        SelectChoice(o.id, o.name) for o in organisations
    ]
    return form


@bp.route("/udostepniajacy/<slug>/wpisz-rezerwacje", methods=["GET", "POST"])
@login_required
def enter_booking(slug: str):
    """A booking the provider's staff enter: an organisation's phone or e-mail request, or
    a slot for their own event. Approved at once, under the same rules and constraint."""
    provider = get_provider_or_404(slug)
    form = _enter_form(provider)
    if request.method == "GET":
        _prefill(form)
        with_space = request.args.get("space", "")
        if with_space.isdigit():
            form.space.data = int(with_space)
    context = {"provider": provider, "form": form, "error": None, "conflicts": ()}
    if request.method == "GET":
        return render("spaces/enter_booking.html", "form", **context)
    if not form.validate_on_submit():
        return render_form_error("spaces/enter_booking.html", "form", **context)
    space = db.session.get(Space, form.space.data)
    if space is None or space.provider_id != provider.id:
        abort(404)
    organisation = None
    if form.organisation.data:
        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None:
            abort(404)
    try:
        series = service.enter_booking(
            space, organisation, current_user, _request_from(form), via=form.via.data
        )
    except service.BookingConflict as conflict:
        context.update(error=conflict.message, conflicts=conflict.conflicts)
        return render("spaces/enter_booking.html", "form", status=409, **context)
    except DomainError as error:
        context["error"] = error.message
        return render_form_error("spaces/enter_booking.html", "form", **context)
    flash(
        _("Zapisano wydarzenie własne.")
        if organisation is None
        else _("Zapisano rezerwację w imieniu organizacji; organizacja dostała wiadomość."),
        "success",
    )
    return see_other(url_for("spaces.series_detail", series_id=series.id))


# --- the reminder's one-click answers (a signed link, no login) --------------------------------


def get_booking_by_token_or_404(token: str):
    booking = service.booking_from_token(token)
    if booking is None:
        abort(404)
    return booking


def _reminder_page(booking, token, *, status=200, error="", done=""):
    return render(
        "spaces/reminder.html",
        "answer",
        status=status,
        booking=booking,
        series=booking.series,
        token=token,
        error=error,
        done=done,
        now=utcnow(),
    )


@bp.get("/przypomnienie/<token>")
def reminder_answer(token: str):
    """The link in the reminder shows the two buttons; only a POST changes anything, so a
    mail scanner following the link does no harm."""
    return _reminder_page(get_booking_by_token_or_404(token), token)


@bp.post("/przypomnienie/<token>/potwierdzam")
def reminder_confirm(token: str):
    booking = get_booking_by_token_or_404(token)
    try:
        service.confirm_attendance(booking)
    except DomainError as error:
        return _reminder_page(booking, token, status=error.status, error=error.message)
    return _reminder_page(booking, token, done=_("Dziękujemy: potwierdzono, że skorzystacie."))


@bp.post("/przypomnienie/<token>/zwalniam")
def reminder_release(token: str):
    booking = get_booking_by_token_or_404(token)
    try:
        service.release_by_organisation(booking)
    except DomainError as error:
        return _reminder_page(booking, token, status=error.status, error=error.message)
    return _reminder_page(
        booking,
        token,
        done=_("Termin zwolniony. Dziękujemy: udostępniający i czekający dostali wiadomość."),
    )


# --- the provider's no-show rule and bans ------------------------------------------------------


def _rules_page(provider, form, *, status=200):
    return render(
        "spaces/provider_rules.html",
        status=status,
        provider=provider,
        form=form,
        bans=service.provider_bans(provider),
        default_days=service.operations.pending_reminder_days(provider)
        if provider.pending_reminder_days is None
        else None,
    )


@bp.route("/udostepniajacy/<slug>/nieobecnosci", methods=["GET", "POST"])
@login_required
def provider_rules(slug: str):
    provider = get_provider_or_404(slug)
    if request.method == "GET":
        return _rules_page(provider, ProviderRulesForm(obj=provider))
    form = ProviderRulesForm()
    if not form.validate_on_submit():
        return _rules_page(provider, form, status=400)
    provider.no_show_limit = form.no_show_limit.data
    provider.no_show_ban_days = form.no_show_ban_days.data
    provider.pending_reminder_days = form.pending_reminder_days.data
    flash(_("Zapisano zasady nieobecności i przypomnień."), "success")
    return see_other(url_for("spaces.provider_rules", slug=slug))


@bp.post("/blokady/<int:ban_id>/znies")
@login_required
def lift_ban(ban_id: int):
    ban = db.session.get(SpaceBan, ban_id)
    if ban is None:
        abort(404)
    permissions.require_provider_manager(ban.provider, staff_ok=True)
    try:
        service.lift_ban(ban, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Blokada zniesiona."), "success")
    return see_other(url_for("spaces.provider_rules", slug=ban.provider.slug))
