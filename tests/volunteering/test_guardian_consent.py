"""A minor's guardian consents by a one-time e-mail link (valid, expired, used, declined) or on
paper; until then the sign-up waits; under 13 the guardian concludes the agreement."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.volunteering import service
from app.volunteering.agreements.models import Agreement, GuardianConsent
from app.volunteering.models import Signup, SignupStatus


def _minor_signs_up(client, auth, shift, user, *, age=15, contact="mama@example.org", paper=False):
    auth.login(user)
    data = {
        "birth_year": str(utcnow().year - age),
        "guardian_name": "Maria Kowalska",
        "guardian_contact": contact,
    }
    if paper:
        data["guardian_paper"] = "y"
    response = client.post(f"/wolontariat/terminy/{shift.id}/zapis", data=data)
    assert response.status_code == 303, response.text
    auth.logout()
    return db.session.scalar(sa.select(Signup).where(Signup.user_id == user.id))


def _link(outbox) -> str:
    mail = next(m for m in reversed(outbox()) if m.recipient == "mama@example.org")
    return re.search(r"http://[^\s]+/wolontariat/zgoda/[\w-]+", mail.body).group(0)


def test_guardian_consents_by_link_and_then_the_organisation_may_accept(
    client, auth, shift, volunteer, ngo_owner, organisation, outbox
):
    signup = _minor_signs_up(client, auth, shift, volunteer)
    assert signup.status == SignupStatus.PENDING and signup.guardian_consent_at is None
    mail = next(m for m in outbox() if m.recipient == "mama@example.org")
    assert "Pomoc w jadłodzielni" in mail.body and "jeden raz" in mail.body
    stored = db.session.scalar(sa.select(GuardianConsent))
    url = _link(outbox)
    assert stored.token_hash and stored.token_hash not in url  # only the hash is kept
    with pytest.raises(DomainError, match="czeka na zgodę"):
        service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.rollback()
    page = client.get(url)
    assert page.status_code == 200 and "Pomoc w jadłodzielni" in page.text
    assert "Porozumienie o wykonywaniu świadczeń wolontariusza" in page.text  # the agreement
    assert client.post(url, data={"decision": "maybe"}).status_code == 422
    done = client.post(url, data={"decision": "consent"})
    assert done.status_code == 303
    db.session.expire_all()
    signup = db.session.get(Signup, signup.id)
    assert signup.guardian_consent_at is not None
    assert any("guardian consented" in event.reason for event in signup.events)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    assert signup.status == SignupStatus.ACCEPTED
    # Used: the link works once.
    again = client.get(url)
    assert again.status_code == 410 and "już użyty" in again.text
    assert client.post(url, data={"decision": "decline"}).status_code == 410


def test_declined_link_withdraws_the_sign_up_and_frees_the_place(
    client, auth, shift, volunteer, outbox
):
    signup = _minor_signs_up(client, auth, shift, volunteer)
    url = _link(outbox)
    assert client.post(url, data={"decision": "decline"}).status_code == 303
    db.session.expire_all()
    signup = db.session.get(Signup, signup.id)
    assert signup.status == SignupStatus.CANCELLED and signup.guardian_consent_at is None
    assert signup.shift.taken == 0
    assert db.session.scalar(sa.select(GuardianConsent)).decision.value == "declined"
    assert client.get(url).status_code == 410


def test_expired_and_superseded_links_do_not_work(client, auth, shift, volunteer, outbox):
    signup = _minor_signs_up(client, auth, shift, volunteer)
    first = _link(outbox)
    with freeze_time(utcnow() + timedelta(days=8)):
        expired = client.get(first)
        assert expired.status_code == 410 and "wygasł" in expired.text
        assert client.post(first, data={"decision": "consent"}).status_code == 410
    auth.login(volunteer)
    resent = client.post(f"/wolontariat/zgloszenia/{signup.id}/zgoda-opiekuna/ponow")
    assert resent.status_code == 303
    second = _link(outbox)
    assert second != first
    assert client.get(first).status_code == 410  # superseded at once
    assert client.get(second).status_code == 200
    assert client.get("/wolontariat/zgoda/not-a-token").status_code == 404


def test_paper_form_printed_by_the_minor_and_marked_received(
    client, auth, shift, volunteer, ngo_owner, organisation, make_user, outbox
):
    signup = _minor_signs_up(client, auth, shift, volunteer, contact="600 100 200", paper=True)
    assert not any(m.recipient == "600 100 200" for m in outbox())
    auth.login(volunteer)
    form = client.get(f"/wolontariat/zgloszenia/{signup.id}/zgoda-opiekuna")
    assert form.status_code == 200 and "Maria Kowalska" in form.text
    assert "podpis rodzica lub opiekuna prawnego" in form.text
    assert "czeka na zgodę rodzica lub opiekuna" in client.get("/wolontariat/moje").text
    auth.logout()
    other = make_user(name="Inna")
    auth.login(other)
    assert client.get(f"/wolontariat/zgloszenia/{signup.id}/zgoda-opiekuna").status_code == 404
    auth.logout()
    auth.login(ngo_owner)
    applicants = client.get(
        f"/wolontariat/organizacja/{organisation.slug}/oferty/{shift.opportunity_id}/zgloszenia"
    )
    assert "czeka na zgodę opiekuna" in applicants.text
    url = f"/wolontariat/organizacja/{organisation.slug}/zgloszenia/{signup.id}/zgoda-papierowa"
    assert client.post(url).status_code == 303
    again = client.post(url)
    assert again.status_code == 409
    db.session.expire_all()
    consent = db.session.scalar(sa.select(GuardianConsent).order_by(GuardianConsent.id.desc()))
    assert consent.paper_received_at and consent.recorded_by_id == ngo_owner.id
    assert db.session.get(Signup, signup.id).guardian_consent_at is not None


def test_only_members_of_the_organisation_mark_paper_consent(
    client, auth, shift, volunteer, make_user, make_organisation, organisation, staff
):
    signup = _minor_signs_up(client, auth, shift, volunteer, contact="600 100 200", paper=True)
    url = f"/wolontariat/organizacja/{organisation.slug}/zgloszenia/{signup.id}/zgoda-papierowa"
    assert client.post(url).status_code == 302  # anonymous: log in first
    outsider = make_user(name="Obcy")
    other = make_organisation("Inna", owner=outsider)
    auth.login(outsider)
    assert client.post(url).status_code == 403
    foreign = f"/wolontariat/organizacja/{other.slug}/zgloszenia/{signup.id}/zgoda-papierowa"
    assert client.post(foreign).status_code == 404
    auth.logout()
    auth.login(staff)
    assert client.post(url).status_code == 403
    auth.logout()
    auth.login(volunteer)  # the minor herself cannot mark it
    assert client.post(url).status_code == 403
    assert (
        client.post(f"/wolontariat/zgloszenia/{signup.id}/zgoda-opiekuna/ponow").status_code == 409
    )
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).guardian_consent_at is None


def test_under_13_the_guardian_concludes_the_agreement(
    client, auth, make_opportunity, make_shift, volunteer, outbox
):
    shift = make_shift(make_opportunity(requires_approval=False))
    signup = _minor_signs_up(client, auth, shift, volunteer, age=13)
    assert signup.status == SignupStatus.PENDING  # even without approval: consent first
    agreement = db.session.scalar(sa.select(Agreement))
    assert agreement.guardian_is_party and agreement.guardian_name == "Maria Kowalska"
    auth.login(volunteer)
    refused = client.post(f"/wolontariat/porozumienia/{agreement.id}/akceptacja", data={})
    assert refused.status_code == 403
    auth.logout()
    url = _link(outbox)
    assert "zawiera w jej imieniu rodzic lub opiekun" in client.get(url).text
    client.post(url, data={"decision": "consent"})
    db.session.expire_all()
    agreement = db.session.scalar(sa.select(Agreement))
    assert agreement.volunteer_accepted_at is not None
    assert db.session.get(Signup, signup.id).status == SignupStatus.ACCEPTED
    auth.login(volunteer)
    page = client.get(f"/wolontariat/porozumienia/{agreement.id}").text
    assert "podpis rodzica lub opiekuna prawnego" in page


def test_no_hours_before_consent(make_opportunity, make_shift, volunteer, ngo_owner):
    shift = make_shift(make_opportunity())
    signup = service.sign_up(
        shift.id,
        user=volunteer,
        birth_year=utcnow().year - 16,
        guardian=service.Guardian("Maria Kowalska", "600 100 200", paper=True),
    )
    db.session.commit()
    signup.status = SignupStatus.ACCEPTED  # as if accepted before this rule existed
    db.session.commit()
    with freeze_time(shift.ends_at + timedelta(hours=1)), pytest.raises(DomainError):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)


def test_account_download_and_deletion_cover_guardian_consents(
    client, auth, shift, volunteer, outbox
):
    from app.accounts.privacy import delete_account, export_personal_data

    _minor_signs_up(client, auth, shift, volunteer)
    exported = export_personal_data(volunteer)["volunteering_guardian_consents"]
    assert exported[0]["guardian_email"] == "mama@example.org"
    delete_account(volunteer)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(GuardianConsent.id))) == 0
