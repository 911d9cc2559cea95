"""Public and NGO routes: the catalogue, a space's page and week, venue matching, booking
requests, the series page and the actions both sides take on it (cancel, move), the NGO's
own (re-add, confirm the term) and its dashboard."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app import limits, permissions
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.inputs import parse_date
from app.organisations.models import Organisation
from app.rendering import form_error_status, render, render_form_error, see_other, wants_fragment
from app.search.service import match_documents
from app.spaces import search_index, service
from app.spaces.blueprint import bp
from app.spaces.forms import (
    BookingRequestForm,
    CatalogueFilterForm,
    MatchForm,
    MoveForm,
    ReasonForm,
)
from app.spaces.matching import Need, match_venues
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
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
        .where(Space.listed())
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
    # One page of cards (all 300 of a city were 98 ms); the count and the pager keep the rest.
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )
    pages = max(1, -(-total // CATALOGUE_PAGE_SIZE))
    page = min(page_arg(), pages)
    spaces = db.session.scalars(
        query.limit(CATALOGUE_PAGE_SIZE).offset((page - 1) * CATALOGUE_PAGE_SIZE)
    ).all()
    return render(
        "spaces/index.html",
        "results",
        form=form,
        spaces=spaces,
        card_photos=service.first_photos([s.id for s in spaces]),
        total=total,
        page=page,
        pages=pages,
        # Each label translated once per page, not once per card.
        feature_labels={code: feature_label(code) for code in (*EQUIPMENT, *ACCESSIBILITY)},
    )


CATALOGUE_PAGE_SIZE = 24


def page_arg() -> int:
    value = request.args.get("page", "1")
    return max(1, min(int(value), 10_000)) if value.isdigit() else 1


def _week_arg() -> date:
    return service.week_start(parse_date(request.args.get("tydzien")) or local_today())


def get_space_or_404(slug: str, *, check: str | None = None) -> Space:
    """The space with ``slug``. ``check="manage"``: also an inactive one, for its provider's
    managers and staff (403 for others); ``check="view"``: a space hidden by staff too, for
    its managers and staff (with a banner; 404 for others); otherwise only a listed one (404)."""
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
    if space is None:
        abort(404)
    if check == "manage":
        permissions.require_provider_manager(space.provider, staff_ok=True)
        return space
    if not space.active:
        abort(404)
    if space.hidden_at is not None:
        # Hidden by staff: its managers and staff see the page (with a banner); nobody books.
        sees = permissions.is_staff(current_user) or permissions.manages_provider(
            current_user, space.provider
        )
        if check != "view" or not sees:
            abort(404)
    return space


@bp.get("/sala/<slug>")
def space_detail(slug: str):
    space = get_space_or_404(slug, check="view")
    monday = _week_arg()
    week = service.week_grid(space, monday)
    today = local_today()
    closures = sorted(
        service.closures_for(space, today, today + timedelta(days=space.max_days_ahead)),
        key=lambda c: c.starts_on,
    )
    return render(
        "spaces/space.html",
        "week",
        space=space,
        upcoming_closures=closures,
        closure_label=service.closure_label,
        monday=monday,
        week=week,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        can_manage=permissions.manages_provider(current_user, space.provider),
    )


# --- booking requests ------------------------------------------------------------------------


def _prefill_date(value: str) -> date:
    day = parse_date(value)
    if day is None:
        raise ValueError(value)
    return day


def _prefill(form: BookingRequestForm) -> None:
    """Start from what venue matching found (``?day=&start=&end=&people=``, and for a series
    ``&recurrence=weekly&count=``); bad values are simply ignored."""
    for name, parse in (
        ("day", _prefill_date),
        ("start", time.fromisoformat),
        ("end", time.fromisoformat),
        ("people", int),
        ("recurrence", lambda value: Recurrence(value).value),
        ("count", int),
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
        loan_days=(
            (form.return_day.data - form.day.data).days
            if form.return_day.data and form.day.data and form.return_day.data > form.day.data
            else 0
        ),
    )


@bp.route("/sala/<slug>/rezerwuj", methods=["GET", "POST"])
@limits.booking_requests
@login_required
def request_booking(slug: str):
    space = get_space_or_404(slug)
    organisations = permissions.user_organisations(current_user)
    if not organisations:
        # Not an error: the page explains who can book and how.
        return render("spaces/no_organisation.html", space=space)
    form = BookingRequestForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if request.method == "GET":
        _prefill(form)
    # A ban after no-shows is said before the form is filled in, with its end (and reason).
    bans = [(o, service.active_ban(space.provider_id, o.id)) for o in organisations]
    context = {
        "space": space,
        "form": form,
        "planned": None,
        "error": None,
        "bans": [(o, ban) for o, ban in bans if ban is not None],
    }
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
    except DomainError as error:
        context["error"] = error.message
        return render_form_error("spaces/request.html", "form", **context)
    flash(_("Wniosek wysłany do udostępniającego."), "success")
    # A whole new page, not a swap into the form.
    return see_other(url_for("spaces.series_detail", series_id=series.id))


@dataclass
class SeriesAccess:
    """A booking series and the sides the current user acts for."""

    series: BookingSeries
    as_ngo: bool
    as_provider: bool

    @property
    def by_provider(self) -> bool:
        """A change made as the provider (someone on both sides acts as the NGO)."""
        return self.as_provider and not self.as_ngo


def get_series_or_404(series_id: int, *, check: str | None = None) -> SeriesAccess:
    """The series, for its organisation's members and the provider's managers (and staff);
    others get 404, booking details are private. ``check="ngo"`` / ``"provider"``: the action
    is that side's (403 for the other side)."""
    series = db.session.get(BookingSeries, series_id)
    if series is None:
        abort(404)
    access = SeriesAccess(
        series,
        as_ngo=permissions.is_member(current_user, series.organisation),
        as_provider=permissions.manages_provider(current_user, series.space.provider)
        or permissions.is_staff(current_user),
    )
    if not (access.as_ngo or access.as_provider):
        abort(404)
    if (check == "ngo" and not access.as_ngo) or (check == "provider" and not access.as_provider):
        abort(403)
    return access


def get_booking_or_404(booking_id: int, *, check: str | None = None):
    """One occurrence and its series' access (``check`` as in ``get_series_or_404``)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    return booking, get_series_or_404(booking.series_id, check=check)


def series_page(
    access: SeriesAccess, *, status=200, error=None, conflicts=(), confirm=None, **forms
):
    series = access.series
    competing = {}
    pending = [b for b in series.occurrences if b.status == BookingStatus.PENDING]
    if access.as_provider:
        for booking in pending:
            competing[booking.id] = service.pending_competitors(booking)
    return render(
        "spaces/series.html",
        "series",
        status=status,
        series=series,
        as_ngo=access.as_ngo,
        as_provider=access.as_provider,
        competing=competing,
        problems=service.decision_problems(series.space, pending),
        error=error,
        conflicts=conflicts,
        confirm=confirm,
        reason_form=forms.get("reason_form") or ReasonForm(),
        move_form=forms.get("move_form") or MoveForm(),
        barter=series.space.terms == TermsKind.BARTER,
        now=utcnow(),
    )


@bp.get("/rezerwacje/<int:series_id>")
@login_required
def series_detail(series_id: int):
    return series_page(get_series_or_404(series_id))


def selected_occurrences(series: BookingSeries) -> list[Booking]:
    """The occurrences ticked in the form; none ticked means the whole series."""
    ids = {int(v) for v in request.form.getlist("occurrence") if v.isdigit()}
    if not ids:
        return list(series.occurrences)
    chosen = [b for b in series.occurrences if b.id in ids]
    if len(chosen) != len(ids):
        abort(404)
    return chosen


def booking_outcome(access: SeriesAccess, action, message: str):
    """Run a booking action. Done: ``message`` is flashed and shown with the series again
    (the fragment for htmx, in the same response; a 303 to the page otherwise). Refused: the
    series as it is (the service rolled its changes back) with the precise reason and the
    bookings in the way, 409 or 422, which htmx swaps."""
    try:
        action()
    except DomainError as error:
        return series_page(
            access,
            status=error.status,
            error=error.message,
            conflicts=getattr(error, "conflicts", ()),
        )
    flash(message, "success")
    if wants_fragment():
        db.session.expire(access.series, ["occurrences"])  # a moved one changes the order
        return series_page(access)
    return see_other(url_for("spaces.series_detail", series_id=access.series.id))


def reasoned_outcome(access, missing_reason: str, action, done: str, *, confirm):
    """A decision that needs a reason (decline, cancel): the reason form first, then
    ``action(chosen_occurrences, reason)`` answered by ``booking_outcome``. With nothing
    ticked it would touch the whole series: ``confirm(affected)`` (the occurrences it would
    change) gives the question shown first, a page with its own form, so it works without
    JavaScript; that form posts again with ``whole_series``."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return series_page(
            access, status=form_error_status(), error=missing_reason, reason_form=form
        )
    chosen = selected_occurrences(access.series)
    if not request.form.getlist("occurrence") and request.form.get("whole_series") != "1":
        question = confirm(chosen)
        if question:
            return series_page(
                access,
                confirm={"question": question, "action": request.path},
                reason_form=form,
            )
    return booking_outcome(access, lambda: action(chosen, form.reason.data), done)


@bp.post("/rezerwacje/<int:series_id>/odwolaj")
@login_required
def cancel(series_id: int):
    access = get_series_or_404(series_id)
    return reasoned_outcome(
        access,
        _("Podaj powód odwołania."),
        lambda chosen, reason: service.cancel(
            chosen, current_user, reason, by_provider=access.by_provider
        ),
        _("Odwołano."),
        confirm=_cancel_question,
    )


def _cancel_question(chosen) -> str:
    now = utcnow()
    # One occurrence is no surprise; a whole series cancelled by mistake is.
    if (count := sum(1 for b in chosen if b.can_cancel(now))) < 2:
        return ""
    return ngettext(
        "Odwołać całą serię (%(num)d termin)?", "Odwołać całą serię (%(num)d terminów)?", count
    )


@bp.post("/rezerwacje/<int:series_id>/potwierdz-semestr")
@login_required
def confirm_term(series_id: int):
    access = get_series_or_404(series_id, check="ngo")
    return booking_outcome(
        access,
        lambda: service.confirm_for_term(access.series, current_user),
        _("Potwierdzono rezerwację na ten semestr."),
    )


@bp.post("/terminy/<int:booking_id>/przenies")
@login_required
def move(booking_id: int):
    booking, access = get_booking_or_404(booking_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return series_page(
            access,
            status=form_error_status(),
            error=_("Podaj poprawny nowy termin."),
            move_form=form,
        )
    return booking_outcome(
        access,
        lambda: service.move(
            booking,
            form.day.data,
            form.start.data,
            form.end.data,
            current_user,
            by_provider=access.by_provider,
        ),
        _("Termin przeniesiony."),
    )


@bp.post("/terminy/<int:booking_id>/dodaj-ponownie")
@login_required
def readd(booking_id: int):
    booking, access = get_booking_or_404(booking_id, check="ngo")
    return booking_outcome(
        access, lambda: service.readd(booking, current_user), _("Termin dodany ponownie.")
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
