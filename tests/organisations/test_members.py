"""Several members per organisation: invitations, removal, asking to join, claiming a profile,
and who may do each of these."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.organisations import service
from app.organisations.models import Invitation, Membership, MembershipRequest, RequestStatus
from app.permissions import is_member, is_owner
from tests.helpers import Browser, race


def invitation_link(message) -> str:
    match = re.search(r"http://localhost(/organizacje/zaproszenie/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_owner_invites_by_email_and_invitee_joins(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    auth.login(owner)
    response = client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": "Nowa.Osoba@Example.org", "role": "editor"},
    )
    assert response.status_code == 303
    [message] = outbox()
    assert message.recipient == "nowa.osoba@example.org"
    link = invitation_link(message)

    invitee = make_user("nowa.osoba@example.org")
    auth.login(invitee)
    assert "Fundacja A" in client.get(link).text
    assert client.post(link).status_code == 303
    assert is_member(invitee, organisation) and not is_owner(invitee, organisation)
    # The link works once.
    assert client.post(link).status_code == 404


def test_invitation_for_another_address_is_refused(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    auth.login(owner)
    client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": "adresat@example.org", "role": "owner"},
    )
    link = invitation_link(outbox()[0])
    intruder = make_user("ktos.inny@example.org")
    auth.login(intruder)
    response = client.post(link)
    assert response.status_code == 403
    assert "inny adres e-mail" in response.text
    assert not is_member(intruder, organisation)


def test_non_owners_cannot_add_members(client, auth, outbox, make_user, make_organisation_profile):
    editor, stranger, other_owner = make_user(), make_user(), make_user()
    organisation = make_organisation_profile("Fundacja A", owner=make_user(), editors=[editor])
    make_organisation_profile("Fundacja B", owner=other_owner)
    url = f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia"
    for user in (editor, stranger, other_owner):
        auth.login(user)
        assert client.post(url, data={"email": "x@example.org", "role": "owner"}).status_code == 403
    assert outbox() == []


def test_inviting_an_existing_member_shows_an_error(
    client, auth, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    auth.login(owner)
    response = client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": "owner@example.org", "role": "editor"},
    )
    assert response.status_code == 400
    assert "już należy do organizacji" in response.text
    bad = client.hx_post(
        f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia",
        data={"email": "to-nie-email", "role": "editor"},
    )
    assert bad.status_code == 422 and 'value="to-nie-email"' in bad.text


def test_owner_removes_member_but_editor_cannot(client, auth, make_user, make_organisation_profile):
    owner, editor, editor2 = make_user(), make_user(), make_user()
    organisation = make_organisation_profile("Fundacja A", owner=owner, editors=[editor, editor2])
    membership2 = db.session.scalar(sa.select(Membership).where(Membership.user_id == editor2.id))
    auth.login(editor)
    url = f"/organizacje/{organisation.slug}/czlonkowie/{membership2.id}/usun"
    assert client.post(url).status_code == 403
    auth.login(owner)
    assert client.post(url).status_code == 303
    assert not is_member(editor2, organisation)


def test_last_owner_cannot_be_removed_but_a_member_may_leave(
    client, auth, make_user, make_organisation_profile
):
    owner, editor = make_user(), make_user()
    organisation = make_organisation_profile("Fundacja A", owner=owner, editors=[editor])
    auth.login(owner)
    own = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    refused = client.post(f"/organizacje/{organisation.slug}/czlonkowie/{own.id}/usun")
    assert refused.status_code == 409
    assert "co najmniej jednego właściciela" in refused.text
    assert is_owner(owner, organisation)
    auth.login(editor)
    mine = db.session.scalar(sa.select(Membership).where(Membership.user_id == editor.id))
    client.post(f"/organizacje/{organisation.slug}/czlonkowie/{mine.id}/usun")
    assert not is_member(editor, organisation)


def test_members_page_is_for_members_and_staff(
    client, auth, staff, make_user, make_organisation_profile
):
    editor = make_user()
    organisation = make_organisation_profile("Fundacja A", owner=make_user(), editors=[editor])
    url = f"/organizacje/{organisation.slug}/czlonkowie"
    auth.login(make_user())
    assert client.get(url).status_code == 403
    auth.login(editor)
    page = client.get(url).text
    assert "Członkowie organizacji" in page and "Zaproś osobę" not in page
    auth.login(staff)
    assert "Zaproś osobę" in client.get(url).text


def test_user_asks_to_join_and_owner_approves(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    volunteer = make_user("chetna@example.org", name="Chętna Osoba")
    auth.login(volunteer)
    client.post(f"/organizacje/{organisation.slug}/dolacz", data={"message": "Jestem w zarządzie."})
    again = client.post(f"/organizacje/{organisation.slug}/dolacz", data={"message": ""})
    assert again.status_code == 409
    assert "Twoja prośba już czeka na decyzję." in again.text
    assert "Twoja prośba czeka na decyzję." in client.get(f"/organizacje/{organisation.slug}").text
    [notice] = outbox()
    assert notice.recipient == "owner@example.org" and "Chętna Osoba" in notice.body
    request = db.session.scalar(sa.select(MembershipRequest))

    # Neither the requester nor another organisation's owner may decide.
    auth.login(make_organisation_profile("Fundacja B", owner=make_user()).memberships[0].user)
    assert (
        client.post(f"/organizacje/prosby/{request.id}", data={"decision": "approve"}).status_code
        == 403
    )
    auth.login(owner)
    client.post(f"/organizacje/prosby/{request.id}", data={"decision": "approve"})
    db.session.refresh(request)
    assert request.status == RequestStatus.APPROVED
    assert is_member(volunteer, organisation) and not is_owner(volunteer, organisation)
    assert outbox()[-1].recipient == "chetna@example.org"
    # A decided request cannot be decided again.
    client.post(f"/organizacje/prosby/{request.id}", data={"decision": "decline"})
    db.session.refresh(request)
    assert request.status == RequestStatus.APPROVED


def test_unmanaged_profile_is_claimed_and_only_staff_approve(
    client, auth, outbox, staff, make_user, make_organisation_profile
):
    organisation = make_organisation_profile("Fundacja Zaimportowana", krs="0000123123")
    claimant = make_user()
    auth.login(claimant)
    assert "Przejmij profil" in client.get(f"/organizacje/{organisation.slug}").text
    client.post(f"/organizacje/{organisation.slug}/dolacz", data={"message": "Jestem prezesem."})
    request = db.session.scalar(sa.select(MembershipRequest))
    assert request.kind == "claim"
    assert [m.recipient for m in outbox()] == [staff.email]
    assert (
        client.post(f"/organizacje/prosby/{request.id}", data={"decision": "approve"}).status_code
        == 403
    )
    auth.login(staff)
    assert "Fundacja Zaimportowana" in client.get("/organizacje/prosby").text
    client.post(f"/organizacje/prosby/{request.id}", data={"decision": "approve"})
    assert is_owner(claimant, organisation)


@pytest.mark.race
def test_concurrent_join_requests_leave_one_pending_request(
    app, live_server, make_user, make_organisation_profile
):
    """Double-clicks and parallel tabs: the partial unique index keeps one open request; the
    others are refused with the reason, none fails."""
    organisation = make_organisation_profile("Fundacja A", owner=make_user())
    browser = Browser(app, make_user("szybki@example.org"), base_url=live_server.url)
    url = f"/organizacje/{organisation.slug}/dolacz"
    answers = race([lambda: browser.post(url, {"message": "hej"})] * 6)
    assert sorted(answer.status for answer in answers) == [303] + [409] * 5
    assert all("już czeka na decyzję" in a.text for a in answers if a.status == 409)
    db.session.commit()  # a fresh snapshot: the requests ran in other transactions
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MembershipRequest)
        .where(MembershipRequest.status == "pending")
    )
    assert pending == 1


@pytest.mark.race
def test_two_owners_removing_each_other_leave_one_owner(
    app, live_server, make_user, make_organisation_profile
):
    first, second = make_user("pierwsza@example.org"), make_user("druga@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=first)
    service.add_member(organisation, second, service.MemberRole.OWNER)
    db.session.commit()
    ids = {
        m.user_id: m.id
        for m in db.session.scalars(
            sa.select(Membership).where(Membership.organisation_id == organisation.id)
        )
    }
    base = f"/organizacje/{organisation.slug}/czlonkowie"
    browsers = {user.id: Browser(app, user, base_url=live_server.url) for user in (first, second)}
    answers = race(
        [
            lambda: browsers[first.id].post(f"{base}/{ids[second.id]}/usun"),
            lambda: browsers[second.id].post(f"{base}/{ids[first.id]}/usun"),
        ]
    )
    # The loser is refused: on SQLite its request waited for the lock and found itself no
    # longer an owner (403); on PostgreSQL it locked the owners' rows and found the last one.
    [done, refused] = sorted(answers, key=lambda answer: answer.status)
    assert done.status == 303
    assert refused.status == 403 or (
        refused.status == 409 and "co najmniej jednego właściciela" in refused.text
    )
    db.session.commit()
    owners = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(Membership.organisation_id == organisation.id, Membership.role == "owner")
    )
    assert owners == 1


def test_inviting_again_resends_the_open_invitation(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    auth.login(owner)
    url = f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia"
    client.post(url, data={"email": "adresat@example.org", "role": "editor"})
    client.post(url, data={"email": "Adresat@example.org", "role": "owner"})
    first, second = outbox()
    assert invitation_link(first) == invitation_link(second)  # the same link, sent again
    [invitation] = db.session.scalars(sa.select(Invitation)).all()
    assert invitation.role == "owner"


@pytest.mark.race
def test_concurrent_invitations_of_one_address_send_one(
    app, live_server, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    browser = Browser(app, owner, base_url=live_server.url)
    url = f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia"
    form = {"email": "adresat@example.org", "role": "editor"}
    answers = race([lambda: browser.post(url, form)] * 4)
    assert [answer.status for answer in answers] == [303] * 4
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    links = {re.search(r"/zaproszenie/(\S+)", message.body).group(1) for message in outbox()}
    assert len(links) == 1  # however many were sent, one link
