"""Thin routes: fetch-or-404 + permission check, a service call, render."""

from __future__ import annotations

import contextlib
from datetime import date, time, timedelta
from functools import wraps

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import form_error_status, render, render_form_error
from app.search.service import match_documents
from app.spaces import search_index, service
from app.spaces.blueprint import bp
from app.spaces.forms import (
    BookingRequestForm,
    CatalogueFilterForm,
    ClosureForm,
    DeliveryForm,
    ManagerForm,
    MatchForm,
    MoveForm,
    ProviderForm,
    ReasonForm,
    SpaceDescriptionForm,
    SpaceSettingsForm,
)
from app.spaces.matching import Need, match_venues
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    Provider,
    ProviderKind,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)
from app.spaces.vocab import ACCESSIBILITY, EQUIPMENT, district_label, feature_label
from app.timeutil import local_today


@bp.record_once
def _template_helpers(state):
    # Globals (not a context processor) so imported macros and mail templates see them too.
    state.app.jinja_env.globals.update(
        district_label=district_label,
        feature_label=feature_label,
        status_label=service.status_label,
        format_slot=service.format_slot,
    )


# --- catalogue and space page ----------------------------------------------------------------


@bp.get("/")
def index():
    form = CatalogueFilterForm(request.args)
    form.validate()
    query = (
        sa.select(Space)
        .where(Space.active.is_(True))
        .options(selectinload(Space.provider), selectinload(Space.features))
    )
    text = " ".join((form.q.data or "").split())[:200]
    ranked = match_documents(text, [search_index.KIND]) if text else None
    if ranked is not None:
        # Polish-aware text search through the service-wide index; best matches first.
        ranked = ranked.subquery()
        query = query.join(ranked, ranked.c.ref_id == Space.id).order_by(ranked.c.score.desc())
    query = query.order_by(Space.name, Space.id)
    if form.kind.data in {k.value for k in SpaceKind}:
        query = query.where(Space.kind == SpaceKind(form.kind.data))
    if form.district.data:
        query = query.where(Space.district == form.district.data)
    if form.capacity.data and not form.capacity.errors:
        query = query.where(Space.capacity >= form.capacity.data)
    for code in (form.equipment.data or []) + (form.accessibility.data or []):
        query = query.where(Space.features.any(SpaceFeature.code == code))
    terms = [TermsKind(t) for t in form.terms.data or [] if t in {k.value for k in TermsKind}]
    if terms:
        query = query.where(Space.terms.in_(terms))
    spaces = db.session.scalars(query).all()
    return render("spaces/index.html", "results", form=form, spaces=spaces)


def _week_arg() -> date:
    try:
        day = date.fromisoformat(request.args.get("tydzien", ""))
    except ValueError:
        day = local_today()
    return service.week_start(day)


def _space_or_404(slug: str) -> Space:
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
    if space is None or not space.active:
        abort(404)
    return space


@bp.get("/sala/<slug>")
def space_detail(slug: str):
    space = _space_or_404(slug)
    monday = _week_arg()
    days, rows = service.week_grid(space, monday)
    return render(
        "spaces/space.html",
        "week",
        space=space,
        monday=monday,
        days=days,
        rows=rows,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        can_manage=permissions.manages_provider(current_user, space.provider),
    )


# --- booking requests ------------------------------------------------------------------------


def _prefill(form: BookingRequestForm) -> None:
    """Start from what venue matching found (``?day=&start=&end=&people=``); bad values are
    simply ignored."""
    for name, parse in (
        ("day", date.fromisoformat),
        ("start", time.fromisoformat),
        ("end", time.fromisoformat),
        ("people", int),
    ):
        with contextlib.suppress(KeyError, ValueError):
            getattr(form, name).data = parse(request.args[name])


def _request_from(form: BookingRequestForm) -> service.BookingRequest:
    recurrence = Recurrence(form.recurrence.data)
    return service.BookingRequest(
        purpose=form.purpose.data or "",
        people=form.people.data,
        first_day=form.day.data,
        start_time=form.start.data,
        end_time=form.end.data,
        recurrence=recurrence,
        until=form.until.data if recurrence != Recurrence.ONCE else None,
        count=form.count.data if recurrence != Recurrence.ONCE else None,
        is_public=form.is_public.data,
        public_title=form.public_title.data or "",
        quantity=form.quantity.data or 1,
    )


@bp.route("/sala/<slug>/rezerwuj", methods=["GET", "POST"])
@login_required
def request_booking(slug: str):
    space = _space_or_404(slug)
    organisations = permissions.user_organisations(current_user)
    if not organisations:
        # Not an error: the page explains who can book and how.
        return render("spaces/no_organisation.html", space=space)
    form = BookingRequestForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if request.method == "GET":
        _prefill(form)
    context = {"space": space, "form": form, "planned": None, "error": None}
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/request.html", "form", **context)
        return render("spaces/request.html", "form", **context)
    organisation = db.session.get(Organisation, form.organisation.data)
    permissions.require_member(organisation)
    booking_request = _request_from(form)
    problems = service.request_problems(space, booking_request)
    if problems:
        context["error"] = " ".join(problems)
        return render_form_error("spaces/request.html", "form", **context)
    if request.form.get("action") == "preview":
        context["planned"] = service.plan_request(space, booking_request)
        return render("spaces/request.html", "form", **context)
    try:
        series = service.create_request(space, organisation, current_user, booking_request)
    except service.BookingConflict as conflict:
        context.update(error=conflict.message, conflicts=conflict.conflicts)
        context["planned"] = service.plan_request(space, booking_request)
        return render("spaces/request.html", "form", status=409, **context)
    except service.BookingError as error:
        context["error"] = error.message
        return render_form_error("spaces/request.html", "form", **context)
    flash(_("Wniosek wysłany do udostępniającego."), "success")
    target = url_for("spaces.series_detail", series_id=series.id)
    if request.headers.get("HX-Request"):
        # A whole new page, not a swap into the form: let htmx navigate.
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def _series_or_404(series_id: int) -> tuple[BookingSeries, bool, bool]:
    """The series and whether the current user acts for the NGO / the provider. Others get
    404: booking details are private."""
    series = db.session.get(BookingSeries, series_id)
    if series is None:
        abort(404)
    as_ngo = permissions.is_member(current_user, series.organisation)
    as_provider = permissions.manages_provider(
        current_user, series.space.provider
    ) or permissions.is_staff(current_user)
    if not (as_ngo or as_provider):
        abort(404)
    return series, as_ngo, as_provider


def _series_page(
    series, as_ngo, as_provider, *, status=200, error=None, conflicts=(), notice=None, **forms
):
    competing = {}
    if as_provider:
        for booking in series.occurrences:
            if booking.status == BookingStatus.PENDING:
                competing[booking.id] = service.pending_competitors(booking)
    return render(
        "spaces/series.html",
        "series",
        status=status,
        series=series,
        as_ngo=as_ngo,
        as_provider=as_provider,
        competing=competing,
        error=error,
        conflicts=conflicts,
        notice=notice,
        reason_form=forms.get("reason_form") or ReasonForm(),
        move_form=forms.get("move_form") or MoveForm(),
        barter=series.space.terms == TermsKind.BARTER,
        today=local_today(),
    )


@bp.get("/rezerwacje/<int:series_id>")
@login_required
def series_detail(series_id: int):
    series, as_ngo, as_provider = _series_or_404(series_id)
    return _series_page(series, as_ngo, as_provider)


def _selected(series: BookingSeries) -> list[Booking]:
    """The occurrences ticked in the form; none ticked means the whole series."""
    ids = {int(v) for v in request.form.getlist("occurrence") if v.isdigit()}
    if not ids:
        return list(series.occurrences)
    chosen = [b for b in series.occurrences if b.id in ids]
    if len(chosen) != len(ids):
        abort(404)
    return chosen


def _outcome(series, as_ngo, as_provider, action, message: str):
    """Run a booking action; on success flash ``message`` and show the series again (fragment
    for htmx, redirect otherwise); on failure re-render it with the error (400/409)."""
    try:
        action()
    except service.BookingError as error:
        db.session.rollback()
        series = db.session.get(BookingSeries, series.id)
        return _series_page(
            series,
            as_ngo,
            as_provider,
            status=error.status_code,
            error=error.message,
            conflicts=getattr(error, "conflicts", ()),
        )
    if request.headers.get("HX-Request"):
        series = db.session.get(BookingSeries, series.id)
        return _series_page(series, as_ngo, as_provider, notice=message)
    flash(message, "success")
    return redirect(url_for("spaces.series_detail", series_id=series.id), 303)


@bp.post("/rezerwacje/<int:series_id>/zatwierdz")
@login_required
def approve(series_id: int):
    series, as_ngo, as_provider = _series_or_404(series_id)
    permissions.require_provider_manager(series.space.provider, staff_ok=True)
    chosen = _selected(series)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.approve(chosen, current_user),
        _("Zatwierdzono."),
    )


@bp.post("/rezerwacje/<int:series_id>/odrzuc")
@login_required
def decline(series_id: int):
    series, as_ngo, as_provider = _series_or_404(series_id)
    permissions.require_provider_manager(series.space.provider, staff_ok=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _series_page(
            series,
            as_ngo,
            as_provider,
            status=form_error_status(),
            error=_("Podaj powód odmowy."),
            reason_form=form,
        )
    chosen = _selected(series)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.decline(chosen, current_user, form.reason.data),
        _("Odrzucono."),
    )


@bp.post("/rezerwacje/<int:series_id>/odwolaj")
@login_required
def cancel(series_id: int):
    series, as_ngo, as_provider = _series_or_404(series_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _series_page(
            series,
            as_ngo,
            as_provider,
            status=form_error_status(),
            error=_("Podaj powód odwołania."),
            reason_form=form,
        )
    chosen = _selected(series)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.cancel(
            chosen, current_user, form.reason.data, by_provider=as_provider and not as_ngo
        ),
        _("Odwołano."),
    )


@bp.post("/rezerwacje/<int:series_id>/potwierdz-semestr")
@login_required
def confirm_term(series_id: int):
    series, as_ngo, as_provider = _series_or_404(series_id)
    permissions.require_member(series.organisation)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.confirm_for_term(series, current_user),
        _("Potwierdzono rezerwację na ten semestr."),
    )


def _occurrence_or_404(booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    series, as_ngo, as_provider = _series_or_404(booking.series_id)
    return booking, series, as_ngo, as_provider


@bp.post("/terminy/<int:booking_id>/przenies")
@login_required
def move(booking_id: int):
    booking, series, as_ngo, as_provider = _occurrence_or_404(booking_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _series_page(
            series,
            as_ngo,
            as_provider,
            status=form_error_status(),
            error=_("Podaj poprawny nowy termin."),
            move_form=form,
        )
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.move(
            booking,
            form.day.data,
            form.start.data,
            form.end.data,
            current_user,
            by_provider=as_provider and not as_ngo,
        ),
        _("Termin przeniesiony."),
    )


@bp.post("/terminy/<int:booking_id>/dodaj-ponownie")
@login_required
def readd(booking_id: int):
    booking, series, as_ngo, as_provider = _occurrence_or_404(booking_id)
    permissions.require_member(series.organisation)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.readd(booking, current_user),
        _("Termin dodany ponownie."),
    )


@bp.post("/terminy/<int:booking_id>/nieobecnosc")
@login_required
def no_show(booking_id: int):
    booking, series, as_ngo, as_provider = _occurrence_or_404(booking_id)
    permissions.require_provider_manager(series.space.provider, staff_ok=True)
    return _outcome(
        series,
        as_ngo,
        as_provider,
        lambda: service.mark_no_show(booking, current_user),
        _("Zaznaczono, że z rezerwacji nie skorzystano."),
    )


# --- dashboards ------------------------------------------------------------------------------


@bp.get("/moje-rezerwacje")
@login_required
def my_bookings():
    organisations = permissions.user_organisations(current_user)
    boards = [(o, service.organisation_bookings(o)) for o in organisations]
    return render(
        "spaces/my_bookings.html", boards=boards, providers=permissions.user_providers(current_user)
    )


def _provider_or_404(slug: str) -> Provider:
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
    if provider is None:
        abort(404)
    permissions.require_provider_manager(provider, staff_ok=True)
    return provider


@bp.get("/udostepniajacy/<slug>/wnioski")
@login_required
def inbox(slug: str):
    provider = _provider_or_404(slug)
    inbox = service.provider_inbox(provider)
    competing = {
        booking.id: service.pending_competitors(booking)
        for series in inbox
        for booking in series.occurrences
        if booking.status == BookingStatus.PENDING
    }
    return render("spaces/inbox.html", provider=provider, inbox=inbox, competing=competing)


@bp.post("/udostepniajacy/<slug>/automatyczne-zatwierdzanie")
@login_required
def toggle_auto_approve(slug: str):
    provider = _provider_or_404(slug)
    provider.auto_approve_verified = request.form.get("enabled") == "1"
    db.session.commit()
    flash(
        _("Wnioski zweryfikowanych organizacji będą zatwierdzane automatycznie.")
        if provider.auto_approve_verified
        else _("Automatyczne zatwierdzanie wyłączone."),
        "success",
    )
    return redirect(url_for("spaces.inbox", slug=slug), 303)


@bp.get("/udostepniajacy/<slug>/oblozenie")
@login_required
def occupancy(slug: str):
    provider = _provider_or_404(slug)
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


@bp.route("/barter/<provider_slug>/<organisation_slug>", methods=["GET", "POST"])
@login_required
def barter(provider_slug: str, organisation_slug: str):
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
    form = DeliveryForm()
    status = 200
    if request.method == "POST":
        if not as_provider:
            abort(403)
        if form.validate_on_submit():
            service.record_delivery(
                provider,
                organisation,
                current_user,
                day=form.day.data,
                hours=form.hours.data,
                description=form.description.data,
            )
            flash(_("Zapisano zrealizowane zajęcia."), "success")
            return redirect(request.path, 303)
        status = form_error_status()
    ledger = service.barter_ledger(provider, organisation)
    return render(
        "spaces/barter.html",
        "ledger",
        status=status,
        ledger=ledger,
        form=form,
        as_provider=as_provider,
    )


@bp.get("/udostepniajacy/<slug>/barter")
@login_required
def barter_partners(slug: str):
    provider = _provider_or_404(slug)
    ledgers = [service.barter_ledger(provider, o) for o in service.barter_partners(provider)]
    return render("spaces/barter_partners.html", provider=provider, ledgers=ledgers)


# --- venue matching --------------------------------------------------------------------------


@bp.get("/dopasuj")
def match():
    form = MatchForm(request.args)
    result = None
    status = 200
    if request.args:
        if form.validate():
            need = Need(
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
                people=form.people.data,
                recurrence=Recurrence(form.recurrence.data or "once"),
                count=form.count.data or 1,
                equipment=form.equipment.data or [],
                accessibility=form.accessibility.data or [],
                districts=form.districts.data or [],
                terms=[TermsKind(t) for t in form.terms.data or []],
            )
            result = match_venues(need)
        else:
            status = form_error_status()
    return render("spaces/match.html", "results", status=status, form=form, result=result)


# --- providers publish availability ----------------------------------------------------------


def _managed_space_or_404(slug: str) -> Space:
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
    if space is None:
        abort(404)
    permissions.require_provider_manager(space.provider, staff_ok=True)
    return space


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
    space = _managed_space_or_404(slug)
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
                hours=[
                    (e.form.opens.data, e.form.closes.data) if e.form.opens.data else None
                    for e in form.hours
                ],
            ),
        )
        flash(_("Zapisano zasady i godziny otwarcia."), "success")
        return redirect(url_for("spaces.manage_space", slug=slug), 303)
    return _manage_page(space, form, ClosureForm(formdata=None))


@bp.post("/sala/<slug>/zamkniecia")
@login_required
def add_closure(slug: str):
    space = _managed_space_or_404(slug)
    form = ClosureForm()
    if not form.validate_on_submit():
        return _manage_page(space, _settings_form(space), form, status=400)
    service.add_closure(
        space,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        reason=ClosureReason(form.reason.data),
        note=form.note.data or "",
        whole_provider=form.whole_provider.data,
    )
    flash(_("Dodano zamknięcie."), "success")
    return redirect(url_for("spaces.manage_space", slug=slug), 303)


@bp.post("/zamkniecia/<int:closure_id>/usun")
@login_required
def remove_closure(closure_id: int):
    closure = db.session.get(Closure, closure_id)
    if closure is None:
        abort(404)
    provider = closure.provider or closure.space.provider
    permissions.require_provider_manager(provider, staff_ok=True)
    slug = request.form.get("space", "")
    db.session.delete(closure)
    db.session.commit()
    flash(_("Usunięto zamknięcie."), "success")
    space = db.session.scalar(
        sa.select(Space).where(Space.slug == slug, Space.provider_id == provider.id)
    )
    if space is None:
        return redirect(url_for("spaces.my_bookings"), 303)
    return redirect(url_for("spaces.manage_space", slug=space.slug), 303)


# --- providers describe their spaces; city staff create providers -----------------------------


def _go(target: str):
    """After a successful form: a new page (htmx navigates, a plain form follows a 303)."""
    if request.headers.get("HX-Request"):
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


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
    )


@bp.get("/udostepniajacy/<slug>/przestrzenie")
@login_required
def provider_spaces(slug: str):
    provider = _provider_or_404(slug)
    spaces = db.session.scalars(
        sa.select(Space)
        .where(Space.provider_id == provider.id)
        .order_by(Space.active.desc(), Space.name)
    ).all()
    return render("spaces/provider_spaces.html", provider=provider, spaces=spaces)


@bp.route("/udostepniajacy/<slug>/nowa-przestrzen", methods=["GET", "POST"])
@login_required
def new_space(slug: str):
    provider = _provider_or_404(slug)
    form = SpaceDescriptionForm()
    context = {"provider": provider, "form": form, "space": None}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/space_form.html", "form", **context)
        return render("spaces/space_form.html", "form", **context)
    try:
        space = service.create_space(provider, _description_from(form, SpaceKind(form.kind.data)))
    except service.AdminError as error:
        getattr(form, error.field).errors = [error.message]
        return render_form_error("spaces/space_form.html", "form", **context)
    flash(_("Dodano przestrzeń. Ustal teraz zasady, warunki i godziny otwarcia."), "success")
    return _go(url_for("spaces.manage_space", slug=space.slug))


@bp.route("/sala/<slug>/opis", methods=["GET", "POST"])
@login_required
def edit_space(slug: str):
    space = _managed_space_or_404(slug)
    if request.method == "POST":
        form = SpaceDescriptionForm()
        # The kind is fixed once bookings may exist; the form still shows it.
        form.kind.data = space.kind.value
    else:
        form = SpaceDescriptionForm(
            obj=space,
            kind=space.kind.value,
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
    except service.AdminError as error:
        getattr(form, error.field).errors = [error.message]
        return render_form_error("spaces/space_form.html", "form", **context)
    flash(_("Zapisano opis przestrzeni."), "success")
    return _go(url_for("spaces.provider_spaces", slug=space.provider.slug))


@bp.post("/sala/<slug>/aktywnosc")
@login_required
def set_space_active(slug: str):
    space = _managed_space_or_404(slug)
    active = request.form.get("active") == "1"
    service.set_space_active(space, active)
    flash(
        _("Przestrzeń jest znowu widoczna w katalogu.")
        if active
        else _("Przestrzeń ukryta: nie ma jej w katalogu ani w dopasowaniu; historia zostaje."),
        "success",
    )
    return redirect(url_for("spaces.provider_spaces", slug=space.provider.slug), 303)


def staff_required(view):
    """``app.permissions.staff_required``, looked up when the view runs: ``app.permissions``
    imports this blueprint's models, so it is only half-initialised while these views load."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return permissions.staff_required(view)(*args, **kwargs)

    return wrapper


@bp.get("/udostepniajacy/")
@staff_required
def providers():
    rows = db.session.scalars(sa.select(Provider).order_by(Provider.name)).all()
    return render("spaces/providers.html", providers=rows)


@bp.route("/udostepniajacy/nowy", methods=["GET", "POST"])
@staff_required
def new_provider():
    form = ProviderForm()
    form.organisation.choices = [
        SelectChoice(0, _("brak")),
        *(
            SelectChoice(o.id, o.name)
            for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
        ),
    ]
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/provider_form.html", "form", form=form)
        return render("spaces/provider_form.html", "form", form=form)
    organisation = db.session.get(Organisation, form.organisation.data or 0)
    try:
        provider = service.create_provider(
            form.name.data, ProviderKind(form.kind.data), organisation
        )
    except service.AdminError as error:
        form.name.errors = [error.message]
        return render_form_error("spaces/provider_form.html", "form", form=form)
    flash(_("Dodano udostępniającego. Dodaj teraz osoby, które będą nim zarządzać."), "success")
    return _go(url_for("spaces.provider_managers", slug=provider.slug))


def _staff_provider_or_404(slug: str) -> Provider:
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == slug))
    if provider is None:
        abort(404)
    return provider


def _managers_page(provider: Provider, form: ManagerForm, *, error: bool = False):
    managers = sorted(provider.managers, key=lambda m: m.user.email)
    if error:
        return render_form_error(
            "spaces/managers.html", "managers", provider=provider, form=form, managers=managers
        )
    return render(
        "spaces/managers.html", "managers", provider=provider, form=form, managers=managers
    )


@bp.route("/udostepniajacy/<slug>/zarzadzajacy", methods=["GET", "POST"])
@staff_required
def provider_managers(slug: str):
    provider = _staff_provider_or_404(slug)
    form = ManagerForm()
    if request.method == "GET":
        return _managers_page(provider, form)
    if not form.validate_on_submit():
        return _managers_page(provider, form, error=True)
    try:
        manager = service.add_manager(provider, form.email.data)
    except service.AdminError as error:
        form.email.errors = [error.message]
        return _managers_page(provider, form, error=True)
    flash(
        _(
            "%(email)s zarządza teraz: %(provider)s.",
            email=manager.user.email,
            provider=provider.name,
        ),
        "success",
    )
    return redirect(url_for("spaces.provider_managers", slug=provider.slug), 303)


@bp.post("/udostepniajacy/<slug>/zarzadzajacy/<int:user_id>/usun")
@staff_required
def remove_manager(slug: str, user_id: int):
    provider = _staff_provider_or_404(slug)
    if not service.remove_manager(provider, user_id):
        abort(404)
    flash(_("Usunięto osobę zarządzającą."), "success")
    return redirect(url_for("spaces.provider_managers", slug=provider.slug), 303)
