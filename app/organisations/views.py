"""Routes of the NGO competence base: thin functions over ``service``."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions  # a module import: app.permissions imports our models
from app.districts import DISTRICTS
from app.extensions import db
from app.organisations import opendata
from app.organisations import service as orgs
from app.organisations.blueprint import bp
from app.organisations.forms import (
    CompetenceForm,
    InviteForm,
    JoinForm,
    NewOrganisationForm,
    OfferForm,
    ProfileForm,
    ProjectForm,
)
from app.organisations.models import (
    OFFER_KIND_LABELS,
    Competence,
    MemberRole,
    Membership,
    MembershipRequest,
    Offer,
    OfferKind,
    Organisation,
    Project,
    RequestKind,
)
from app.organisations.spheres import SPHERES
from app.rendering import render, render_form_error


def staff_required(view):
    """``permissions.staff_required``, looked up at call time (app.permissions imports our
    models, so it is not fully loaded while this module is)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return permissions.staff_required(view)(*args, **kwargs)

    return wrapper


def get_organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    return organisation


def _form_page(template: str, block: str, form, **context):
    if request.method == "POST":
        return render_form_error(template, block, form=form, **context)
    return render(template, block, form=form, **context)


# --- public pages ------------------------------------------------------------------------------


@bp.get("/")
def index():
    filters = orgs.Filters.from_args(request.args)
    listing = orgs.list_organisations(filters)
    options = {
        "area": [(s.code, s.label) for s in SPHERES],
        "competence": [(c.id, c.name) for c in orgs.all_competences()],
        "district": list(DISTRICTS),
        "offer": [(kind.value, label) for kind, label in OFFER_KIND_LABELS.items()],
    }
    return render(
        "organisations/index.html", "results", filters=filters, listing=listing, options=options
    )


@bp.get("/<slug>")
def profile(slug: str):
    organisation = get_organisation(slug)
    membership = permissions.membership_of(current_user, organisation)
    pending = None
    if current_user.is_authenticated and membership is None:
        pending = db.session.scalar(
            sa.select(MembershipRequest).where(
                MembershipRequest.organisation_id == organisation.id,
                MembershipRequest.user_id == current_user.id,
                MembershipRequest.status == "pending",
            )
        )
    return render(
        "organisations/profile.html",
        organisation=organisation,
        membership=membership,
        pending_request=pending,
        has_owner=bool(orgs.owners(organisation)),
        join_form=JoinForm(),
    )


@bp.get("/otwarte-dane.csv")
def export_csv():
    return opendata.csv_response()


@bp.get("/otwarte-dane.json")
def export_json():
    return opendata.json_response()


# --- creating and editing profiles ----------------------------------------------------------


@bp.route("/nowa", methods=["GET", "POST"])
@login_required
def new():
    form = NewOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = orgs.create_organisation(
                current_user,
                name=form.name.data,
                legal_form=form.legal_form.data,
                krs=form.krs.data,
            )
        except orgs.KrsTaken as error:
            form.krs.errors.append(str(error))
            existing = error.organisation
            return _form_page("organisations/new.html", "form", form, existing=existing)
        db.session.commit()
        flash(_("Dodano organizację. Uzupełnij jej profil."), "success")
        return redirect(url_for("organisations.edit", slug=organisation.slug))
    return _form_page("organisations/new.html", "form", form, existing=None)


@bp.get("/moje")
@login_required
def mine():
    return render(
        "organisations/mine.html", organisations=permissions.user_organisations(current_user)
    )


@bp.route("/<slug>/edycja", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    organisation = get_organisation(slug)
    permissions.require_member(organisation)
    choices = [(c.id, c.name) for c in orgs.all_competences()]
    form = ProfileForm(obj=organisation if request.method == "GET" else None,
                       competence_choices=choices)  # fmt: skip
    if request.method == "GET":
        form.areas.data = organisation.area_codes
        form.districts.data = organisation.district_codes
        form.competences.data = [c.id for c in organisation.competences]
        form.legal_form.data = organisation.legal_form.value
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in orgs.PROFILE_FIELDS}
        fields.update(
            areas=form.areas.data,
            districts=form.districts.data,
            competence_ids=form.competences.data,
        )
        try:
            orgs.update_profile(organisation, **fields)
        except orgs.KrsTaken as error:
            form.krs.errors.append(str(error))
        else:
            flash(_("Zapisano profil organizacji."), "success")
            return redirect(url_for("organisations.profile", slug=organisation.slug))
    return _form_page("organisations/edit.html", "form", form, organisation=organisation)


def _child_form(organisation, model, form_class, child_id, template, save):
    permissions.require_member(organisation)
    child = None
    if child_id is not None:
        child = db.session.get(model, child_id)
        if child is None or child.organisation_id != organisation.id:
            abort(404)
    form = form_class(obj=child)
    if form.validate_on_submit():
        save(organisation, child, **{f.name: f.data for f in form if f.name != "csrf_token"})
        flash(_("Zapisano."), "success")
        return redirect(url_for("organisations.profile", slug=organisation.slug))
    return _form_page(template, "form", form, organisation=organisation, item=child)


@bp.route("/<slug>/projekty/nowy", methods=["GET", "POST"])
@bp.route("/<slug>/projekty/<int:project_id>", methods=["GET", "POST"])
@login_required
def project(slug: str, project_id: int | None = None):
    return _child_form(
        get_organisation(slug), Project, ProjectForm, project_id,
        "organisations/project_form.html", orgs.save_project,
    )  # fmt: skip


@bp.post("/<slug>/projekty/<int:project_id>/usun")
@login_required
def delete_project(slug: str, project_id: int):
    organisation = get_organisation(slug)
    permissions.require_member(organisation)
    item = db.session.get(Project, project_id)
    if item is None or item.organisation_id != organisation.id:
        abort(404)
    orgs.delete_project(organisation, item)
    flash(_("Usunięto projekt."), "success")
    return redirect(url_for("organisations.profile", slug=organisation.slug))


@bp.route("/<slug>/oferty/nowa", methods=["GET", "POST"])
@bp.route("/<slug>/oferty/<int:offer_id>", methods=["GET", "POST"])
@login_required
def offer(slug: str, offer_id: int | None = None):
    def save(organisation, item, **fields):
        fields["kind"] = OfferKind(fields["kind"])
        orgs.save_offer(organisation, item, **fields)

    return _child_form(
        get_organisation(slug), Offer, OfferForm, offer_id, "organisations/offer_form.html", save
    )


@bp.post("/<slug>/oferty/<int:offer_id>/usun")
@login_required
def delete_offer(slug: str, offer_id: int):
    organisation = get_organisation(slug)
    permissions.require_member(organisation)
    item = db.session.get(Offer, offer_id)
    if item is None or item.organisation_id != organisation.id:
        abort(404)
    orgs.delete_offer(organisation, item)
    flash(_("Usunięto ofertę."), "success")
    return redirect(url_for("organisations.profile", slug=organisation.slug))


# --- members -------------------------------------------------------------------------------


def _members_page(organisation, invite_form, status=200):
    context = {
        "organisation": organisation,
        "members": orgs.members(organisation),
        "requests": orgs.pending_requests(organisation),
        "form": invite_form,
        "can_manage": permissions.is_owner(current_user, organisation)
        or permissions.is_staff(current_user),
    }
    if status != 200:
        return render_form_error("organisations/members.html", "form", **context)
    return render("organisations/members.html", "form", **context)


@bp.get("/<slug>/czlonkowie")
@login_required
def members(slug: str):
    organisation = get_organisation(slug)
    permissions.require_member(organisation, staff_ok=True)
    return _members_page(organisation, InviteForm())


@bp.post("/<slug>/czlonkowie/zaproszenia")
@login_required
def invite(slug: str):
    organisation = get_organisation(slug)
    permissions.require_member(organisation, owner=True, staff_ok=True)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            orgs.invite_member(
                organisation, form.email.data, MemberRole(form.role.data), current_user
            )
        except orgs.AlreadyMember as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Wysłano zaproszenie na adres %(email)s.", email=form.email.data), "success")
            return redirect(url_for("organisations.members", slug=organisation.slug))
    return _members_page(organisation, form, status=400)


@bp.post("/<slug>/czlonkowie/<int:membership_id>/usun")
@login_required
def remove_member(slug: str, membership_id: int):
    organisation = get_organisation(slug)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    # Owners remove anyone; anyone may leave by themselves.
    if membership.user_id != current_user.id:
        permissions.require_member(organisation, owner=True, staff_ok=True)
    try:
        orgs.remove_member(organisation, membership)
    except orgs.LastOwner as error:
        flash(str(error), "error")
    else:
        flash(_("Usunięto osobę z organizacji."), "success")
    if membership.user_id == current_user.id:
        return redirect(url_for("organisations.profile", slug=organisation.slug))
    return redirect(url_for("organisations.members", slug=organisation.slug))


@bp.route("/zaproszenie/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    try:
        invitation = orgs.invitation_by_token(token)
    except orgs.InvalidInvitation as error:
        return render(
            "organisations/invitation.html", error=str(error), invitation=None, status=404
        )
    if request.method == "POST":
        try:
            orgs.accept_invitation(token, current_user)
        except orgs.InvalidInvitation as error:
            return render(
                "organisations/invitation.html", error=str(error), invitation=invitation, status=403
            )
        flash(_("Dołączono do organizacji %(name)s.", name=invitation.organisation.name), "success")
        return redirect(url_for("organisations.profile", slug=invitation.organisation.slug))
    return render("organisations/invitation.html", invitation=invitation, error=None)


@bp.post("/<slug>/dolacz")
@login_required
def join(slug: str):
    organisation = get_organisation(slug)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            request_ = orgs.request_membership(organisation, current_user, form.message.data or "")
        except orgs.OrganisationError as error:
            flash(str(error), "error")
            return redirect(url_for("organisations.profile", slug=organisation.slug), code=303)
        if request_.kind == RequestKind.CLAIM:
            flash(_("Wysłano prośbę o przejęcie profilu. Zdecyduje Urząd Miasta."), "success")
        else:
            flash(_("Wysłano prośbę o dołączenie. Zdecydują właściciele organizacji."), "success")
    return redirect(url_for("organisations.profile", slug=organisation.slug))


@bp.post("/prosby/<int:request_id>")
@login_required
def decide(request_id: int):
    membership_request = db.session.get(MembershipRequest, request_id)
    if membership_request is None:
        abort(404)
    organisation = membership_request.organisation
    if membership_request.kind == RequestKind.CLAIM:
        if not permissions.is_staff(current_user):
            abort(403)
    else:
        permissions.require_member(organisation, owner=True, staff_ok=True)
    approve = request.form.get("decision") == "approve"
    try:
        orgs.decide_request(membership_request, approve, current_user)
    except orgs.AlreadyDecided as error:
        flash(str(error), "error")
    else:
        flash(_("Prośba przyjęta.") if approve else _("Prośba odrzucona."), "success")
    if permissions.is_staff(current_user) and membership_request.kind == RequestKind.CLAIM:
        return redirect(url_for("organisations.requests"))
    return redirect(url_for("organisations.members", slug=organisation.slug))


# --- city staff ------------------------------------------------------------------------------


@bp.get("/prosby")
@staff_required
def requests():
    return render("organisations/requests.html", requests=orgs.pending_requests())


@bp.post("/<slug>/weryfikacja")
@staff_required
def verify(slug: str):
    organisation = get_organisation(slug)
    verified = request.form.get("verified") == "1"
    orgs.set_verified(organisation, verified)
    flash(
        _("Oznaczono organizację jako zweryfikowaną.")
        if verified
        else _("Zdjęto oznaczenie weryfikacji."),
        "success",
    )
    return redirect(url_for("organisations.profile", slug=organisation.slug))


@bp.route("/kompetencje", methods=["GET", "POST"])
@staff_required
def competences():
    form = CompetenceForm()
    if form.validate_on_submit():
        try:
            orgs.save_competence(form.name.data)
        except orgs.CompetenceTaken as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Dodano kompetencję."), "success")
            return redirect(url_for("organisations.competences"))
    return _form_page(
        "organisations/competences.html", "form", form, competences=orgs.all_competences()
    )


@bp.post("/kompetencje/<int:competence_id>")
@staff_required
def update_competence(competence_id: int):
    competence = db.session.get(Competence, competence_id)
    if competence is None:
        abort(404)
    if request.form.get("action") == "delete":
        orgs.delete_competence(competence)
        flash(_("Usunięto kompetencję."), "success")
        return redirect(url_for("organisations.competences"))
    form = CompetenceForm()
    if form.validate_on_submit():
        try:
            orgs.save_competence(form.name.data, competence)
        except orgs.CompetenceTaken as error:
            flash(str(error), "error")
        else:
            flash(_("Zmieniono nazwę kompetencji."), "success")
    else:
        flash(_("Podaj nazwę."), "error")
    return redirect(url_for("organisations.competences"))
