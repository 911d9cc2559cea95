"""The audit trail: membership and role changes, verifications, managers, data exports and
deletions are recorded with who and when; the people concerned, the organisation's members,
the provider's managers and city staff see them; CSV export; a deleted actor reads
"osoba usunięta"."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.organisations.models import MemberRole, Membership
from tests.helpers import TEST_PASSWORD


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def editor(make_user, organisation):
    user = make_user("redaktor@example.org", name="Edward Redaktor")
    organisation.memberships.append(Membership(user=user, role=MemberRole.EDITOR))
    db.session.commit()
    return user


def membership_id(organisation, user) -> int:
    return db.session.scalar(
        sa.select(Membership.id).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )


def test_removal_and_leaving_are_recorded_with_who(
    client, auth, organisation, ngo_owner, editor, make_user
):
    auth.login(ngo_owner)
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_id(organisation, editor)}/usun"
    )
    [removed] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "membership.removed")
    )
    assert (removed.actor_id, removed.subject_user_id, removed.organisation_id) == (
        ngo_owner.id,
        editor.id,
        organisation.id,
    )
    second = make_user("drugi@example.org")
    organisation.memberships.append(Membership(user=second, role=MemberRole.EDITOR))
    db.session.commit()
    auth.login(second)
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_id(organisation, second)}/usun"
    )
    assert actions()[-1] == "membership.left"


def test_a_refused_action_leaves_no_entry(client, auth, organisation, ngo_owner):
    auth.login(ngo_owner)
    refused = client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_id(organisation, ngo_owner)}/usun"
    )
    assert refused.status_code >= 400  # the last owner
    assert actions() == []


def test_verification_and_managers_are_recorded(
    client, auth, staff, organisation, provider, make_user
):
    auth.login(staff)
    client.post(f"/urzad/weryfikacja/{organisation.slug}", data={"action": "approve"})
    client.post(
        f"/urzad/weryfikacja/{organisation.slug}",
        data={"action": "revoke", "reason": "Nieaktualne"},
    )
    newcomer = make_user("wicedyrektor@example.org", name="Wicedyrektor")
    client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy", data={"email": newcomer.email}
    )
    client.post(f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy/{newcomer.id}/usun")
    assert actions() == [
        "organisation.verified",
        "organisation.unverified",
        "provider.manager_added",
        "provider.manager_removed",
    ]


def test_who_sees_which_history(
    client, auth, organisation, ngo_owner, editor, staff, make_user, provider, provider_manager
):
    auth.login(ngo_owner)
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_id(organisation, editor)}/usun"
    )
    page = client.get(f"/historia-zmian/organizacja/{organisation.slug}")
    assert page.status_code == 200 and "usunięcie z organizacji" in page.text
    assert "Edward Redaktor" in page.text and "Kasia Właścicielka" in page.text
    # The person concerned sees it among their own.
    auth.login(editor)
    assert "usunięcie z organizacji" in client.get("/historia-zmian/moja").text
    # Another organisation's member and the provider's manager do not see this organisation's.
    auth.login(make_user("obca@example.org"))
    assert client.get(f"/historia-zmian/organizacja/{organisation.slug}").status_code == 403
    assert client.get("/historia-zmian/").status_code == 403
    auth.login(provider_manager)
    assert client.get(f"/historia-zmian/organizacja/{organisation.slug}").status_code == 403
    assert client.get(f"/historia-zmian/udostepniajacy/{provider.slug}").status_code == 200
    # City staff see everything, and export it.
    auth.login(staff)
    assert "usunięcie z organizacji" in client.get("/historia-zmian/").text
    exported = client.get("/historia-zmian/wszystko.csv")
    rows = list(
        csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:3] == ["kiedy", "kto", "co"]
    assert rows[1][1:5] == [
        "Kasia Właścicielka",
        "usunięcie z organizacji",
        "Edward Redaktor",
        "Fundacja Razem",
    ]


def test_a_data_export_is_recorded_and_a_deleted_actor_reads_osoba_usunieta(
    client, auth, organisation, ngo_owner, make_user, staff
):
    second = make_user("drugi@example.org", name="Druga Właścicielka")
    organisation.memberships.append(Membership(user=second, role=MemberRole.OWNER))
    db.session.commit()
    auth.login(second)
    client.get("/konto/dane.json")
    assert actions() == ["account.data_exported"]
    # She removes the first owner, then deletes her account (the first owner is back first, as
    # an organisation may not be left without one).
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_id(organisation, ngo_owner)}/usun"
    )
    organisation.memberships.append(Membership(user=ngo_owner, role=MemberRole.OWNER))
    db.session.commit()
    deleted = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert deleted.status_code == 303, deleted.text[:500]
    assert actions()[-1] == "account.deleted"
    auth.login(staff)
    page = client.get("/historia-zmian/").text
    assert "osoba usunięta" in page and "Druga Właścicielka" not in page


def test_an_owner_withdraws_an_invitation_and_its_link_stops_working(
    client, auth, organisation, ngo_owner, outbox, make_user
):
    from app.organisations.models import Invitation

    auth.login(ngo_owner)
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": "nowa@example.org", "role": "editor"},
    )
    invitation = db.session.scalar(sa.select(Invitation))
    token, invitation_id = invitation.token, invitation.id
    page = client.get(f"/organizacje/{organisation.slug}/czlonkowie")
    assert "nowa@example.org" in page.text and "Wycofaj zaproszenie" in page.text
    # Another organisation's owner cannot withdraw it.
    auth.login(make_user("obca@example.org"))
    url = f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia/{invitation_id}/wycofaj"
    assert client.post(url).status_code == 403
    auth.login(ngo_owner)
    withdrawn = client.hx_post(url)
    assert withdrawn.status_code == 200
    assert "Wycofano zaproszenie dla nowa@example.org." in withdrawn.text
    assert client.post(url).status_code == 404  # already gone
    invitee = make_user("nowa@example.org")
    auth.login(invitee)
    assert client.get(f"/organizacje/zaproszenie/{token}").status_code == 404
    assert actions()[-1] == "membership.invitation_withdrawn"
