"""Provider routes: decisions on requests, the inbox, occupancy, barter, a space's rules,
hours and closures, and the provider's own spaces."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import permissions
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import form_error_status, render, render_form_error, see_other, wants_fragment
from app.spaces import service
from app.spaces.blueprint import bp
from app.spaces.forms import (
    ClosureForm,
    DeliveryForm,
    SpaceDescriptionForm,
    SpaceSettingsForm,
)
from app.spaces.models import (
    BarterDelivery,
    BookingStatus,
    Closure,
    ClosureReason,
    Provider,
    Space,
    SpaceKind,
    TermsKind,
)
from app.spaces.views import (
    _week_arg,
    booking_outcome,
    get_booking_or_404,
    get_series_or_404,
    get_space_or_404,
    reasoned_outcome,
    selected_occurrences,
)
from app.spaces.vocab import ACCESSIBILITY, EQUIPMENT


@bp.app_template_global()
def manages(provider) -> bool:
    """Whether the current user manages ``provider`` (staff see its pages, not its secrets)."""
    return permissions.manages_provider(current_user, provider)


@bp.post("/rezerwacje/<int:series_id>/zatwierdz")
@login_required
def approve(series_id: int):
    access = get_series_or_404(series_id, check="provider")
    chosen = selected_occurrences(access.series)
    return booking_outcome(
        access, lambda: service.approve(chosen, current_user), _("Zatwierdzono.")
    )


@bp.post("/rezerwacje/<int:series_id>/odrzuc")
@login_required
def decline(series_id: int):
    access = get_series_or_404(series_id, check="provider")
    return reasoned_outcome(
        access,
        _("Podaj powód odmowy."),
        lambda chosen, reason: service.decline(chosen, current_user, reason),
        _("Odrzucono."),
        confirm=_decline_question,
    )


def _decline_question(chosen) -> str:
    if (count := sum(1 for b in chosen if b.status == BookingStatus.PENDING)) < 2:
        return ""
    return ngettext(
        "Odrzucić całą serię (%(num)d oczekujący termin)?",
        "Odrzucić całą serię (%(num)d oczekujących terminów)?",
        count,
    )


@bp.post("/terminy/<int:booking_id>/nieobecnosc")
@login_required
def no_show(booking_id: int):
    booking, access = get_booking_or_404(booking_id, check="provider")
    return booking_outcome(
        access,
        lambda: service.mark_no_show(booking, current_user),
        _("Zaznaczono, że z rezerwacji nie skorzystano."),
    )


def get_provider_or_404(slug: str, *, check: str | None = "manage") -> Provider:
    """The provider with ``slug``; ``check="manage"``: for its managers and staff (403)."""
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
    if provider is None:
        abort(404)
    if check == "manage":
        permissions.require_provider_manager(provider, staff_ok=True)
    return provider


# The inbox lives in ``operations_views`` (one page for one provider or several).


@bp.post("/udostepniajacy/<slug>/automatyczne-zatwierdzanie")
@login_required
def toggle_auto_approve(slug: str):
    provider = get_provider_or_404(slug)
    provider.auto_approve_verified = request.form.get("enabled") == "1"
    flash(
        _("Wnioski zweryfikowanych organizacji będą zatwierdzane automatycznie.")
        if provider.auto_approve_verified
        else _("Automatyczne zatwierdzanie wyłączone."),
        "success",
    )
    return see_other(url_for("spaces.inbox", slug=slug))


@bp.get("/udostepniajacy/<slug>/oblozenie")
@login_required
def occupancy(slug: str):
    provider = get_provider_or_404(slug)
    monday = _week_arg()
    return render(
        "spaces/occupancy.html",
        "occupancy",
        provider=provider,
        monday=monday,
        rows=service.occupancy(provider, monday),
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
    )


# --- barter ----------------------------------------------------------------------------------


def get_barter_or_404(provider_slug: str, organisation_slug: str, *, check: str | None = None):
    """The provider and organisation of a barter ledger and whether the current user acts for
    the provider. Only the two sides (and staff) see it (404); ``check="provider"``: the
    action is the provider's (403 for the NGO)."""
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == provider_slug))
    organisation = db.session.scalar(
        sa.select(Organisation).where(Organisation.slug == organisation_slug)
    )
    if provider is None or organisation is None:
        abort(404)
    as_provider = permissions.manages_provider(current_user, provider) or permissions.is_staff(
        current_user
    )
    if not (as_provider or permissions.is_member(current_user, organisation)):
        abort(404)
    if check == "provider" and not as_provider:
        abort(403)
    return provider, organisation, as_provider


def _barter_page(
    provider, organisation, as_provider, form, *, status=200, withdraw_error=(None, "")
):
    return render(
        "spaces/barter.html",
        "ledger",
        status=status,
        ledger=service.barter_ledger(provider, organisation),
        form=form,
        as_provider=as_provider,
        barter_ratio=service.barter_ratio,
        withdraw_error=withdraw_error,
    )


@bp.get("/barter/<provider_slug>/<organisation_slug>")
@login_required
def barter(provider_slug: str, organisation_slug: str):
    provider, organisation, as_provider = get_barter_or_404(provider_slug, organisation_slug)
    return _barter_page(provider, organisation, as_provider, DeliveryForm(formdata=None))


@bp.post("/barter/<provider_slug>/<organisation_slug>/<int:delivery_id>/wycofaj")
@login_required
def withdraw_delivery(provider_slug: str, organisation_slug: str, delivery_id: int):
    provider, organisation, as_provider = get_barter_or_404(
        provider_slug, organisation_slug, check="provider"
    )
    delivery = db.session.get(BarterDelivery, delivery_id)
    if delivery is None or (delivery.provider_id, delivery.organisation_id) != (
        provider.id,
        organisation.id,
    ):
        abort(404)
    try:
        service.withdraw_delivery(delivery, current_user, request.form.get("reason", ""))
    except DomainError as error:
        return _barter_page(
            provider,
            organisation,
            as_provider,
            DeliveryForm(formdata=None),
            status=error.status,
            withdraw_error=(delivery.id, error.message),
        )
    flash(_("Wpis wycofano."), "success")
    return see_other(
        url_for("spaces.barter", provider_slug=provider.slug, organisation_slug=organisation.slug)
    )


@bp.post("/barter/<provider_slug>/<organisation_slug>")
@login_required
def record_delivery(provider_slug: str, organisation_slug: str):
    provider, organisation, as_provider = get_barter_or_404(
        provider_slug, organisation_slug, check="provider"
    )
    form = DeliveryForm()
    if not form.validate_on_submit():
        return _barter_page(provider, organisation, as_provider, form, status=form_error_status())
    try:
        service.record_delivery(
            provider,
            organisation,
            current_user,
            day=form.day.data,
            hours=form.hours.data,
            description=form.description.data,
        )
    except DomainError as error:
        getattr(form, error.field or "hours").errors = [error.message]
        return _barter_page(provider, organisation, as_provider, form, status=form_error_status())
    flash(_("Zapisano zrealizowane zajęcia."), "success")
    if wants_fragment():
        # The ledger with the new delivery and an empty form; the message comes with it.
        return _barter_page(provider, organisation, as_provider, DeliveryForm(formdata=None))
    return see_other(request.path)


@bp.get("/udostepniajacy/<slug>/barter")
@login_required
def barter_partners(slug: str):
    provider = get_provider_or_404(slug)
    ledgers = [service.barter_ledger(provider, o) for o in service.barter_partners(provider)]
    return render("spaces/barter_partners.html", provider=provider, ledgers=ledgers)


# --- providers publish availability ----------------------------------------------------------


def _settings_form(space: Space) -> SpaceSettingsForm:
    if request.method == "POST":
        return SpaceSettingsForm()
    by_day = {h.weekday: h for h in space.opening_hours}
    form = SpaceSettingsForm(
        obj=space,
        terms=space.terms.value,
        auto_approve={None: "", True: "yes", False: "no"}[space.auto_approve_verified],
        hours=[
            {"opens": by_day[d].opens, "closes": by_day[d].closes} if d in by_day else {}
            for d in range(7)
        ],
    )
    return form


def _manage_page(space, form, closure_form, *, status=200):
    closures = db.session.scalars(
        sa.select(Closure)
        .where(sa.or_(Closure.space_id == space.id, Closure.provider_id == space.provider_id))
        .order_by(Closure.starts_on)
    ).all()
    return render(
        "spaces/manage.html",
        status=status,
        space=space,
        form=form,
        closure_form=closure_form,
        closures=closures,
        affected={c.id: service.affected_by_closure(c) for c in closures},
    )


@bp.route("/sala/<slug>/zarzadzaj", methods=["GET", "POST"])
@login_required
def manage_space(slug: str):
    space = get_space_or_404(slug, check="manage")
    form = _settings_form(space)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _manage_page(space, form, ClosureForm(formdata=None), status=400)
        service.update_space(
            space,
            service.SpaceSettings(
                capacity=form.capacity.data,
                stock=form.stock.data,
                min_notice_hours=form.min_notice_hours.data,
                max_length_minutes=form.max_length_minutes.data,
                max_days_ahead=form.max_days_ahead.data,
                buffer_minutes=form.buffer_minutes.data,
                terms=TermsKind(form.terms.data),
                fee_normal=form.fee_normal.data,
                fee_ngo=form.fee_ngo.data,
                barter_terms=form.barter_terms.data or "",
                barter_hours_per_hour=form.barter_hours_per_hour.data,
                auto_approve_verified={"": None, "yes": True, "no": False}[
                    form.auto_approve.data or ""
                ],
                house_rules=form.house_rules.data or "",
                max_loan_days=form.max_loan_days.data or 0,
                hours=[
                    (e.form.opens.data, e.form.closes.data) if e.form.opens.data else None
                    for e in form.hours
                ],
            ),
        )
        flash(_("Zapisano zasady i godziny otwarcia."), "success")
        return see_other(url_for("spaces.manage_space", slug=slug))
    return _manage_page(space, form, ClosureForm(formdata=None))


@bp.post("/sala/<slug>/zamkniecia")
@login_required
def add_closure(slug: str):
    space = get_space_or_404(slug, check="manage")
    form = ClosureForm()
    if not form.validate_on_submit():
        return _manage_page(space, _settings_form(space), form, status=400)
    closure = service.add_closure(
        space,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        reason=ClosureReason(form.reason.data),
        note=form.note.data or "",
        whole_provider=form.whole_provider.data,
    )
    told = service.notify_closure(closure)
    if told:
        flash(
            ngettext(
                "Dodano zamknięcie. Obejmuje %(num)d zatwierdzoną rezerwację: organizacje dostały "
                "wiadomość; przenieś ją albo odwołaj z powodem (lista poniżej).",
                "Dodano zamknięcie. Obejmuje %(num)d zatwierdzonych rezerwacji: organizacje dostały "
                "wiadomość; przenieś je albo odwołaj z powodem (lista poniżej).",
                told,
            ),
            "warning",
        )
    else:
        flash(_("Dodano zamknięcie."), "success")
    return see_other(url_for("spaces.manage_space", slug=slug))


def get_closure_or_404(closure_id: int) -> Closure:
    """A closure, for the managers of its provider (and staff; 403 for others)."""
    closure = db.session.get(Closure, closure_id)
    if closure is None:
        abort(404)
    permissions.require_provider_manager(closure.provider or closure.space.provider, staff_ok=True)
    return closure


@bp.post("/zamkniecia/<int:closure_id>/usun")
@login_required
def remove_closure(closure_id: int):
    closure = get_closure_or_404(closure_id)
    provider_id = closure.provider_id or closure.space.provider_id
    slug = request.form.get("space", "")
    service.remove_closure(closure)
    flash(_("Usunięto zamknięcie."), "success")
    space = db.session.scalar(
        sa.select(Space).where(Space.slug == slug, Space.provider_id == provider_id)
    )
    if space is None:
        return see_other(url_for("spaces.my_bookings"))
    return see_other(url_for("spaces.manage_space", slug=space.slug))


# --- providers describe their spaces; city staff create providers -----------------------------


def _description_from(form: SpaceDescriptionForm, kind: SpaceKind) -> service.SpaceDescription:
    return service.SpaceDescription(
        name=form.name.data or "",
        kind=kind,
        description=form.description.data or "",
        address=form.address.data or "",
        district=form.district.data or None,
        capacity=form.capacity.data,
        area_m2=form.area_m2.data,
        floor=form.floor.data,
        stock=form.stock.data or 1,
        features=[*(form.equipment.data or []), *(form.accessibility.data or [])],
        house_rules=form.house_rules.data or "",
        latitude=form.latitude.data,
        longitude=form.longitude.data,
    )


@bp.get("/udostepniajacy/<slug>/przestrzenie")
@login_required
def provider_spaces(slug: str):
    provider = get_provider_or_404(slug)
    spaces = db.session.scalars(
        sa.select(Space)
        .where(Space.provider_id == provider.id)
        .order_by(Space.active.desc(), Space.name)
    ).all()
    return render("spaces/provider_spaces.html", provider=provider, spaces=spaces)


@bp.route("/udostepniajacy/<slug>/nowa-przestrzen", methods=["GET", "POST"])
@login_required
def new_space(slug: str):
    provider = get_provider_or_404(slug)
    form = SpaceDescriptionForm()
    context = {"provider": provider, "form": form, "space": None}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/space_form.html", "form", **context)
        return render("spaces/space_form.html", "form", **context)
    try:
        space = service.create_space(provider, _description_from(form, form.chosen_kind))
    except DomainError as error:
        getattr(form, error.field or "name").errors = [error.message]
        return render_form_error("spaces/space_form.html", "form", **context)
    flash(_("Dodano przestrzeń. Ustal teraz zasady, warunki i godziny otwarcia."), "success")
    return see_other(url_for("spaces.manage_space", slug=space.slug))


@bp.route("/sala/<slug>/opis", methods=["GET", "POST"])
@login_required
def edit_space(slug: str):
    space = get_space_or_404(slug, check="manage")
    if request.method == "POST":
        form = SpaceDescriptionForm(fixed_kind=space.kind)
    else:
        form = SpaceDescriptionForm(
            obj=space,
            fixed_kind=space.kind,
            equipment=[c for c in space.feature_codes if c in EQUIPMENT],
            accessibility=[c for c in space.feature_codes if c in ACCESSIBILITY],
        )
    context = {"provider": space.provider, "form": form, "space": space}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/space_form.html", "form", **context)
        return render("spaces/space_form.html", "form", **context)
    try:
        service.update_space_description(space, _description_from(form, space.kind))
    except DomainError as error:
        getattr(form, error.field or "name").errors = [error.message]
        return render_form_error("spaces/space_form.html", "form", **context)
    flash(_("Zapisano opis przestrzeni."), "success")
    return see_other(url_for("spaces.provider_spaces", slug=space.provider.slug))


@bp.post("/sala/<slug>/aktywnosc")
@login_required
def set_space_active(slug: str):
    space = get_space_or_404(slug, check="manage")
    active = request.form.get("active") == "1"
    service.set_space_active(space, active)
    flash(
        _("Przestrzeń jest znowu widoczna w katalogu.")
        if active
        else _("Przestrzeń ukryta: nie ma jej w katalogu ani w dopasowaniu; historia zostaje."),
        "success",
    )
    return see_other(url_for("spaces.provider_spaces", slug=space.provider.slug))
