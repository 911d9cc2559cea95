"""Public and volunteer-facing routes of the volunteering board."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import audit, limits
from app.calendars.http import feed_response
from app.calendars.ical import build_calendar
from app.calendars.service import feed_token, token_for, volunteer_scope
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.permissions import user_organisations
from app.rendering import render, render_form_error, see_other, wants_fragment
from app.unit_of_work import writes
from app.volunteering import browse, matching, personal
from app.volunteering import service as volunteering
from app.volunteering.blueprint import bp
from app.volunteering.forms import GuestSignupForm, ProfileForm, SignupForm
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupStatus,
)

# --- fetch or 404, with the check --------------------------------------------------------------


def get_opportunity_or_404(opportunity_id: int, *, check: str = "visible") -> Opportunity:
    """``check="visible"``: drafts only for the organisation's members (and staff);
    ``check="open"``: only a published offer (one that takes sign-ups). Others are 404."""
    from app.permissions import is_member, is_staff

    opportunity = db.get_or_404(Opportunity, opportunity_id)
    if check == "open" and not opportunity.is_public:
        abort(404)
    if (
        opportunity.status == OpportunityStatus.DRAFT or opportunity.hidden_at is not None
    ) and not (is_member(current_user, opportunity.organisation) or is_staff(current_user)):
        abort(404)  # a hidden offer: its organisation and staff see it with a banner
    return opportunity


def get_shift_or_404(shift_id: int, *, check: str = "open") -> Shift:
    """A shift of an offer that passes ``check`` (see ``get_opportunity_or_404``)."""
    shift = db.get_or_404(Shift, shift_id)
    get_opportunity_or_404(shift.opportunity_id, check=check)
    return shift


def get_signup_or_404(signup_id: int, *, check: str = "own") -> Signup:
    """A volunteer sees and changes only their own sign-ups (others get 404)."""
    signup = db.get_or_404(Signup, signup_id)
    if check == "own" and signup.user_id != current_user.id:
        abort(404)
    return signup


def get_signup_by_token_or_404(token: str, purpose: str) -> Signup:
    """The sign-up a signed link from an e-mail is for (no account needed)."""
    signup = volunteering.signup_from_token(token, purpose)
    if signup is None:
        abort(404)
    return signup


@bp.get("/")
def index():
    filters = browse.parse_filters(request.args)
    page = browse.search(filters)
    return render(
        "volunteering/index.html",
        "results",
        filters=filters,
        page=page,
        my_organisations=user_organisations(current_user),
    )


@bp.get("/oferty/<int:opportunity_id>")
def opportunity(opportunity_id: int):
    opportunity = get_opportunity_or_404(opportunity_id)
    now = utcnow()
    shifts = opportunity.upcoming_shifts(now)
    birth_year = personal.known_birth_year(current_user)
    return render(
        "volunteering/opportunity.html",
        opportunity=opportunity,
        shifts=shifts,
        too_young={s.id: volunteering.too_young_for_shift(s, birth_year) for s in shifts},
        my_signups=personal.signups_by_shift(current_user, opportunity),
        responsiveness=volunteering.responsiveness(opportunity.organisation_id, now),
    )


@bp.route("/terminy/<int:shift_id>/zapis", methods=["GET", "POST"])
@limits.signups
@limits.guest_signup
def signup(shift_id: int):
    shift = get_shift_or_404(shift_id)
    context = {"shift": shift, "opportunity": shift.opportunity}
    if not current_user.is_authenticated:
        if shift.opportunity.kind != OpportunityKind.MICRO:
            return redirect(url_for("accounts.login", next=request.path))
        return _guest_signup(shift, context)
    birth_year = personal.known_birth_year(current_user)
    form = SignupForm()
    if birth_year is not None:
        # A known birth year is changed only in the profile, never by a sign-up.
        del form.birth_year
        context["birth_year"] = birth_year
        reason = volunteering.too_young_for_shift(shift, birth_year)
        if reason is not None and request.method == "GET":
            return render(
                "volunteering/signup.html", "form", refusal=reason, blocked=True, **context
            )
    if form.validate_on_submit():
        guardian = None
        if form.guardian_name.data or form.guardian_contact.data:
            guardian = volunteering.Guardian(
                form.guardian_name.data or "",
                form.guardian_contact.data or "",
                paper=bool(form.guardian_paper.data),
            )
        try:
            signup = volunteering.sign_up(
                shift.id,
                user=current_user,
                birth_year=form.birth_year.data if form.birth_year else None,
                guardian=guardian,
                message=form.message.data or "",
            )
        except DomainError as refusal:
            return _refused(refusal, form=form, **context)
        flash(_signup_flash(signup), "success")
        return _to_opportunity(shift)
    if request.method == "POST":
        return render_form_error("volunteering/signup.html", "form", form=form, **context)
    return render("volunteering/signup.html", "form", form=form, **context)


def _guest_signup(shift: Shift, context: dict):
    from app.volunteering.agreements.service import preview_agreement
    from app.volunteering.agreements.views import document_html

    form = GuestSignupForm()
    context = {
        **context,
        "guest_agreement_document": document_html(preview_agreement(shift.opportunity)),
    }
    if form.validate_on_submit():
        try:
            signup = volunteering.sign_up(
                shift.id,
                guest=volunteering.Guest(form.name.data, form.email.data, form.phone.data or ""),
            )
        except DomainError as refusal:
            return _refused(refusal, form=form, guest=True, **context)
        flash(_signup_flash(signup), "success")
        return _to_opportunity(shift)
    if request.method == "POST":
        return render_form_error(
            "volunteering/signup.html", "form", form=form, guest=True, **context
        )
    return render("volunteering/signup.html", "form", form=form, guest=True, **context)


def _to_opportunity(shift: Shift):
    """After a sign-up: back to the offer (for htmx a whole new page, not a swap)."""
    return see_other(url_for("volunteering.opportunity", opportunity_id=shift.opportunity_id))


def _refused(refusal: DomainError, **context):
    """The sign-up form again, with the reason above it (the request rolls back: >= 400)."""
    return render(
        "volunteering/signup.html",
        "form",
        status=refusal.status,
        refusal=refusal.message,
        **context,
    )


def _signup_flash(signup: Signup) -> str:
    if signup.status == SignupStatus.WAITLISTED:
        return _(
            "Wszystkie miejsca są zajęte. Jesteś na liście rezerwowej (pozycja %(position)d); dostaniesz e-mail, gdy zwolni się miejsce.",
            position=signup.waitlist_position,
        )
    if signup.guardian_name is not None and signup.guardian_consent_at is None:
        return _(
            "Zgłoszenie zapisane. Czeka na zgodę rodzica lub opiekuna: wysłaliśmy mu e-mail z linkiem albo wydrukuj formularz zgody w „Moich zgłoszeniach”."
        )
    if signup.status == SignupStatus.PENDING:
        return _("Zgłoszenie wysłane. Organizacja odpowie e-mailem.")
    return _("Zapisano! Potwierdzenie wysłaliśmy e-mailem.")


@bp.route("/zgloszenia/<int:signup_id>/rezygnacja", methods=["GET", "POST"])
@login_required
def cancel_signup(signup_id: int):
    """Withdrawing is asked first: the GET page holds the form that posts."""
    signup = get_signup_or_404(signup_id)
    if request.method == "GET":
        return render("volunteering/confirm_withdraw.html", signup=signup, now=utcnow())
    volunteering.cancel(signup.id, actor=current_user)
    flash(_("Zrezygnowano. Dziękujemy za informację – miejsce dostanie ktoś z listy."), "info")
    if wants_fragment():
        return _my_signups_page("history")
    return see_other(url_for("volunteering.my_signups"))


@bp.post("/zgloszenia/<int:signup_id>/przyjde")
@login_required
def confirm_coming(signup_id: int):
    """ "I'm coming" from "Moje zgłoszenia" (the reminder's link does the same without login)."""
    signup = get_signup_or_404(signup_id)
    if not volunteering.confirm_coming(signup.id):
        raise DomainError(_("To zgłoszenie nie jest już aktywne albo termin minął."))
    flash(_("Dziękujemy! Organizacja wie, że przyjdziesz."), "success")
    if wants_fragment():
        return _my_signups_page("history")
    return see_other(url_for("volunteering.my_signups"))


@bp.route("/rezygnacja/<token>", methods=["GET", "POST"])
def guest_cancel(token: str):
    signup = get_signup_by_token_or_404(token, "cancel")
    if request.method == "POST":
        volunteering.cancel(signup.id, actor=None)
        flash(_("Zrezygnowano. Dziękujemy za informację."), "info")
        return see_other(
            url_for("volunteering.opportunity", opportunity_id=signup.shift.opportunity_id)
        )
    return render("volunteering/guest_cancel.html", signup=signup, token=token)


@bp.get("/przyjde/<token>")
def coming(token: str):
    """One click from the reminder e-mail. Idempotent and harmless if a mail scanner follows
    it: it only records that the volunteer said they are coming."""
    signup = get_signup_by_token_or_404(token, "coming")
    ok = volunteering.confirm_coming(signup.id)
    return render("volunteering/coming.html", signup=signup, ok=ok)


# --- the volunteer's own pages ----------------------------------------------------------------


@bp.get("/moje")
@login_required
@writes  # the private calendar link is made on the first visit
def my_signups():
    return _my_signups_page("history")  # the whole page, or the pager's part for htmx


def _my_signups_page(block: str | None = None):
    """Upcoming (``?nadchodzace=``) and past (``?page=``) sign-ups a page at a time (the
    export has them all)."""
    token = feed_token(volunteer_scope(current_user.id), current_user.id)
    now = utcnow()
    mine = personal.dashboard(
        current_user,
        request.args.get("page", 1, type=int),
        request.args.get("nadchodzace", 1, type=int),
        now=now,
    )
    return render(
        "volunteering/my_signups.html",
        block,
        mine=mine,
        certificate_organisations=volunteering.certificate_organisations(
            [], current_user, also=mine.confirmed_organisations
        ),
        feed_url=url_for("volunteering.ical_feed", token=token, _external=True),
        now=now,
    )


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    # A GET shows an empty form without creating a profile; saving creates it.
    profile = volunteering.existing_profile(current_user)
    form = ProfileForm(obj=profile)
    if form.validate_on_submit():
        personal.update_profile(profile or volunteering.profile_for(current_user), form)
        flash(_("Profil zapisany."), "success")
        return see_other(url_for("volunteering.suggestions"))
    if request.method == "POST":
        return render_form_error("volunteering/profile.html", "form", form=form)
    return render("volunteering/profile.html", "form", form=form)


@bp.get("/dla-ciebie")
@login_required
def suggestions():
    profile = volunteering.existing_profile(current_user)
    ranked = matching.suggestions_for(current_user, profile) if profile else []
    return render("volunteering/suggestions.html", profile=profile, ranked=ranked)


def _certificate_document(slug: str) -> tuple[Organisation, Markup]:
    """The volunteer's certificate (art. 44) of their work for the organisation: the same
    document on the printable page and in the PDF; 404 without confirmed work."""
    organisation = db.first_or_404(sa.select(Organisation).where(Organisation.slug == slug))
    entries = volunteering.confirmed_work(current_user, organisation)
    if not entries:
        abort(404)
    audit.record(
        "volunteering.certificate_issued",
        subject_user=current_user.id,
        organisation=organisation.id,
        details=f"{sum(entry.hours for entry in entries)} h",
    )
    document = render_template(
        "volunteering/_certificate.html",
        organisation=organisation,
        volunteer=current_user,
        entries=entries,
        total=sum(entry.hours for entry in entries),
        issued=utcnow(),
    )
    return organisation, Markup(document)


@bp.get("/zaswiadczenie/<slug>")
@login_required
@writes  # the certificate is recorded (the city's programme report counts them)
def certificate(slug: str):
    organisation, document = _certificate_document(slug)
    return render("volunteering/certificate.html", organisation=organisation, document=document)


@bp.get("/zaswiadczenie/<slug>.pdf")
@login_required
@writes  # recorded like the printable page
def certificate_pdf(slug: str):
    from app.volunteering.agreements.pdf import render_pdf

    organisation, document = _certificate_document(slug)
    content = render_pdf(
        document,
        title=_("Zaświadczenie o wykonaniu świadczeń wolontariusza"),
        language=str(get_locale() or "pl")[:2],
    )
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="zaswiadczenie-{organisation.slug}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/moje-dane.json")
@login_required
@writes  # the download is recorded in the audit trail
def export_data():
    audit.record("account.data_exported", subject_user=current_user.id, details="wolontariat")
    body = json.dumps(personal.export(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="wolontariat-moje-dane.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/moje-dane/usun", methods=["GET", "POST"])
@login_required
def delete_data():
    if request.method == "POST":
        personal.delete_volunteering_data(current_user)
        flash(_("Usunęliśmy Twoje dane wolontariackie."), "success")
        return see_other(url_for("volunteering.index"))
    return render("volunteering/delete_data.html")


@bp.get("/kalendarz/<token>.ics")
def ical_feed(token: str):
    found = token_for(token)
    if found is None or found.scope != volunteer_scope(found.holder_id):
        abort(404)
    return feed_response(
        personal.calendar_version(found.id, found.holder_id),
        lambda: build_calendar(
            _("Mój wolontariat – Wspólnie"), personal.calendar_events(found.holder_id)
        ),
        "wolontariat.ics",
        public=False,
    )


# --- for the city website ------------------------------------------------------------------


@bp.get("/nowe.atom")
def atom_feed():
    items = browse.newest(limit=30)
    updated = max((o.published_at for o in items if o.published_at), default=utcnow())
    body = render("volunteering/feed.atom.xml", items=items, updated=updated)
    body.mimetype = "application/atom+xml"
    return body
