"""Verification: a member asks, staff see the registry numbers with their check digits and
approve, refuse with a reason or revoke with a reason; members see the outcome."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.mail import OutboxMessage


def ask(client, auth, owner, organisation, message="Prosimy"):
    auth.login(owner)
    return client.post(
        f"/organizacje/{organisation.slug}/prosba-o-weryfikacje", data={"message": message}
    )


def test_a_member_asks_and_staff_approve(client, auth, ngo_owner, organisation, staff):
    organisation.nip, organisation.regon, organisation.krs = "5260250274", "123456785", "0000123456"
    db.session.commit()
    profile = client.get(f"/organizacje/{organisation.slug}")
    assert "Poproś o weryfikację" not in profile.text  # guests do not see the form
    response = ask(client, auth, ngo_owner, organisation, "Dane w KRS są aktualne")
    assert response.status_code == 303
    page = client.get(f"/organizacje/{organisation.slug}").text
    assert "Prośba o weryfikację czeka na Urząd" in page
    assert ask(client, auth, ngo_owner, organisation).status_code == 409  # asked already

    auth.login(staff)
    queue = client.get("/urzad/weryfikacja").text
    assert "Fundacja Razem" in queue and "Dane w KRS są aktualne" in queue
    assert "5260250274" in queue and "cyfra kontrolna poprawna" in queue
    assert "wyszukiwarka-krs.ms.gov.pl" in queue
    assert "Fundacja Razem" in client.get("/urzad/").text.split('id="queue-verification"')[1]
    response = client.post(f"/urzad/weryfikacja/{organisation.slug}", data={"action": "approve"})
    assert response.status_code == 303
    db.session.refresh(organisation)
    assert organisation.is_verified and organisation.verification_requested_at is None
    profile = client.get(f"/organizacje/{organisation.slug}").text
    assert "Zweryfikowana:" in profile
    # With the date of the decision (Warsaw time).
    from app.timeutil import to_local

    shown = profile.split("Zweryfikowana:")[1].split("</p>")[0]
    assert f'datetime="{to_local(organisation.verified_at).date().isoformat()}' in shown
    mail = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [m.recipient for m in mail if "zweryfikowana" in m.subject] == [ngo_owner.email]


def test_bad_check_digits_are_shown(client, auth, ngo_owner, organisation, staff):
    organisation.nip, organisation.regon = "5260250275", "123456786"
    db.session.commit()
    ask(client, auth, ngo_owner, organisation)
    auth.login(staff)
    queue = client.get("/urzad/weryfikacja").text
    assert queue.count("błędna cyfra kontrolna") == 2
    # The check digit is shown: the one written and the one the other digits give.
    assert "jest 5, z pozostałych cyfr wychodzi 4" in queue  # NIP 526025027[5]
    assert "jest 6, z pozostałych cyfr wychodzi 5" in queue  # REGON 12345678[6]


def test_check_digits_of_a_fourteen_digit_regon_and_a_nip_no_digit_fits(
    client, auth, ngo_owner, organisation, staff
):
    from app.organisations.identifiers import expected_check_digit, regon_is_valid

    assert regon_is_valid("12345678500010") and not regon_is_valid("12345678500011")
    assert expected_check_digit("REGON", "12345678500011") == "0"
    organisation.nip, organisation.regon = "1234567890", "12345678500010"
    db.session.commit()
    assert expected_check_digit("NIP", "1234567890") == ""  # the sum gives 10: never issued
    ask(client, auth, ngo_owner, organisation)
    auth.login(staff)
    queue = client.get("/urzad/weryfikacja").text
    assert "żadna cyfra kontrolna nie pasuje" in queue
    assert "cyfra kontrolna poprawna" in queue and "ostatnia cyfra: 0" in queue


def test_refusal_needs_a_reason_and_members_see_it(client, auth, ngo_owner, organisation, staff):
    ask(client, auth, ngo_owner, organisation)
    auth.login(staff)
    url = f"/urzad/weryfikacja/{organisation.slug}"
    response = client.post(url, data={"action": "refuse", "reason": "  "})
    assert response.status_code == 422 and "Podaj powód: organizacja go zobaczy." in response.text
    fragment = client.hx_post(url, data={"action": "refuse", "reason": ""})
    assert fragment.status_code == 422 and "<html" not in fragment.text
    response = client.post(url, data={"action": "refuse", "reason": "NIP nie zgadza się z KRS"})
    assert response.status_code == 303
    auth.login(ngo_owner)
    page = client.get(f"/organizacje/{organisation.slug}").text
    assert "NIP nie zgadza się z KRS" in page and "Poproś o weryfikację" in page
    assert client.post(url, data={"action": "refuse", "reason": "x"}).status_code == 403


def test_staff_revoke_with_a_reason(client, auth, ngo_owner, organisation, staff):
    auth.login(staff)
    client.post(
        f"/urzad/weryfikacja/{organisation.slug}", data={"action": "approve", "next": "profile"}
    )
    db.session.refresh(organisation)
    assert organisation.is_verified
    url = f"/urzad/weryfikacja/{organisation.slug}"
    assert client.post(url, data={"action": "revoke", "reason": ""}).status_code == 422
    assert (
        client.post(
            url, data={"action": "revoke", "reason": "Organizacja w likwidacji"}
        ).status_code
        == 303
    )
    db.session.refresh(organisation)
    assert (
        not organisation.is_verified
        and organisation.verification_refusal == "Organizacja w likwidacji"
    )
    assert client.post(url, data={"action": "revoke", "reason": "x"}).status_code == 409
    assert client.post(url, data={"action": "nonsense"}).status_code == 400


def test_only_members_ask(client, auth, volunteer, organisation):
    url = f"/organizacje/{organisation.slug}/prosba-o-weryfikacje"
    assert "/konto/logowanie" in client.post(url).headers["Location"]
    auth.login(volunteer)
    assert client.post(url).status_code == 403
    assert client.post("/organizacje/nie-ma/prosba-o-weryfikacje").status_code == 404
