"""Members' routes: creating and editing a profile, its projects and offers, the members page
(invitations, removal, decisions on requests to join) and accepting an invitation."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import (
    limits,
    permissions,  # a module import: app.permissions imports our models
)
from app.domain import DomainError
from app.extensions import db
from app.organisations import service as orgs
from app.organisations.blueprint import bp
from app.organisations.forms import (
    InviteForm,
    NewOrganisationForm,
    OfferForm,
    ProfileForm,
    ProjectForm,
)
from app.organisations.labels import competence_choices
from app.organisations.models import (
    MemberRole,
    MembershipRequest,
    Offer,
    OfferKind,
    Project,
    RequestKind,
)
from app.organisations.views import get_organisation_or_404, in_place_or_see_other
from app.rendering import render, render_form_error, see_other


def _form_page(template: str, block: str, form, **context):
    if request.method == "POST":
        return render_form_error(template, block, form=form, **context)
    return render(template, block, form=form, **context)


def _show_on_form(form, error: DomainError) -> None:
    """Put a refusal on the form field it is about; one about no field of this form is
    answered where the user is (app.errors: the message region or the error page)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        raise error
    field.errors.append(str(error))


# --- creating and editing profiles ----------------------------------------------------------


@bp.route("/nowa", methods=["GET", "POST"])
@login_required
@limits.new_organisations
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
            _show_on_form(form, error)
            return _form_page("organisations/new.html", "form", form, existing=error.organisation)
        except DomainError as error:
            _show_on_form(form, error)
            return _form_page("organisations/new.html", "form", form, existing=None)
        flash(_("Dodano organizację. Uzupełnij jej profil."), "success")
        return see_other(url_for("organisations.edit", slug=organisation.slug))
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
    organisation = get_organisation_or_404(slug, check="member")
    choices = competence_choices(orgs.all_competences())
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
        except DomainError as error:
            _show_on_form(form, error)
        else:
            flash(_("Zapisano profil organizacji."), "success")
            return see_other(url_for("organisations.profile", slug=organisation.slug))
    return _form_page("organisations/edit.html", "form", form, organisation=organisation)


def _get_child_or_404(organisation, model, child_id: int):
    child = db.session.get(model, child_id)
    if child is None or child.organisation_id != organisation.id:
        abort(404)
    return child


def _child_form(organisation, model, form_class, child_id, template, save):
    child = _get_child_or_404(organisation, model, child_id) if child_id is not None else None
    form = form_class(obj=child)
    if form.validate_on_submit():
        save(organisation, child, **{f.name: f.data for f in form if f.name != "csrf_token"})
        flash(_("Zapisano."), "success")
        return see_other(url_for("organisations.profile", slug=organisation.slug))
    return _form_page(template, "form", form, organisation=organisation, item=child)


@bp.route("/<slug>/projekty/nowy", methods=["GET", "POST"])
@bp.route("/<slug>/projekty/<int:project_id>", methods=["GET", "POST"])
@login_required
def project(slug: str, project_id: int | None = None):
    return _child_form(
        get_organisation_or_404(slug, check="member"), Project, ProjectForm, project_id,
        "organisations/project_form.html", orgs.save_project,
    )  # fmt: skip


@bp.post("/<slug>/projekty/<int:project_id>/usun")
@login_required
def delete_project(slug: str, project_id: int):
    organisation = get_organisation_or_404(slug, check="member")
    orgs.delete_project(organisation, _get_child_or_404(organisation, Project, project_id))
    flash(_("Usunięto projekt."), "success")
    return see_other(url_for("organisations.profile", slug=organisation.slug))


@bp.route("/<slug>/oferty/nowa", methods=["GET", "POST"])
@bp.route("/<slug>/oferty/<int:offer_id>", methods=["GET", "POST"])
@login_required
def offer(slug: str, offer_id: int | None = None):
    def save(organisation, item, **fields):
        fields["kind"] = OfferKind(fields["kind"])
        orgs.save_offer(organisation, item, **fields)

    return _child_form(
        get_organisation_or_404(slug, check="member"), Offer, OfferForm, offer_id,
        "organisations/offer_form.html", save,
    )  # fmt: skip


@bp.post("/<slug>/oferty/<int:offer_id>/usun")
@login_required
def delete_offer(slug: str, offer_id: int):
    organisation = get_organisation_or_404(slug, check="member")
    orgs.delete_offer(organisation, _get_child_or_404(organisation, Offer, offer_id))
    flash(_("Usunięto propozycję."), "success")
    return see_other(url_for("organisations.profile", slug=organisation.slug))


# --- members -------------------------------------------------------------------------------


def _members_context(organisation, invite_form=None) -> dict:
    return {
        "organisation": organisation,
        "members": orgs.members(organisation),
        "requests": orgs.pending_requests(organisation),
        "invitations": orgs.open_invitations(organisation),
        "form": invite_form or InviteForm(formdata=None),
        "can_manage": permissions.is_owner(current_user, organisation)
        or permissions.is_staff(current_user),
    }


def _members_done(organisation):
    """The members page after an action: the updated panel for htmx, a 303 for a page."""
    return in_place_or_see_other(
        url_for("organisations.members", slug=organisation.slug),
        "organisations/members.html",
        "panel",
        **_members_context(organisation),
    )


@bp.get("/<slug>/czlonkowie")
@login_required
def members(slug: str):
    organisation = get_organisation_or_404(slug, check="member", staff_ok=True)
    return render("organisations/members.html", "panel", **_members_context(organisation))


@bp.post("/<slug>/czlonkowie/zaproszenia")
@login_required
@limits.invitations
def invite(slug: str):
    organisation = get_organisation_or_404(slug, check="owner", staff_ok=True)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            orgs.invite_member(
                organisation, form.email.data, MemberRole(form.role.data), current_user
            )
        except DomainError as error:
            _show_on_form(form, error)
        else:
            flash(_("Wysłano zaproszenie na adres %(email)s.", email=form.email.data), "success")
            return _members_done(organisation)
    return render_form_error(
        "organisations/members.html", "panel", **_members_context(organisation, form)
    )


@bp.post("/<slug>/czlonkowie/zaproszenia/<int:invitation_id>/wycofaj")
@login_required
def withdraw_invitation(slug: str, invitation_id: int):
    organisation = get_organisation_or_404(slug, check="owner", staff_ok=True)
    invitation = orgs.withdraw_invitation(organisation, invitation_id)
    flash(_("Wycofano zaproszenie dla %(email)s.", email=invitation.email), "success")
    return _members_done(organisation)


@bp.post("/<slug>/czlonkowie/<int:membership_id>/usun")
@login_required
def remove_member(slug: str, membership_id: int):
    organisation = get_organisation_or_404(slug)
    membership = orgs.membership_by_id(organisation, membership_id)
    if membership is None:
        abort(404)
    leaving = membership.user_id == current_user.id
    # Owners remove anyone; anyone may leave by themselves.
    if not leaving:
        permissions.require_member(organisation, owner=True, staff_ok=True)
    orgs.remove_member(organisation, membership)
    flash(_("Usunięto osobę z organizacji."), "success")
    if leaving:
        return see_other(url_for("organisations.profile", slug=organisation.slug))
    return _members_done(organisation)


@bp.route("/zaproszenie/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    try:
        invitation = orgs.invitation_by_token(token)
        if request.method == "POST":
            orgs.accept_invitation(token, current_user)
            flash(
                _("Dołączono do organizacji %(name)s.", name=invitation.organisation.name),
                "success",
            )
            return see_other(url_for("organisations.profile", slug=invitation.organisation.slug))
    except DomainError as error:
        return render(
            "organisations/invitation.html",
            error=str(error),
            invitation=None,
            status=error.status,
        )
    return render("organisations/invitation.html", invitation=invitation, error=None)


def get_request_or_404(request_id: int) -> MembershipRequest:
    """A request to join (its organisation's owners or staff decide) or to claim a profile
    (only staff decide); 403 for anyone else."""
    membership_request = db.session.get(MembershipRequest, request_id)
    if membership_request is None:
        abort(404)
    if membership_request.kind == RequestKind.CLAIM:
        if not permissions.is_staff(current_user):
            abort(403)
    else:
        permissions.require_member(membership_request.organisation, owner=True, staff_ok=True)
    return membership_request


@bp.post("/prosby/<int:request_id>")
@login_required
def decide(request_id: int):
    membership_request = get_request_or_404(request_id)
    organisation = membership_request.organisation
    approve = request.form.get("decision") == "approve"
    orgs.decide_request(membership_request, approve, current_user)
    flash(_("Prośba przyjęta.") if approve else _("Prośba odrzucona."), "success")
    if permissions.is_staff(current_user) and membership_request.kind == RequestKind.CLAIM:
        return in_place_or_see_other(
            url_for("organisations.requests"),
            "organisations/requests.html",
            "panel",
            requests=orgs.pending_requests(),
        )
    return _members_done(organisation)
