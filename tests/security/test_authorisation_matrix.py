"""The authorisation matrix, generated from the URL map: every route has an entry saying which
roles may use it, and a route without one fails this test, so no new route ships unchecked.

Roles (demo data): anonymous; a volunteer; a member of another organisation; an editor and the
owner of organisation A; a manager of another provider; a manager of the provider P (CAL
2.Piętro, where A has bookings); city staff. For every route and every role not allowed the
request is made and must be refused (403/404, or the login page for an anonymous visitor); GET
routes are also made by the allowed roles and must answer. POSTs of allowed roles are not made
here (they would change the data the next checks need); each domain's tests cover them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.accounts.demo import DEMO_USERS
from app.accounts.models import User
from app.extensions import db
from tests.security.crawl import login

ROLES = {
    "anonymous": None,
    "volunteer": "volunteer",
    "other_member": "ngo_owner2",
    "editor": "ngo_editor",
    "owner": "ngo_owner",
    "other_manager": "school_manager",
    "manager": "cal_manager",
    "staff": "staff",
}
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
MEMBERS = frozenset({"editor", "owner"})
OWNER = frozenset({"owner"})
MANAGER = frozenset({"manager"})
STAFF = frozenset({"staff"})
PARTIES = MEMBERS | MANAGER  # the organisation's members and the provider's managers


@dataclass(frozen=True)
class Entry:
    allowed: frozenset
    # What a visitor who is not logged in gets: "login" (sent to the login form), "denied"
    # (403/404) or "ok" (the route is public).
    anonymous: str = "login"
    token: bool = False  # a secret in the URL: a made-up one is refused to everyone
    # The person's own document (a certificate of their own work): any logged-in role may get
    # it or a 404, depending on their data, not on a role.
    personal: bool = False
    # Roles that may read (GET) but not change: city staff look at an organisation's records.
    readers: frozenset = frozenset()


PUBLIC = Entry(EVERYONE, anonymous="ok")
LOGIN = Entry(LOGGED_IN)
TOKEN = Entry(frozenset(), anonymous="denied", token=True)

MATRIX: dict[str, Entry] = {
    # pages, search, language
    "pages.home": PUBLIC,
    "pages.accessibility": PUBLIC,
    "pages.privacy": PUBLIC,
    "pages.terms": PUBLIC,
    "pages.set_language": PUBLIC,
    "search.index": PUBLIC,
    "static": PUBLIC,
    # operations: liveness and readiness for the load balancer (app/ops)
    "ops.healthz": PUBLIC,
    "ops.readyz": PUBLIC,
    # accounts
    "accounts.account": LOGIN,
    "accounts.export_data": LOGIN,
    "accounts.export_data_json": LOGIN,
    "accounts.change_password": LOGIN,
    "accounts.delete_account": LOGIN,
    "accounts.accept_documents": LOGIN,
    "accounts.logout": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.register": PUBLIC,
    "accounts.request_reset": PUBLIC,
    "accounts.resend_confirmation": PUBLIC,
    "accounts.reset_password": TOKEN,
    "accounts.confirm_email": TOKEN,
    # city staff console, reports of content, open data
    "staff.home": Entry(STAFF),
    "staff.report": Entry(STAFF),
    "staff.report_pdf": Entry(STAFF),
    "staff.report_csv": Entry(STAFF),
    "staff.verification_queue": Entry(STAFF),
    "staff.decide_verification": Entry(STAFF),
    "organisations.request_verification": Entry(MEMBERS),
    "moderation.new_report": PUBLIC,
    "moderation.queue": Entry(STAFF),
    "moderation.close": Entry(STAFF),
    "moderation.hide": Entry(STAFF),
    "staff.vocabularies_page": Entry(STAFF),
    "staff.update_term": Entry(STAFF),
    "staff.district_neighbours": Entry(STAFF),
    "moderation.hidings": Entry(STAFF),
    "moderation.decide": Entry(STAFF),
    # the owner of hidden content answers (the demo hides nothing of A: 404 for everyone)
    "moderation.answer": Entry(frozenset(), anonymous="login"),
    "opendata.index": PUBLIC,
    "opendata.download": PUBLIC,
    "opendata.catalogue": PUBLIC,
    "opendata.csv_metadata": PUBLIC,
    # audit trail
    "audit.everything": Entry(STAFF),
    "audit.mine": LOGIN,
    "audit.organisation": Entry(MEMBERS | STAFF),
    "audit.provider": Entry(MANAGER | STAFF),
    # calendars
    "calendars.index": LOGIN,
    "calendars.rotate": LOGIN,
    "calendars.space_feed": PUBLIC,
    "calendars.private_feed": TOKEN,
    "calendars.series_ics": Entry(PARTIES | STAFF),
    "calendars.booking_ics": Entry(PARTIES | STAFF),
    "calendar_imports.sources": Entry(MANAGER),
    "calendar_imports.sync_now": Entry(MANAGER),
    "calendar_imports.remove": Entry(MANAGER),
    # organisations (A is the owner's organisation)
    "organisations.index": PUBLIC,
    "organisations.profile": PUBLIC,
    "organisations.export_csv": PUBLIC,
    "organisations.export_json": PUBLIC,
    "organisations.mine": LOGIN,
    "organisations.new": LOGIN,
    "organisations.join": LOGIN,
    "organisations.members": Entry(MEMBERS | STAFF),
    "organisations.invite": Entry(OWNER | STAFF),
    "organisations.remove_member": Entry(OWNER | STAFF),
    "organisations.withdraw_invitation": Entry(OWNER | STAFF),
    "organisations.edit": Entry(MEMBERS),
    "organisations.offer": Entry(MEMBERS),
    "organisations.delete_offer": Entry(MEMBERS),
    "organisations.project": Entry(MEMBERS),
    "organisations.delete_project": Entry(MEMBERS),
    "organisations.competences": Entry(STAFF),
    "organisations.update_competence": Entry(STAFF),
    "organisations.requests": Entry(STAFF),
    "organisations.decide": Entry(OWNER | STAFF),
    "organisations.invitation": TOKEN,
    # spaces (P is CAL 2.Piętro; the series is A's booking there)
    "spaces.index": PUBLIC,
    "spaces.match": PUBLIC,
    "spaces.space_detail": PUBLIC,
    "spaces.providers": Entry(STAFF),
    "spaces.my_bookings": LOGIN,
    "spaces.request_booking": LOGIN,
    "spaces.series_detail": Entry(PARTIES | STAFF),
    "spaces.cancel": Entry(PARTIES | STAFF),  # either side, the provider with a reason
    "spaces.confirm_term": Entry(MEMBERS),
    "spaces.approve": Entry(MANAGER | STAFF),  # staff act as the provider
    "spaces.decline": Entry(MANAGER | STAFF),
    "spaces.move": Entry(PARTIES | STAFF),
    "spaces.readd": Entry(MEMBERS),  # the NGO re-adds a skipped date
    "spaces.no_show": Entry(MANAGER | STAFF),
    "spaces.manage_space": Entry(MANAGER | STAFF),
    "spaces.edit_space": Entry(MANAGER | STAFF),
    "spaces.set_space_active": Entry(MANAGER | STAFF),
    "spaces.add_closure": Entry(MANAGER | STAFF),
    "spaces.remove_closure": Entry(MANAGER | STAFF),
    "spaces.new_space": Entry(MANAGER | STAFF),
    "spaces.provider_spaces": Entry(MANAGER | STAFF),
    # Issue 16 items 7 and 9: which rooms a hall combines; an organisation shares its premises.
    "spaces.combined_room": Entry(MANAGER | STAFF),
    "spaces.publish_premises": Entry(MEMBERS),
    "spaces.inbox": Entry(MANAGER | STAFF),
    "spaces.occupancy": Entry(MANAGER | STAFF),
    "spaces.barter_partners": Entry(MANAGER | STAFF),
    "spaces.toggle_auto_approve": Entry(MANAGER | STAFF),
    "spaces.provider_managers": Entry(STAFF),
    "spaces.remove_manager": Entry(STAFF),
    "spaces.new_provider": Entry(STAFF),
    "spaces.barter": Entry(PARTIES | STAFF),
    "spaces.record_delivery": Entry(MANAGER | STAFF),
    # allocation rounds (the demo round at CAL, in allocation; the activity is A's)
    "spaces.rounds": PUBLIC,
    "spaces.round_detail": PUBLIC,
    "spaces.round_apply": LOGIN,  # the page explains who may apply; the POST needs membership
    "spaces.round_withdraw_activity": Entry(MEMBERS),
    "spaces.provider_rounds": Entry(MANAGER | STAFF),
    "spaces.new_round": Entry(MANAGER | STAFF),
    "spaces.edit_round": Entry(MANAGER | STAFF),
    "spaces.round_board": Entry(MANAGER | STAFF),
    "spaces.round_status": Entry(MANAGER | STAFF),
    "spaces.round_allocate": Entry(MANAGER | STAFF),
    "spaces.round_unallocate": Entry(MANAGER | STAFF),
    "spaces.round_results": Entry(MANAGER | STAFF),
    "spaces.withdraw_delivery": Entry(MANAGER | STAFF),
    # Photos, details, fees and presets (app/spaces/details_views.py).
    "spaces.photo_file": TOKEN,  # public, but only under a real photo's token
    "spaces.photo_thumb": TOKEN,
    "spaces.space_photos_edit": Entry(MANAGER | STAFF),
    "spaces.delete_photo": Entry(MANAGER | STAFF),
    "spaces.move_photo": Entry(MANAGER | STAFF),
    "spaces.photo_alt_text": Entry(MANAGER | STAFF),
    "spaces.space_details_edit": Entry(MANAGER | STAFF),
    "spaces.cost_estimate": LOGIN,
    "spaces.request_fee_waiver": Entry(MEMBERS),
    "spaces.decide_fee_waiver": Entry(MANAGER | STAFF),
    "spaces.settlement": Entry(MANAGER | STAFF),
    "spaces.settlement_csv": Entry(MANAGER | STAFF),
    "spaces.holiday_presets_page": Entry(MANAGER | STAFF),
    "spaces.apply_holiday_preset": Entry(MANAGER | STAFF),
    # Day-to-day operations (app/spaces/operations_views.py). The one inbox lists the
    # requests of the providers one manages: empty, not refused, for everyone else.
    "spaces.my_inbox": LOGIN,
    "spaces.inbox_approve": Entry(MANAGER | STAFF),
    "spaces.inbox_decline": Entry(MANAGER | STAFF),
    "spaces.enter_booking": Entry(MANAGER | STAFF),
    "spaces.provider_rules": Entry(MANAGER | STAFF),
    "spaces.lift_ban": Entry(MANAGER | STAFF),
    # The reminder's signed link: no login; a made-up token is refused.
    "spaces.reminder_answer": TOKEN,
    "spaces.reminder_confirm": TOKEN,
    "spaces.reminder_release": TOKEN,
    # volunteering (the offer is A's)
    "volunteering.index": PUBLIC,
    "volunteering.opportunity": PUBLIC,
    "volunteering.public_calendar": PUBLIC,
    "volunteering.atom_feed": PUBLIC,
    "volunteering.shift_ics": PUBLIC,
    "volunteering.signup": LOGIN,
    "volunteering_embed.listing": PUBLIC,
    "volunteering.suggestions": LOGIN,
    "volunteering.my_signups": LOGIN,
    "volunteering.profile": LOGIN,
    "volunteering.export_data": LOGIN,
    "volunteering.delete_data": LOGIN,
    "volunteering.certificate": Entry(LOGGED_IN, personal=True),
    "volunteering.certificate_pdf": Entry(LOGGED_IN, personal=True),
    "volunteering.ical_feed": TOKEN,
    # volunteering under the act: agreements, consents, time sheets, opinions, recognition,
    # school groups. "Personal" ones depend on the person's own data (their agreement, their
    # pupil): the roles named may get it or a 404, everyone else is refused.
    "volunteering.guardian_consent": TOKEN,
    "volunteering.gala_csv": Entry(STAFF),
    "volunteering.group_signup": LOGIN,
    "volunteering.my_recognition": LOGIN,
    "volunteering.request_opinion": LOGIN,
    "volunteering.school_group": Entry(LOGGED_IN, personal=True),
    "volunteering.pupil_certificate": Entry(LOGGED_IN, personal=True),
    "volunteering.my_opinion": Entry(LOGGED_IN, personal=True),
    "volunteering.my_opinion_pdf": Entry(LOGGED_IN, personal=True),
    "volunteering.org_opinion_pdf": Entry(MEMBERS | STAFF, personal=True),
    "volunteering.my_agreement": Entry(LOGGED_IN, personal=True),
    "volunteering.my_agreement_pdf": Entry(LOGGED_IN, personal=True),
    "volunteering.accept_my_agreement": Entry(LOGGED_IN, personal=True),
    "volunteering.my_timesheet": Entry(LOGGED_IN, personal=True),
    "volunteering.guardian_paper_form": Entry(frozenset({"volunteer"}), personal=True),
    "volunteering.guardian_resend": Entry(frozenset({"volunteer"}), personal=True),
    "volunteering.org_agreement": Entry(MEMBERS | STAFF, personal=True),
    "volunteering.org_agreement_pdf": Entry(MEMBERS | STAFF, personal=True),
    "volunteering.org_opinion": Entry(MEMBERS, personal=True),
    "volunteering.org_grants": Entry(MEMBERS, readers=STAFF),
    "volunteering.stories_board": PUBLIC,
    "volunteering.story": PUBLIC,
    "volunteering.my_stories": LOGIN,
    "volunteering.withdraw_story": Entry(LOGGED_IN, personal=True),
    "volunteering.org_stories": Entry(MEMBERS | STAFF),
    "volunteering.org_story_decision": Entry(MEMBERS | STAFF, personal=True),
    "volunteering.org_grant": Entry(MEMBERS, readers=STAFF, personal=True),
    **{
        f"volunteering.{name}": Entry(MEMBERS | STAFF, personal=True)
        for name in ("org_grant_report", "org_grant_report_csv", "org_grant_report_pdf")
    },
    **{
        f"volunteering.{name}": Entry(MEMBERS, personal=True)
        for name in (
            "org_grant_rate",
            "org_grant_rate_remove",
            "org_grant_assign",
            "org_grant_unassign",
        )
    },
    **{
        f"volunteering.{name}": Entry(MEMBERS, readers=STAFF)
        for name in (
            "org_timesheets",
            "org_opinions",
            "org_agreements",
            "org_child_protection",
            "org_agreement_template",
        )
    },
    **{
        f"volunteering.{name}": Entry(MEMBERS)
        for name in (
            "org_confirm_entry",
            "org_accept_agreement",
            "org_written_agreement",
            "org_register_check",
            "org_guardian_paper",
        )
    },
    "volunteering.coming": TOKEN,
    "volunteering.guest_cancel": TOKEN,
    "volunteering.guest_agreement": TOKEN,
    "volunteering.guest_agreement_pdf": TOKEN,
    "volunteering.confirm_coming": Entry(frozenset({"volunteer"})),
    "volunteering.cancel_signup": Entry(frozenset({"volunteer"})),
    **{
        f"volunteering.{name}": Entry(MEMBERS | STAFF)
        for name in (
            "org_dashboard",
            "org_hours",
            "org_hours_csv",
            "org_hours_print",
            "org_opportunity",
            "org_edit_opportunity",
            "org_set_status",
            "org_add_shift",
            "org_applicants",
            "org_applicants_csv",
            "org_new_opportunity",
            "org_edit_shift",
            "org_change_capacity",
            "org_cancel_shift",
            "org_decide",
            "org_attendance",
        )
    },
}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"routes without an authorisation entry in {__name__}: {missing}"
    assert not sorted(set(MATRIX) - endpoints), "entries for routes that no longer exist"


# --- sample objects of the demo data --------------------------------------------------------


def samples() -> dict[str, object]:
    """One object of each kind the routes take, chosen so the roles above mean what they say."""
    from app.organisations.models import Competence, Membership, Offer, Organisation, Project
    from app.spaces.details_models import SpacePhoto
    from app.spaces.models import (
        BarterDelivery,
        Booking,
        BookingSeries,
        Closure,
        Provider,
        Space,
        SpaceBan,
    )
    from app.vocabularies.models import Term
    from app.volunteering.models import Opportunity, OpportunityStatus, Shift, Signup

    def user(role):
        return db.session.scalar(sa.select(User).where(User.email == DEMO_USERS[role][0]))

    owner, volunteer = user("ngo_owner"), user("volunteer")
    organisation = db.session.scalar(
        sa.select(Organisation)
        .join(Membership)
        .where(Membership.user_id == owner.id, Membership.role == "owner")
        .order_by(Organisation.id)
    )
    provider = db.session.scalar(sa.select(Provider).where(Provider.slug == "cal-2-pietro"))
    space = db.session.scalar(
        sa.select(Space).where(Space.provider_id == provider.id).order_by(Space.id)
    )
    series = db.session.scalar(
        sa.select(BookingSeries)
        .join(Space, BookingSeries.space_id == Space.id)
        .where(Space.provider_id == provider.id, BookingSeries.organisation_id == organisation.id)
        .order_by(BookingSeries.id)
    )
    opportunity = db.session.scalar(
        sa.select(Opportunity)
        .where(
            Opportunity.organisation_id == organisation.id,
            Opportunity.status == OpportunityStatus.PUBLISHED,
        )
        .order_by(Opportunity.id)
    )
    shift = db.session.scalar(
        sa.select(Shift).where(Shift.opportunity_id == opportunity.id).order_by(Shift.id)
    )
    signup = db.session.scalar(
        sa.select(Signup)
        .join(Shift)
        .where(Shift.opportunity_id == opportunity.id, Signup.user_id == volunteer.id)
    ) or db.session.scalar(
        sa.select(Signup).where(Signup.user_id == volunteer.id).order_by(Signup.id)
    )
    found = {
        "organisation": organisation,
        "provider": provider,
        "space": space,
        "series": series,
        "booking": db.session.scalar(
            sa.select(Booking).where(Booking.series_id == series.id).order_by(Booking.id)
        ),
        "opportunity": opportunity,
        "shift": shift,
        "signup": signup,
        "membership": db.session.scalar(
            sa.select(Membership).where(
                # The owner's own: leaving is anyone's right, so the editor's would be removed
                # by the editor; the last owner's cannot be (a refusal, not a change).
                Membership.organisation_id == organisation.id,
                Membership.user_id == owner.id,
            )
        ),
        "offer": db.session.scalar(
            sa.select(Offer).where(Offer.organisation_id == organisation.id)
        ),
        "project": db.session.scalar(
            sa.select(Project).where(Project.organisation_id == organisation.id)
        ),
        "competence": db.session.scalar(sa.select(Competence).order_by(Competence.id)),
        "closure": db.session.scalar(
            sa.select(Closure).where(Closure.space_id == space.id).order_by(Closure.id)
        )
        or db.session.scalar(
            sa.select(Closure)
            .outerjoin(Space, Closure.space_id == Space.id)
            .where(sa.or_(Space.provider_id == provider.id, Closure.provider_id == provider.id))
            .order_by(Closure.id)
        ),
        "delivery": db.session.scalar(sa.select(BarterDelivery).order_by(BarterDelivery.id)),
        "manager": user("cal_manager"),
        "photo": db.session.scalar(
            sa.select(SpacePhoto).where(SpacePhoto.space_id == space.id).order_by(SpacePhoto.id)
        ),
        "ban": db.session.scalar(
            sa.select(SpaceBan).where(SpaceBan.provider_id == provider.id).order_by(SpaceBan.id)
        ),
        # A district: its neighbours' page (staff only); the other term routes only POST.
        "term": db.session.scalar(sa.select(Term).where(Term.vocabulary == "district")),
    }
    found.update(_round_samples(organisation))
    from app.volunteering.stories import StoryStatus, VolunteerStory

    found["story"] = db.session.scalar(
        sa.select(VolunteerStory)
        .where(VolunteerStory.status == StoryStatus.PUBLISHED)
        .order_by(VolunteerStory.id)
    )
    return found


def _round_samples(organisation) -> dict[str, object]:
    from app.spaces.rounds.models import (
        Allocation,
        RoundActivity,
        RoundApplication,
    )

    activity = db.session.scalar(
        sa.select(RoundActivity)
        .join(RoundApplication)
        .where(RoundApplication.organisation_id == organisation.id)
        .order_by(RoundActivity.id)
    )
    return {
        "round": activity.application.round if activity else None,
        "activity": activity,
        "allocation": db.session.scalar(
            sa.select(Allocation)
            .where(Allocation.activity_id == activity.id)
            .order_by(Allocation.id)
        )
        if activity
        else None,
    }


def url_for_rule(rule, found: dict) -> str | None:
    """A URL of ``rule`` pointing at the sample objects (None when one is missing)."""
    values: dict[str, object] = {}
    org, provider, space = found["organisation"], found["provider"], found["space"]
    for name in rule.arguments:
        if name in (rule.defaults or {}):
            continue
        if name == "slug":
            if (
                rule.rule.startswith(("/organizacje", "/wolontariat"))
                or "/organizacja/" in rule.rule
            ):
                values[name] = org.slug
            elif "udostepniajacy" in rule.rule:
                values[name] = provider.slug
            else:
                values[name] = space.slug
        elif name == "provider_slug":
            values[name] = provider.slug
        elif name == "organisation_slug":
            values[name] = org.slug
        elif name == "key":
            values[name] = "przestrzenie"  # (organisations are served by their own route)
        elif name == "fmt":
            values[name] = "csv"
        elif name == "section":
            values[name] = "spaces"
        elif name == "kind":
            values[name] = "opportunity"
        elif name in ("token", "filename"):
            values[name] = (
                "nieznany-token-0000000000000000000000" if name == "token" else "css/app.css"
            )
        else:
            kind = {
                "series_id": "series",
                "booking_id": "booking",
                "opportunity_id": "opportunity",
                "shift_id": "shift",
                "signup_id": "signup",
                "membership_id": "membership",
                "offer_id": "offer",
                "project_id": "project",
                "competence_id": "competence",
                "closure_id": "closure",
                "delivery_id": "delivery",
                "photo_id": "photo",
                "round_id": "round",
                "activity_id": "activity",
                "allocation_id": "allocation",
                "ban_id": "ban",
                "user_id": "manager",
                "invitation_id": None,
                "report_id": None,
                "hiding_id": None,
                "term_id": "term",
                "content_id": "opportunity",
                "agreement_id": None,
                "opinion_id": None,
                "grant_id": None,
                "story_id": "story",
                "rate_id": None,
                "assignment_id": None,
                "entry_id": None,
                "group_id": None,
                "request_id": None,
                "source_id": None,
            }[name]
            target = found.get(kind) if kind else None
            values[name] = target.id if target is not None else 999999
    values.update(rule.defaults or {})
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:
        return None


def outcome(response) -> str:
    if response.status_code in (301, 302, 303) and "/konto/logowanie" in response.headers.get(
        "Location", ""
    ):
        return "login"
    if response.status_code in (403, 404):
        return "denied"
    assert response.status_code < 500, response.status_code
    return "ok"


def test_every_role_gets_what_the_matrix_says(demo_app, demo_client):
    found = samples()
    missing = [name for name, value in found.items() if value is None]
    assert not missing, f"the demo data lacks: {missing}"  # else a check would pass on a 404
    rules = sorted(
        (r for r in demo_app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )
    urls = [url_for_rule(rule, found) for rule in rules]  # before any request expires them
    problems = []
    for role in ROLES:
        login(demo_client, ROLES[role])
        for rule, url in zip(rules, urls, strict=True):
            entry = MATRIX[rule.endpoint]
            if url is None:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                allowed = role in entry.allowed or (role == "anonymous" and entry.anonymous == "ok")
                allowed = allowed or (method == "GET" and role in entry.readers)
                if method != "GET" and allowed:
                    continue  # not made here (see the module's docstring)
                if entry.token:
                    answer = demo_client.open(url, method=method)
                    if answer.status_code == 200 and method == "GET":
                        problems.append(f"{role} {method} {url}: a made-up token answered 200")
                    continue
                answer = demo_client.open(url, method=method)
                got = outcome(answer)
                if allowed and entry.personal:
                    expected = got if got in ("ok", "denied") else "ok or denied"
                elif allowed:
                    expected = "ok"
                elif role == "anonymous":
                    expected = entry.anonymous
                else:
                    expected = "denied"
                if got != expected:
                    problems.append(
                        f"{role} {method} {rule.rule} ({url}): {got} ({answer.status_code}), "
                        f"expected {expected}"
                    )
    assert not problems, f"{len(problems)} mismatch(es):\n" + "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_entries_are_well_formed(endpoint):
    entry = MATRIX[endpoint]
    assert entry.allowed <= EVERYONE
    assert entry.anonymous in ("login", "denied", "ok")
    assert re.match(r"^[a-z_]+(\.[a-z_]+)?$", endpoint)
