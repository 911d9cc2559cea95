"""Volunteering and the NGO base link to each other (issue 10 item 16)."""

from __future__ import annotations

from datetime import timedelta

from app.db import utcnow
from app.extensions import db
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupStatus,
)


def _opportunity(organisation, title, *, status=OpportunityStatus.PUBLISHED, shift_in=3):
    opportunity = Opportunity(
        organisation=organisation,
        title=title,
        status=status,
        kind=OpportunityKind.ONE_OFF,
        sphere="social_assistance",
        description="Opis.",
        published_at=utcnow() if status == OpportunityStatus.PUBLISHED else None,
    )
    start = (utcnow() + timedelta(days=shift_in)).replace(microsecond=0)
    opportunity.shifts.append(
        Shift(starts_at=start, ends_at=start + timedelta(hours=2), capacity=3)
    )
    db.session.add(opportunity)
    db.session.commit()
    return opportunity


def test_profile_lists_current_opportunities_and_responsiveness(
    client, auth, organisation, ngo_owner, make_user
):
    current = _opportunity(organisation, "Sobotnie zakupy dla seniorów")
    _opportunity(organisation, "Szkic oferty", status=OpportunityStatus.DRAFT)
    _opportunity(organisation, "Zamknięta oferta", status=OpportunityStatus.CLOSED)
    _opportunity(organisation, "Miniony festyn", shift_in=-3)

    page = client.get(f"/organizacje/{organisation.slug}")
    assert page.status_code == 200
    assert "Oferty wolontariatu" in page.text
    assert "Sobotnie zakupy dla seniorów" in page.text
    assert f"/wolontariat/oferty/{current.id}" in page.text
    for hidden in ("Szkic oferty", "Zamknięta oferta", "Miniony festyn"):
        assert hidden not in page.text
    assert "za mało zgłoszeń, by to ocenić" in page.text
    # Not a member: no way into the organisation's volunteering dashboard.
    assert f"/wolontariat/organizacja/{organisation.slug}/" not in page.text

    # An answered application shows how the organisation responds, as the offer page does.
    volunteer = make_user("wolontariuszka@example.org")
    since = utcnow() - timedelta(days=2)
    db.session.add(Signup(shift=current.shifts[0], user=volunteer, status=SignupStatus.ACCEPTED,
                          pending_since=since, responded_at=since + timedelta(hours=5)))  # fmt: skip
    db.session.commit()
    page = client.get(f"/organizacje/{organisation.slug}")
    assert "zwykle w ciągu 5 godzin" in page.text and "odpowiedź na 100% zgłoszeń" in page.text

    # The opportunity's page links back to the profile.
    offer_page = client.get(f"/wolontariat/oferty/{current.id}")
    assert f'href="/organizacje/{organisation.slug}"' in offer_page.text


def test_members_reach_their_volunteering_dashboard_from_the_profile(
    client, auth, organisation, ngo_owner
):
    auth.login(ngo_owner)
    dashboard = f"/wolontariat/organizacja/{organisation.slug}/"
    assert dashboard in client.get(f"/organizacje/{organisation.slug}").text
    assert dashboard in client.get(f"/organizacje/{organisation.slug}/czlonkowie").text
    assert client.get(dashboard).status_code == 200


def test_what_an_ngo_offers_other_ngos_is_not_called_an_offer(
    client, auth, organisation, ngo_owner
):
    auth.login(ngo_owner)
    page = client.get(f"/organizacje/{organisation.slug}").text
    assert "Propozycje dla innych organizacji" in page
    assert "Dodaj propozycję dla innych organizacji" in page
    assert "Oferujemy innym" not in page and "Dodaj ofertę" not in page
    form = client.get(f"/organizacje/{organisation.slug}/oferty/nowa").text
    assert "Nowa propozycja dla innych organizacji" in form and "Zapisz propozycję" in form
    assert "Proponuje innym organizacjom" in client.get("/organizacje/").text
