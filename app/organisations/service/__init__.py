"""The NGO competence base as plain functions, by topic; callers keep ``service.<name>``.

- ``profiles``: creating and editing profiles, projects, offers, verification, competences;
- ``membership``: members, invitations, requests to join or claim a profile, decisions;
- ``listing``: the public list with its filters and facets;
- ``stale``: reminders about profiles not updated for a year (a daily job);
- ``volunteering``: the profile's current volunteering offers and responsiveness (read-only).

Every function runs inside its caller's unit of work (app/unit_of_work.py): it flushes and
never commits. A refusal is ``app.domain.DomainError`` with the reason to show.
"""

from app.domain import DomainError
from app.organisations.models import MemberRole, Organisation
from app.organisations.service.listing import PAGE_SIZE, Filters, Listing, list_organisations
from app.organisations.service.membership import (
    ALREADY_DECIDED,
    ALREADY_MEMBER,
    ALREADY_REQUESTED,
    INVALID_INVITATION,
    INVITATION_FOR_ANOTHER_ADDRESS,
    INVITATION_MAX_AGE,
    LAST_OWNER,
    accept_invitation,
    add_member,
    decide_request,
    invitation_by_token,
    invite_member,
    members,
    membership_by_id,
    owners,
    pending_request_of,
    pending_requests,
    remove_member,
    request_membership,
)
from app.organisations.service.profiles import (
    COMPETENCE_TAKEN,
    PROFILE_FIELDS,
    KrsTaken,
    all_competences,
    apply_profile,
    competence_by_name,
    competences_by_ids,
    create_organisation,
    delete_competence,
    delete_offer,
    delete_project,
    organisation_by_krs,
    organisations_with_competence,
    save_competence,
    save_offer,
    save_project,
    set_areas,
    set_districts,
    set_verified,
    touch,
    unique_slug,
    update_profile,
)
from app.organisations.service.stale import (
    lock_organisation,
    notify_stale_organisation,
    notify_stale_owners,
    stale_organisations,
    stale_topic,
)
from app.organisations.service.volunteering import ProfileVolunteering, volunteering_of

__all__ = [
    "ALREADY_DECIDED", "ALREADY_MEMBER", "ALREADY_REQUESTED", "COMPETENCE_TAKEN",
    "INVALID_INVITATION", "INVITATION_FOR_ANOTHER_ADDRESS", "INVITATION_MAX_AGE", "LAST_OWNER",
    "PAGE_SIZE", "PROFILE_FIELDS", "DomainError", "Filters", "KrsTaken", "Listing", "MemberRole", "Organisation", "ProfileVolunteering",
    "accept_invitation", "add_member", "all_competences", "apply_profile", "competence_by_name",
    "competences_by_ids", "create_organisation", "decide_request", "delete_competence",
    "delete_offer", "delete_project", "invitation_by_token", "invite_member", "list_organisations",
    "lock_organisation", "members", "membership_by_id", "notify_stale_organisation",
    "notify_stale_owners", "organisation_by_krs", "organisations_with_competence", "owners",
    "pending_request_of", "pending_requests", "remove_member", "request_membership",
    "save_competence", "save_offer", "save_project", "set_areas", "set_districts",
    "set_verified", "stale_organisations", "stale_topic", "touch", "unique_slug",
    "update_profile", "volunteering_of",
]  # fmt: skip
