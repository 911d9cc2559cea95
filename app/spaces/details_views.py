"""Routes of a space's photos and practical details, cost estimates, fee waivers, the
provider's settlement and the holiday presets."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask import Response, abort, flash, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import permissions
from app.domain import DomainError
from app.extensions import db
from app.inputs import parse_date
from app.organisations.models import Organisation
from app.rendering import render, render_form_error, see_other
from app.spaces.blueprint import bp
from app.spaces.details_forms import (
    AltTextForm,
    DetailsForm,
    PeriodForm,
    PhotoForm,
    PresetForm,
    WaiverDecisionForm,
    WaiverForm,
)
from app.spaces.details_models import SpacePhoto, WaiverStatus
from app.spaces.models import Recurrence
from app.spaces.provider_views import get_provider_or_404
from app.spaces.service import details as details_service
from app.spaces.service import fees, holiday_presets, photos
from app.spaces.service.availability import occurrence_days, slot_for, uses_school_weeks
from app.spaces.views import get_series_or_404, get_space_or_404, series_page
from app.timeutil import local_today, to_local

ONE_YEAR = 365 * 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@bp.record_once
def _template_helpers(state):
    state.app.jinja_env.globals.update(
        space_photos=photos.photos_of,
        space_details=fees.details_of,
        series_estimate=fees.series_estimate,
        fee_waiver=fees.waiver_of,
        can_see_access=details_service.can_see_access,
        ab_week=holiday_presets.ab_week,
        ab_week_at=lambda moment: holiday_presets.ab_week(to_local(moment).date()),
        form_estimate=lambda space: request_estimate(space, request.values),
    )


# --- photos ----------------------------------------------------------------------------------


def _serve(token: str, thumb: bool):
    if not TOKEN.match(token):
        abort(404)
    photo = db.session.scalar(sa.select(SpacePhoto).where(SpacePhoto.token == token))
    if photo is None or not photo.space.active:
        abort(404)
    name = photo.thumb_filename if thumb else photo.filename
    response = send_from_directory(photos.upload_folder(), name, mimetype="image/jpeg")
    # The token names one version of one file forever (a new upload gets a new token).
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/zdjecia/<token>.jpg")
def photo_file(token: str):
    return _serve(token, thumb=False)


@bp.get("/zdjecia/<token>/miniatura.jpg")
def photo_thumb(token: str):
    return _serve(token, thumb=True)


def _photos_page(space, form, *, status=200):
    return render(
        "spaces/photos.html",
        "photos",
        status=status,
        space=space,
        form=form,
        photos=photos.photos_of(space),
        alt_form=AltTextForm(),
    )


@bp.route("/sala/<slug>/zdjecia", methods=["GET", "POST"])
@login_required
def space_photos_edit(slug: str):
    space = get_space_or_404(slug, check="manage")
    form = PhotoForm()
    if request.method == "GET":
        return _photos_page(space, form)
    if not form.validate_on_submit():
        return render_form_error("spaces/photos.html", "photos", **_photo_context(space, form))
    upload = form.photo.data
    data = upload.read(photos.DEFAULT_MAX_BYTES * 4 + 1) if upload else b""
    try:
        photos.add_photo(space, data, form.alt_text.data)
    except DomainError as error:
        getattr(form, error.field or "photo").errors = [error.message]
        return render_form_error("spaces/photos.html", "photos", **_photo_context(space, form))
    flash(_("Zdjęcie dodane."), "success")
    return see_other(url_for("spaces.space_photos_edit", slug=space.slug))


def _photo_context(space, form):
    return {
        "space": space,
        "form": form,
        "photos": photos.photos_of(space),
        "alt_form": AltTextForm(),
    }


def get_photo_or_404(photo_id: int) -> SpacePhoto:
    photo = db.session.get(SpacePhoto, photo_id)
    if photo is None:
        abort(404)
    permissions.require_provider_manager(photo.space.provider, staff_ok=True)
    return photo


@bp.post("/zdjecia-przestrzeni/<int:photo_id>/usun")
@login_required
def delete_photo(photo_id: int):
    photo = get_photo_or_404(photo_id)
    slug = photo.space.slug
    photos.delete_photo(photo)
    flash(_("Zdjęcie usunięte."), "success")
    return see_other(url_for("spaces.space_photos_edit", slug=slug))


@bp.post("/zdjecia-przestrzeni/<int:photo_id>/przesun")
@login_required
def move_photo(photo_id: int):
    photo = get_photo_or_404(photo_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    photos.move_photo(photo, direction)
    flash(_("Kolejność zdjęć zmieniona."), "success")
    return see_other(url_for("spaces.space_photos_edit", slug=photo.space.slug))


@bp.post("/zdjecia-przestrzeni/<int:photo_id>/opis")
@login_required
def photo_alt_text(photo_id: int):
    photo = get_photo_or_404(photo_id)
    form = AltTextForm()
    if not form.validate_on_submit():
        context = _photo_context(photo.space, PhotoForm(formdata=None))
        context.update(alt_form=form, alt_error_for=photo.id)
        return render_form_error("spaces/photos.html", "photos", **context)
    photos.update_alt_text(photo, form.alt_text.data)
    flash(_("Opis zdjęcia zapisany."), "success")
    return see_other(url_for("spaces.space_photos_edit", slug=photo.space.slug))


# --- details ---------------------------------------------------------------------------------


@bp.route("/sala/<slug>/szczegoly", methods=["GET", "POST"])
@login_required
def space_details_edit(slug: str):
    space = get_space_or_404(slug, check="manage")
    details = details_service.details_for_edit(space)
    form = DetailsForm(obj=details if request.method == "GET" else None)
    if request.method == "GET":
        return render("spaces/details_form.html", "form", space=space, form=form)
    if not form.validate_on_submit():
        return render_form_error("spaces/details_form.html", "form", space=space, form=form)
    values = {}
    for name, field in details_service.DetailsInput.__dataclass_fields__.items():
        value = getattr(form, name).data
        values[name] = value if value is not None or field.default is None else ""
    data = details_service.DetailsInput(**values)
    details_service.save_details(space, data)
    flash(_("Szczegóły przestrzeni zapisane."), "success")
    return see_other(url_for("spaces.space_detail", slug=space.slug))


# --- cost estimate ---------------------------------------------------------------------------


def request_estimate(space, args) -> fees.Estimate | None:
    """The estimate for the request form's values (``args``: the form or the query string);
    None when the space is free of charge or the values do not make a slot yet."""
    if not fees.is_fee_space(space):
        return None
    day = parse_date(args.get("day", ""))
    try:
        start = _time(args.get("start"))
        end = _time(args.get("end"))
        recurrence = Recurrence(args.get("recurrence") or "once")
        count = int(args.get("count") or 0) or None
        quantity = max(1, min(int(args.get("quantity") or 1), space.stock))
    except ValueError:
        return None
    if day is None or start is None or end is None or not (start < end):
        return None
    until = parse_date(args.get("until", "")) if recurrence != Recurrence.ONCE else None
    if recurrence != Recurrence.ONCE and not until and not count:
        count = 1
    days = occurrence_days(
        recurrence,
        day,
        until=until,
        count=count if recurrence != Recurrence.ONCE else None,
        school_weeks=uses_school_weeks(space),
    )
    organisation = None
    organisation_id = args.get("organisation", "")
    if organisation_id.isdigit():
        candidate = db.session.get(Organisation, int(organisation_id))
        if candidate is not None and permissions.is_member(current_user, candidate):
            organisation = candidate
    slots = [slot_for(d, start, end) for d in days[:60]]
    return fees.estimate(space, organisation, slots, quantity=quantity)


def _time(value):
    from datetime import time

    if not value:
        return None
    return time.fromisoformat(value)


@bp.get("/sala/<slug>/koszt")
@login_required
def cost_estimate(slug: str):
    space = get_space_or_404(slug)
    return render(
        "spaces/_estimate.html",
        estimate=request_estimate(space, request.args),
        space=space,
        live_url=url_for("spaces.cost_estimate", slug=space.slug),
    )


# --- free of charge --------------------------------------------------------------------------


@bp.post("/rezerwacje/<int:series_id>/bez-oplat")
@login_required
def request_fee_waiver(series_id: int):
    access = get_series_or_404(series_id, check="ngo")
    form = WaiverForm()
    if not form.validate_on_submit():
        return series_page(
            access,
            status=422 if request.headers.get("HX-Request") else 400,
            error=_("Napisz, dlaczego prosisz o bezpłatne udostępnienie."),
            waiver_form=form,
        )
    try:
        fees.request_waiver(access.series, form.reason.data)
    except DomainError as error:
        return series_page(access, status=error.status, error=error.message, waiver_form=form)
    _mail_waiver(access.series, "asked")
    flash(_("Prośba o bezpłatne udostępnienie wysłana do udostępniającego."), "success")
    return see_other(url_for("spaces.series_detail", series_id=series_id))


@bp.post("/rezerwacje/<int:series_id>/bez-oplat/decyzja")
@login_required
def decide_fee_waiver(series_id: int):
    access = get_series_or_404(series_id, check="provider")
    form = WaiverDecisionForm()
    waiver = fees.waiver_of(access.series)
    if waiver is None:
        abort(404)
    if not form.validate_on_submit() or form.decision.data not in ("grant", "refuse"):
        return series_page(access, status=400, error=_("Wybierz decyzję."))
    try:
        fees.decide_waiver(
            waiver, current_user, grant=form.decision.data == "grant", note=form.note.data
        )
    except DomainError as error:
        return series_page(access, status=error.status, error=error.message)
    _mail_waiver(access.series, "granted" if waiver.status == WaiverStatus.GRANTED else "refused")
    flash(
        _("Zgoda na bezpłatne udostępnienie zapisana.")
        if waiver.status == WaiverStatus.GRANTED
        else _("Odmowa zapisana."),
        "success",
    )
    return see_other(url_for("spaces.series_detail", series_id=series_id))


WAIVER_SUBJECTS = {
    "asked": _l("Prośba o bezpłatne udostępnienie sali"),
    "granted": _l("Zgoda na bezpłatne udostępnienie sali"),
    "refused": _l("Odmowa bezpłatnego udostępnienia sali"),
}


def _mail_waiver(series, event: str) -> None:
    """The provider's managers hear of a request, the organisation of the decision."""
    from app.mail import send_mail
    from app.spaces.service.notifications import (
        format_slot,
        organisation_recipients,
        provider_recipients,
    )

    waiver = fees.waiver_of(series)
    recipients = (
        provider_recipients(series.space.provider_id)
        if event == "asked"
        else organisation_recipients(series.organisation_id)
    )
    url = url_for("spaces.series_detail", series_id=series.id, _external=True)
    for user in recipients:
        send_mail(
            user.email,
            WAIVER_SUBJECTS[event],
            "spaces/mail/fee_waiver.txt",
            locale=user.locale,
            topic=f"fee-waiver:{series.id}:{event}:{waiver.id}",
            series=series,
            waiver=waiver,
            event=event,
            url=url,
            format_slot=format_slot,
        )


# --- settlement ------------------------------------------------------------------------------


def _period(form: PeriodForm) -> tuple[date, date]:
    first, last = fees.default_period(local_today())
    if form.validate():
        first = form.od.data or first
        last = form.do.data or last
    if last < first:
        first, last = last, first
    return first, last


@bp.get("/udostepniajacy/<slug>/rozliczenie")
@login_required
def settlement(slug: str):
    provider = get_provider_or_404(slug)
    form = PeriodForm(request.args)
    first, last = _period(form)
    result = fees.settlement(provider, first, last)
    return render(
        "spaces/settlement.html",
        "results",
        provider=provider,
        form=form,
        settlement=result,
        invoice_address=fees.invoice_address,
    )


@bp.get("/udostepniajacy/<slug>/rozliczenie.csv")
@login_required
def settlement_csv(slug: str):
    provider = get_provider_or_404(slug)
    first, last = _period(PeriodForm(request.args))
    body = fees.settlement_csv(fees.settlement(provider, first, last))
    name = f"rozliczenie-{provider.slug}-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        "\ufeff" + body,  # a BOM, so a spreadsheet reads the Polish letters as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- holiday presets -------------------------------------------------------------------------


def _presets_page(provider, preset: str | None, *, status=200, added=None):
    today = local_today()
    items = holiday_presets.preset_items(provider, preset, today) if preset else None
    return render(
        "spaces/holiday_presets.html",
        "preview",
        status=status,
        provider=provider,
        presets=holiday_presets.PRESETS,
        preset_label=holiday_presets.preset_label,
        preset=preset,
        items=items,
        form=PresetForm(preset=preset),
        school_year=holiday_presets.current_or_next_school_year(today),
    )


@bp.get("/udostepniajacy/<slug>/swieta")
@login_required
def holiday_presets_page(slug: str):
    provider = get_provider_or_404(slug)
    preset = request.args.get("zestaw")
    if preset not in holiday_presets.PRESETS:
        preset = None
    return _presets_page(provider, preset)


@bp.post("/udostepniajacy/<slug>/swieta")
@login_required
def apply_holiday_preset(slug: str):
    provider = get_provider_or_404(slug)
    form = PresetForm()
    if not form.validate_on_submit() or form.preset.data not in holiday_presets.PRESETS:
        return _presets_page(provider, None, status=400)
    added = holiday_presets.apply_preset(provider, form.preset.data, local_today())
    if added:
        flash(
            ngettext("Dodano %(num)d zamknięcie.", "Dodano %(num)d zamknięć.", len(added)),
            "success",
        )
    else:
        flash(_("Wszystkie te dni były już zamknięte – nic nie dodano."), "info")
    return see_other(
        url_for("spaces.holiday_presets_page", slug=provider.slug, zestaw=form.preset.data)
    )
