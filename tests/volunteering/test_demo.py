"""The demo data shows every kind and tag, a full shift with a waitlist and confirmed hours."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.demo import load_demo_data
from app.extensions import db
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityTagCode,
    Shift,
    Signup,
    SignupStatus,
)


def test_demo_data_is_complete_and_idempotent(demo_app):
    load_demo_data()  # a second time: nothing doubles
    opportunities = db.session.scalars(sa.select(Opportunity)).all()
    assert len(opportunities) == 8
    assert {o.kind for o in opportunities} == set(OpportunityKind)
    assert {code for o in opportunities for code in o.tag_codes} == {
        t.value for t in OpportunityTagCode
    }
    full = [s for s in db.session.scalars(sa.select(Shift)) if s.taken == s.capacity]
    assert any(
        any(signup.status == SignupStatus.WAITLISTED for signup in shift.signups) for shift in full
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Signup.id)).where(Signup.hours_confirmed_at.is_not(None))
        )
        >= 4
    )
    for shift in db.session.scalars(sa.select(Shift)):
        holding = sum(1 for s in shift.signups if s.holds_place)
        assert holding == shift.taken <= shift.capacity


def test_every_page_renders_in_every_language(demo_app, demo_client, demo_auth):
    """A smoke walk over the demo data as a resident, a volunteer and an NGO owner."""
    from app.accounts.models import User

    client, auth = demo_client, demo_auth
    opportunity = db.session.scalars(sa.select(Opportunity).order_by(Opportunity.id)).first()
    shift = opportunity.shifts[0]
    slug = opportunity.organisation.slug
    volunteer = db.session.scalar(
        sa.select(User).where(User.email == "wolontariusz@demo.wspolnie.pl")
    )
    owner = db.session.scalar(sa.select(User).where(User.email == "fundacja@demo.wspolnie.pl"))
    public = [
        "/wolontariat/",
        "/wolontariat/?tag=youth&daypart=morning&sort=newest",
        f"/wolontariat/oferty/{opportunity.id}",
        "/wolontariat/nowe.atom",
        "/embed/wolontariat?district=rubinkowo",
    ]
    personal = [
        "/wolontariat/moje",
        "/wolontariat/profil",
        "/wolontariat/dla-ciebie",
        f"/wolontariat/terminy/{shift.id}/zapis",
        f"/wolontariat/zaswiadczenie/{slug}",
        "/wolontariat/moje-dane/usun",
    ]
    organisation = [
        f"/wolontariat/organizacja/{slug}/",
        f"/wolontariat/organizacja/{slug}/oferty/nowa",
        f"/wolontariat/organizacja/{slug}/oferty/{opportunity.id}",
        f"/wolontariat/organizacja/{slug}/oferty/{opportunity.id}/edycja",
        f"/wolontariat/organizacja/{slug}/oferty/{opportunity.id}/zgloszenia",
        f"/wolontariat/organizacja/{slug}/godziny",
    ]
    from app.volunteering.agreements.models import Agreement

    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.user_id == volunteer.id).order_by(Agreement.id)
    )
    personal.append(f"/wolontariat/porozumienia/{agreement.id}")
    from app.volunteering.agreements.models import Opinion

    opinion = db.session.scalar(sa.select(Opinion))
    personal.append(f"/wolontariat/opinie/{opinion.id}")
    organisation += [
        f"/wolontariat/organizacja/{slug}/porozumienia",
        f"/wolontariat/organizacja/{slug}/porozumienia/{agreement.id}",
        f"/wolontariat/organizacja/{slug}/wzor-porozumienia",
        f"/wolontariat/organizacja/{slug}/karty-pracy",
        f"/wolontariat/organizacja/{slug}/opinie",
        f"/wolontariat/organizacja/{slug}/opinie/{opinion.id}",
        f"/wolontariat/organizacja/{slug}/standardy-ochrony-maloletnich",
    ]
    public.append("/organizacje/stowarzyszenie-rubinkowo-sasiedzi")
    personal.append(f"/wolontariat/porozumienia/{agreement.id}/karta-pracy")
    public.append("/wolontariat/zgoda/demo-zgoda-opiekuna")
    from app.volunteering.grants.models import Grant

    grant = db.session.scalar(sa.select(Grant))
    organisation += [
        f"/wolontariat/organizacja/{slug}/dotacje",
        f"/wolontariat/organizacja/{slug}/dotacje/{grant.id}",
        f"/wolontariat/organizacja/{slug}/dotacje/{grant.id}/raport",
        f"/wolontariat/organizacja/{slug}/historie",
    ]
    public.append("/wolontariat/historie")
    personal.append("/wolontariat/historie/moje")
    for language in ("pl", "en", "uk"):
        headers = {"Accept-Language": language}
        for user, paths in ((None, public), (volunteer, personal), (owner, organisation)):
            if user is not None:
                auth.login(user)
            for path in paths:
                response = client.get(path, headers=headers)
                assert response.status_code == 200, (language, path)
    auth.login(owner)
    report = client.get(f"/wolontariat/organizacja/{slug}/dotacje/{grant.id}/raport").text
    assert "Aktywni seniorzy na Rubinkowie" in report and volunteer.name in report
    assert "Spacery, które zmieniły moje wtorki" in client.get("/wolontariat/historie").text
    english = client.get("/wolontariat/", headers={"Accept-Language": "en"})
    assert "Volunteering in Toruń" in english.text


def test_demo_shows_agreements_and_a_minors_pending_consent(demo_app):
    from app.volunteering.agreements.models import Agreement, GuardianConsent

    agreements = db.session.scalars(sa.select(Agreement)).all()
    assert any(a.written_required and a.written_signed_on for a in agreements)
    assert any(not a.written_required and a.volunteer_accepted_at for a in agreements)
    consent = db.session.scalar(sa.select(GuardianConsent))
    assert consent.used_at is None and consent.signup.guardian_consent_at is None
    assert db.session.scalar(sa.select(Opportunity).where(Opportunity.nnw_insurer != ""))
    from app.volunteering.agreements.models import ChildProtectionStandards, RegisterCheck

    assert db.session.scalar(sa.select(Opportunity).where(Opportunity.works_with_children))
    assert db.session.scalar(sa.select(RegisterCheck)) is not None
    assert db.session.scalar(sa.select(ChildProtectionStandards)) is not None
    from app.volunteering.groups import SchoolGroup

    group = db.session.scalar(sa.select(SchoolGroup))
    assert group.coordinator.email == "szkola@demo.wspolnie.pl" and len(group.pupils) == 2


def test_editing_an_opportunity_keeps_its_values(demo_app, demo_client, demo_auth):
    from app.accounts.models import User

    client, auth = demo_client, demo_auth
    owner = db.session.scalar(sa.select(User).where(User.email == "fundacja@demo.wspolnie.pl"))
    opportunity = db.session.scalar(
        sa.select(Opportunity).where(Opportunity.title == "Spacery z seniorami po Rubinkowie")
    )
    url = f"/wolontariat/organizacja/{opportunity.organisation.slug}/oferty/{opportunity.id}/edycja"
    auth.login(owner)
    form = client.get(url).text
    snippets = re.findall(r"<(?:input|option)[^>]*(?:seniors|regular)[^>]*>", form)
    assert '<input checked id="tags-4" name="tags" type="checkbox" value="seniors">' in snippets
    assert '<option selected value="regular">' in snippets
    sequences = [s.sequence for s in opportunity.shifts]
    response = client.post(
        url,
        data={
            "title": "Spacery z seniorami",
            "description": "Nowy opis.",
            "sphere": "seniors",
            "kind": "regular",
            "tags": ["seniors"],
            "district": "rubinkowo",
            "address": "ul. Dziewulskiego 35",
        },
    )
    assert response.status_code == 303
    db.session.refresh(opportunity)
    assert opportunity.title == "Spacery z seniorami" and opportunity.tag_codes == ["seniors"]
    assert [s.sequence for s in opportunity.shifts] == [n + 1 for n in sequences]
