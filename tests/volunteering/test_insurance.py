"""Accident insurance (NNW, art. 46): up to 30 days the organisation records the insurance it
provides; publishing without it warns; the volunteer sees the offer is insured."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.volunteering import service
from app.volunteering.agreements.models import Agreement
from app.volunteering.models import OpportunityStatus

OFFER = {
    "title": "Sprzątanie brzegu Wisły",
    "description": "Zbieramy śmieci.",
    "sphere": "ecology_animals",
    "kind": "one_off",
    "district": "na-skarpie",
}


def _base(organisation):
    return f"/wolontariat/organizacja/{organisation.slug}"


def test_publishing_a_short_offer_without_insurance_warns(
    client, auth, organisation, ngo_owner, make_opportunity, make_shift
):
    draft = make_opportunity("Sprzątanie", status=OpportunityStatus.DRAFT)
    make_shift(draft)
    auth.login(ngo_owner)
    page = f"{_base(organisation)}/oferty/{draft.id}"
    published = client.post(f"{page}/status", data={"action": "publish"}, follow_redirects=True)
    assert published.status_code == 200
    assert "nie podaje ubezpieczenia NNW" in published.text
    assert "art. 46" in client.get(page).text
    db.session.refresh(draft)
    assert draft.status == OpportunityStatus.PUBLISHED  # a warning, not a refusal


def test_insurance_recorded_shows_to_volunteers_and_in_the_agreement(
    client, auth, organisation, ngo_owner, volunteer, make_shift
):
    auth.login(ngo_owner)
    bad = client.post(f"{_base(organisation)}/oferty/nowa", data={**OFFER, "nnw_policy": "P-1"})
    assert bad.status_code == 400 and "Podaj też ubezpieczyciela." in bad.text
    created = client.post(
        f"{_base(organisation)}/oferty/nowa",
        data={**OFFER, "nnw_insurer": "PZU SA", "nnw_policy": "NNW/2026/17"},
    )
    assert created.status_code == 303
    from app.volunteering.models import Opportunity

    opportunity = db.session.scalar(sa.select(Opportunity))
    shift = make_shift(opportunity)
    page = f"{_base(organisation)}/oferty/{opportunity.id}"
    published = client.post(f"{page}/status", data={"action": "publish"}, follow_redirects=True)
    assert "nie podaje ubezpieczenia NNW" not in published.text
    public = client.get(f"/wolontariat/oferty/{opportunity.id}").text
    assert "Ubezpieczenie NNW" in public and "PZU SA" in public and "NNW/2026/17" in public
    service.sign_up(shift.id, user=volunteer, birth_year=1990)  # accepted: no approval asked
    db.session.commit()
    agreement = db.session.scalar(sa.select(Agreement))
    assert "PZU SA" in agreement.sections["insurance"]
    auth.logout()
    auth.login(volunteer)
    document = client.get(f"/wolontariat/porozumienia/{agreement.id}").text
    assert "ubezpieczenie od następstw nieszczęśliwych wypadków" in document
    assert "NNW/2026/17" in document


def test_a_statement_counts_and_long_offers_need_no_nnw(
    client, auth, organisation, ngo_owner, make_opportunity, make_shift
):
    from app.volunteering.agreements.service import insurance_missing

    insured = make_opportunity(nnw_statement="Polisa zbiorowa organizacji.")
    make_shift(insured)
    assert not insurance_missing(insured)
    long = make_opportunity("Długa")
    make_shift(long)
    make_shift(long, starts_in=timedelta(days=50))
    db.session.refresh(long)
    assert not insurance_missing(long)
    short = make_opportunity("Krótka")
    make_shift(short)
    assert insurance_missing(short)
