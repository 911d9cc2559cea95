"""The members' actions as htmx sends them: each answers with its message in the same response
(the flash region out of band), and a refusal with 409/422, its precise reason and nothing
changed."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.organisations.models import Invitation, Membership, MembershipRequest, RequestStatus
from app.permissions import is_member, is_owner


def flash_region(response) -> str:
    """The out-of-band message region of an htmx answer."""
    match = re.search(
        r'<div id="flash-messages"[^>]*hx-swap-oob="[^"]+"[^>]*>(.*?)</div>', response.text, re.S
    )
    assert match, response.text
    return match.group(1)


def assert_refused(response, message: str, status: int = 409) -> None:
    assert response.status_code == status
    assert message in flash_region(response)
    assert response.headers["HX-Reswap"] == "none"


def count(model, *conditions) -> int:
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def membership_of(user) -> Membership:
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))


def test_invite_shows_its_message_and_refuses_a_member(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    auth.login(owner)
    url = f"/organizacje/{organisation.slug}/czlonkowie/zaproszenia"
    sent = client.hx_post(url, data={"email": "nowa@example.org", "role": "editor"})
    assert sent.status_code == 200 and "<html" not in sent.text
    assert "Wysłano zaproszenie na adres nowa@example.org." in flash_region(sent)
    assert [m.recipient for m in outbox()] == ["nowa@example.org"]

    refused = client.hx_post(url, data={"email": "owner@example.org", "role": "editor"})
    assert refused.status_code == 422
    assert "Ta osoba już należy do organizacji." in refused.text
    assert 'value="owner@example.org"' in refused.text
    assert count(Invitation) == 1 and len(outbox()) == 1


def test_remove_member_shows_its_message_and_refuses_the_last_owner(
    client, auth, make_user, make_organisation_profile
):
    owner, editor = make_user(), make_user(name="Edyta Redaktorka")
    organisation = make_organisation_profile("Fundacja A", owner=owner, editors=[editor])
    auth.login(owner)
    base = f"/organizacje/{organisation.slug}/czlonkowie"
    removed = client.hx_post(f"{base}/{membership_of(editor).id}/usun")
    assert removed.status_code == 200
    assert "Usunięto osobę z organizacji." in flash_region(removed)
    assert "Edyta Redaktorka" not in removed.text
    assert not is_member(editor, organisation)

    refused = client.hx_post(f"{base}/{membership_of(owner).id}/usun")
    assert_refused(
        refused,
        "Organizacja musi mieć co najmniej jednego właściciela. Najpierw dodaj innego.",
    )
    assert is_owner(owner, organisation)


def test_ask_to_join_shows_its_message_and_refuses_a_second_request(
    client, auth, outbox, make_user, make_organisation_profile
):
    organisation = make_organisation_profile("Fundacja A", owner=make_user("owner@example.org"))
    auth.login(make_user())
    url = f"/organizacje/{organisation.slug}/dolacz"
    asked = client.hx_post(url, data={"message": "Jestem w zarządzie."})
    assert asked.status_code == 200
    assert "Wysłano prośbę o dołączenie. Zdecydują właściciele organizacji." in flash_region(asked)
    assert "Twoja prośba czeka na decyzję." in asked.text  # the join section, swapped

    refused = client.hx_post(url, data={"message": "Jeszcze raz."})
    assert_refused(refused, "Twoja prośba już czeka na decyzję.")
    assert count(MembershipRequest) == 1
    assert [m.recipient for m in outbox()] == ["owner@example.org"]


def test_owner_accepts_and_declines_requests_and_a_decided_one_is_refused(
    client, auth, outbox, make_user, make_organisation_profile
):
    owner = make_user()
    organisation = make_organisation_profile("Fundacja A", owner=owner)
    wanted, unwanted = make_user(name="Chętna Osoba"), make_user(name="Inna Osoba")
    for user in (wanted, unwanted):
        auth.login(user)
        client.post(f"/organizacje/{organisation.slug}/dolacz", data={"message": ""})
    first, second = db.session.scalars(
        sa.select(MembershipRequest).order_by(MembershipRequest.id)
    ).all()
    auth.login(owner)
    accepted = client.hx_post(f"/organizacje/prosby/{first.id}", data={"decision": "approve"})
    assert accepted.status_code == 200
    assert "Prośba przyjęta." in flash_region(accepted)
    assert is_member(wanted, organisation)
    declined = client.hx_post(f"/organizacje/prosby/{second.id}", data={"decision": "decline"})
    assert "Prośba odrzucona." in flash_region(declined)
    assert not is_member(unwanted, organisation)
    assert "Brak oczekujących próśb." in declined.text

    refused = client.hx_post(f"/organizacje/prosby/{second.id}", data={"decision": "approve"})
    assert_refused(refused, "Ta prośba została już rozpatrzona.")
    db.session.refresh(second)
    assert second.status == RequestStatus.DECLINED and not is_member(unwanted, organisation)


def test_claim_shows_its_message_and_staff_approve_it(
    client, auth, outbox, staff, make_user, make_organisation_profile
):
    organisation = make_organisation_profile("Fundacja Zaimportowana", krs="0000123123")
    claimant = make_user()
    auth.login(claimant)
    url = f"/organizacje/{organisation.slug}/dolacz"
    claimed = client.hx_post(url, data={"message": "Jestem prezesem."})
    assert claimed.status_code == 200
    assert "Wysłano prośbę o przejęcie profilu. Zdecyduje Urząd Miasta." in flash_region(claimed)
    assert_refused(client.hx_post(url, data={"message": ""}), "Twoja prośba już czeka na decyzję.")
    assert count(MembershipRequest) == 1

    request = db.session.scalar(sa.select(MembershipRequest))
    auth.login(staff)
    approved = client.hx_post(f"/organizacje/prosby/{request.id}", data={"decision": "approve"})
    assert approved.status_code == 200
    assert "Prośba przyjęta." in flash_region(approved)
    assert "Brak oczekujących próśb." in approved.text  # the staff's list, swapped
    assert is_owner(claimant, organisation)


def test_a_page_without_htmx_is_sent_on_with_303(
    client, auth, make_user, make_organisation_profile
):
    owner, editor = make_user(), make_user()
    organisation = make_organisation_profile("Fundacja A", owner=owner, editors=[editor])
    auth.login(owner)
    response = client.post(
        f"/organizacje/{organisation.slug}/czlonkowie/{membership_of(editor).id}/usun"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/organizacje/{organisation.slug}/czlonkowie"
    assert "Usunięto osobę z organizacji." in client.get(response.headers["Location"]).text
