"""Routes of the allocation rounds: the public list and page, applying (organisation members),
and the provider's side (new round, status, the board, generating and sending results)."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import form_error_status, see_other
from app.rendering import render as _render
from app.spaces.blueprint import bp
from app.spaces.provider_views import get_provider_or_404
from app.spaces.rounds import service
from app.spaces.rounds.forms import ActivityForm, AllocationForm, RoundForm
from app.spaces.rounds.models import (
    Allocation,
    AllocationRound,
    Priority,
    RoundActivity,
    RoundStatus,
    TermKind,
)


def render(template: str, *, status: int = 200, **context):
    """The page with the rounds' labels (weekdays, statuses) at hand."""
    return _render(template, status=status, labels=service, **context)


def render_form_error(template: str, **context):
    return render(template, status=form_error_status(), **context)


def _manages(round_: AllocationRound) -> bool:
    return permissions.is_staff(current_user) or permissions.manages_provider(
        current_user, round_.provider
    )


def get_round_or_404(round_id: int, *, check: str | None = None) -> AllocationRound:
    """A round; a draft is 404 for anyone but its provider's managers and staff.
    ``check="manage"``: 403 for everyone else."""
    round_ = db.session.get(AllocationRound, round_id)
    if round_ is None:
        abort(404)
    manages = _manages(round_)
    if round_.status == RoundStatus.DRAFT and not manages:
        abort(404)
    if check == "manage" and not manages:
        abort(403)
    return round_


@bp.get("/nabory")
def rounds():
    return render("spaces/rounds/index.html", rounds=service.rounds_for_applicants())


@bp.get("/nabory/<int:round_id>")
def round_detail(round_id: int):
    round_ = get_round_or_404(round_id)
    organisations = permissions.user_organisations(current_user)
    mine = [
        application
        for application in round_.applications
        if application.organisation_id in {o.id for o in organisations}
    ]
    return render(
        "spaces/rounds/detail.html",
        round=round_,
        applications=mine,
        manages=_manages(round_),
        can_apply=bool(organisations),
    )


def _space_choices(round_: AllocationRound, empty: bool) -> list[SelectChoice]:
    items = [SelectChoice(0, _("— brak —"))] if empty else []
    return items + [SelectChoice(s.id, s.name) for s in round_.spaces]


@bp.route("/nabory/<int:round_id>/wniosek", methods=["GET", "POST"])
@login_required
def round_apply(round_id: int):
    round_ = get_round_or_404(round_id)
    organisations = permissions.user_organisations(current_user)
    form = ActivityForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    form.wish_1.choices = _space_choices(round_, empty=False)
    form.wish_2.choices = _space_choices(round_, empty=True)
    form.wish_3.choices = _space_choices(round_, empty=True)
    context = {"round": round_, "form": form, "organisations": organisations, "error": None}
    if request.method == "GET" or not organisations:
        return render("spaces/rounds/apply.html", **context)
    if not round_.accepts_applications:
        # The page says the round does not accept applications now.
        return render("spaces/rounds/apply.html", status=409, **context)
    if not form.validate_on_submit():
        return render_form_error("spaces/rounds/apply.html", **context)
    organisation = db.session.get(Organisation, form.organisation.data)
    if organisation is None:
        abort(404)
    permissions.require_member(organisation)
    try:
        service.add_activity(
            round_,
            organisation,
            current_user,
            _activity_from(form),
            contact=(form.contact.data or "").strip(),
        )
    except DomainError as error:
        context["error"] = error.message
        return render("spaces/rounds/apply.html", status=error.status or 422, **context)
    flash(_("Zajęcia dodane do wniosku organizacji %(name)s.", name=organisation.name), "success")
    return see_other(url_for("spaces.round_detail", round_id=round_.id))


def _activity_from(form: ActivityForm) -> service.ActivityInput:
    ranges = [
        (
            int(form.primary_1_day.data),
            form.primary_1_starts.data,
            form.primary_1_ends.data,
            Priority.PRIMARY,
        )
    ]
    for prefix, priority in (("primary_2", Priority.PRIMARY), ("secondary", Priority.SECONDARY)):
        day = getattr(form, f"{prefix}_day").data
        if day:
            ranges.append(
                (
                    int(day),
                    getattr(form, f"{prefix}_starts").data,
                    getattr(form, f"{prefix}_ends").data,
                    priority,
                )
            )
    return service.ActivityInput(
        name=form.name.data,
        participants=form.participants.data,
        age_group=form.age_group.data,
        sessions_per_week=form.sessions_per_week.data,
        min_minutes=form.min_minutes.data,
        max_minutes=form.max_minutes.data,
        wishes=[form.wish_1.data, form.wish_2.data, form.wish_3.data],
        time_ranges=ranges,
    )


@bp.post("/nabory/zajecia/<int:activity_id>/wycofaj")
@login_required
def round_withdraw_activity(activity_id: int):
    activity = db.session.get(RoundActivity, activity_id)
    if activity is None:
        abort(404)
    round_ = get_round_or_404(activity.application.round_id)
    permissions.require_member(activity.application.organisation)
    service.withdraw_activity(activity)
    flash(_("Zajęcia wycofane z wniosku."), "success")
    return see_other(url_for("spaces.round_detail", round_id=round_.id))


# --- the provider's side -------------------------------------------------------------------


@bp.get("/udostepniajacy/<slug>/nabory")
@login_required
def provider_rounds(slug: str):
    provider = get_provider_or_404(slug)
    return render(
        "spaces/rounds/provider.html", provider=provider, rounds=service.provider_rounds(provider)
    )


@bp.route("/udostepniajacy/<slug>/nabory/nowy", methods=["GET", "POST"])
@login_required
def new_round(slug: str):
    provider = get_provider_or_404(slug)
    form = RoundForm()
    form.spaces.choices = [SelectChoice(s.id, s.name) for s in provider.spaces if s.active]
    context = {"provider": provider, "form": form}
    if request.method == "GET":
        return render("spaces/rounds/new.html", **context)
    if not form.validate_on_submit():
        return render_form_error("spaces/rounds/new.html", **context)
    try:
        round_ = service.create_round(provider, current_user, _setup_from(form))
    except DomainError as error:
        _show_on_form(form, error)
        return render_form_error("spaces/rounds/new.html", **context)
    flash(_("Nabór zapisany jako szkic. Otwórz go, gdy będzie gotowy."), "success")
    return see_other(url_for("spaces.round_board", round_id=round_.id))


def _setup_from(form: RoundForm) -> service.RoundSetup:
    return service.RoundSetup(
        name=form.name.data,
        term_kind=TermKind(form.term_kind.data),
        season_starts_on=form.season_starts_on.data,
        season_ends_on=form.season_ends_on.data,
        applications_close_on=form.applications_close_on.data,
        description=form.description.data or "",
        space_ids=form.spaces.data or [],
        windows=form.window_list(),
    )


def _show_on_form(form: RoundForm, error: DomainError) -> None:
    target = getattr(form, error.field or "", None) or form.name
    if error.field == "windows":
        target = form.windows[0].form.ends
    target.errors = [*target.errors, error.message]


@bp.route("/nabory/<int:round_id>/edycja", methods=["GET", "POST"])
@login_required
def edit_round(round_id: int):
    """Change a draft or open round (``setup.edit_round`` says what may change once
    organisations have applied); in allocation the page says why it cannot change."""
    round_ = get_round_or_404(round_id, check="manage")
    form = RoundForm()
    if request.method == "GET":
        form.fill_from(round_)
    choices = {s.id: s.name for s in round_.spaces}
    choices.update({s.id: s.name for s in round_.provider.spaces if s.active})
    form.spaces.choices = [SelectChoice(i, name) for i, name in choices.items()]
    context = {"provider": round_.provider, "form": form, "round": round_}
    editable = round_.status in service.EDITABLE_STATUSES
    if request.method == "GET" or not editable:
        # The page says why a round in allocation no longer changes.
        return render(
            "spaces/rounds/new.html", status=409 if request.method == "POST" else 200, **context
        )
    if not form.validate_on_submit():
        return render_form_error("spaces/rounds/new.html", **context)
    try:
        changed = service.edit_round(round_, current_user, _setup_from(form))
    except DomainError as error:
        _show_on_form(form, error)
        return render("spaces/rounds/new.html", status=error.status or 422, **context)
    flash(
        _("Zmiany naboru zapisane.") if changed else _("Nic się nie zmieniło."),
        "success",
    )
    return see_other(url_for("spaces.round_board", round_id=round_.id))


STATUS_ACTIONS = {
    "open": (service.open_round, _l("Nabór otwarty: organizacje mogą składać wnioski.")),
    "close": (
        service.close_applications,
        _l("Przyjmowanie wniosków zamknięte: przydziel terminy."),
    ),
}


@bp.post("/nabory/<int:round_id>/status")
@login_required
def round_status(round_id: int):
    round_ = get_round_or_404(round_id, check="manage")
    action = STATUS_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        raise DomainError(_("Nieznana zmiana statusu."), status=422)
    change, message = action
    change(round_, current_user)
    flash(message, "success")
    return see_other(url_for("spaces.round_board", round_id=round_.id))


def _board(round_: AllocationRound, *, status: int = 200, error: str | None = None, form=None):
    summaries, checks = service.board(round_)
    return render(
        "spaces/rounds/board.html",
        status=status,
        round=round_,
        summaries=summaries,
        checks=checks,
        error=error,
        failed=form,
        allocations=service.allocations_of(round_),
        bans=service.banned_applicants(round_),
    )


@bp.get("/nabory/<int:round_id>/tablica")
@login_required
def round_board(round_id: int):
    return _board(get_round_or_404(round_id, check="manage"))


@bp.post("/nabory/<int:round_id>/przydziel")
@login_required
def round_allocate(round_id: int):
    round_ = get_round_or_404(round_id, check="manage")
    form = AllocationForm()
    form.space.choices = _space_choices(round_, empty=False)
    if not form.validate_on_submit():
        return _board(round_, status=422, error=_("Podaj salę, dzień i godziny."), form=form)
    activity = db.session.get(RoundActivity, form.activity.data)
    if activity is None or activity.application.round_id != round_.id:
        abort(404)
    try:
        service.allocate(
            activity,
            form.space.data,
            int(form.weekday.data),
            form.start.data,
            form.end.data,
            current_user,
        )
    except DomainError as error:
        return _board(round_, status=error.status or 422, error=error.message, form=form)
    flash(_("Przydzielono termin: %(activity)s.", activity=activity.name), "success")
    return see_other(url_for("spaces.round_board", round_id=round_.id) + f"#activity-{activity.id}")


@bp.post("/nabory/przydzialy/<int:allocation_id>/usun")
@login_required
def round_unallocate(allocation_id: int):
    allocation = db.session.get(Allocation, allocation_id)
    if allocation is None:
        abort(404)
    round_ = get_round_or_404(allocation.activity.application.round_id, check="manage")
    service.remove_allocation(allocation)
    flash(_("Przydział usunięty."), "success")
    return see_other(url_for("spaces.round_board", round_id=round_.id))


@bp.post("/nabory/<int:round_id>/wyniki")
@login_required
def round_results(round_id: int):
    round_ = get_round_or_404(round_id, check="manage")
    try:
        generated = service.generate_and_send(round_, current_user)
    except DomainError as error:
        return _board(round_, status=error.status or 409, error=error.message)
    flash(
        _(
            "Utworzono rezerwacje (%(count)s serii) i wysłano wyniki do organizacji.",
            count=len(generated),
        ),
        "success",
    )
    return see_other(url_for("spaces.round_board", round_id=round_.id))
