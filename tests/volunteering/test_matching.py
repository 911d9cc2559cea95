"""The "Dla Ciebie" scoring function (documented in app/volunteering/matching.py)."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_to_utc, local_today
from app.vocabularies import forget
from app.vocabularies.models import Term
from app.volunteering import matching, service
from app.volunteering.models import VolunteerProfile


def _saturday_morning():
    today = local_today() + timedelta(days=1)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    return local_to_utc(saturday, time(9, 30))


def _profile(**fields):
    fields.setdefault("interests", [])
    fields.setdefault("availability", [])
    return VolunteerProfile(**fields)


def test_score_adds_documented_points_with_reasons(make_opportunity, make_shift):
    opportunity = make_opportunity(
        sphere="seniors", district="rubinkowo", tags=["seniors"], skills="gotowanie, śpiew"
    )
    make_shift(opportunity, starts_at=_saturday_morning())
    profile = _profile(
        birth_year=1955,
        interests=["seniors"],
        availability=["5-morning"],
        district="rubinkowo",
        skills="Gotowanie",
    )
    match = matching.score(opportunity, profile)
    assert match.reasons == ["seniorzy", "sobota rano", "Rubinkowo", "gotowanie"]  # once each
    assert match.score == 3 + 2 + 2 + 1 + 1


def test_no_overlap_scores_zero(make_opportunity, make_shift):
    opportunity = make_opportunity(sphere="sport", district="bielany")
    make_shift(opportunity, starts_at=_saturday_morning())
    match = matching.score(opportunity, _profile(interests=["culture"], district="rubinkowo"))
    assert match.score == 0 and match.reasons == []


def test_a_bordering_district_scores_a_point_as_staff_recorded_it(
    make_opportunity, make_shift, client, auth, staff
):
    """The neighbours are data staff manage (/urzad/slowniki): Mokre borders Rubinkowo in the
    seed; a district staff add borders nothing until they say so."""
    offer = make_opportunity(sphere="sport", district="rubinkowo")
    make_shift(offer, starts_at=_saturday_morning())
    match = matching.score(offer, _profile(district="mokre"))
    assert (match.score, match.reasons) == (1, ["obok: Rubinkowo"])
    auth.login(staff)
    client.post("/urzad/slowniki", data={"vocabulary": "district", "code": "jar", "name": "JAR"})
    forget()
    assert matching.score(offer, _profile(district="jar")).score == 0

    jar = db.session.scalar(sa.select(Term).where(Term.code == "jar"))
    client.post(f"/urzad/slowniki/{jar.id}/sasiedzi", data={"neighbours": ["rubinkowo"]})
    forget()
    assert matching.score(offer, _profile(district="jar")).reasons == ["obok: Rubinkowo"]


def test_online_accessible_and_youth(make_opportunity):
    opportunity = make_opportunity(
        sphere="education", district=None, is_online=True, tags=["accessible", "youth"]
    )
    profile = _profile(birth_year=utcnow().year - 15, accessibility_needs="wózek")
    match = matching.score(opportunity, profile)
    assert match.reasons == ["zdalnie", "młodzież", "dostępne"]
    assert match.score == 3


def test_ranking_excludes_joined_too_young_and_orders_by_score(
    make_opportunity, make_shift, volunteer
):
    profile = _profile(
        user=volunteer, birth_year=utcnow().year - 16, interests=["culture"], district="mokre"
    )
    best = make_opportunity("Najlepsza", sphere="culture", district="mokre")
    good = make_opportunity("Dobra", sphere="culture", district="bielany")
    adults = make_opportunity("Dla dorosłych", sphere="culture", district="mokre", min_age=18)
    joined = make_opportunity("Już zapisana", sphere="culture", district="mokre")
    for opportunity in (best, good, adults, joined):
        make_shift(opportunity)
    service.sign_up(
        joined.shifts[0].id,
        user=volunteer,
        birth_year=profile.birth_year,
        guardian=service.Guardian("Mama", "600 000 000"),
    )
    ranked = matching.suggestions_for(volunteer, profile)
    assert [m.opportunity.title for m in ranked] == ["Najlepsza", "Dobra"]


def test_ties_go_to_the_sooner_shift(make_opportunity, make_shift, volunteer):
    profile = _profile(user=volunteer, interests=["culture"])
    later = make_opportunity("Później", sphere="culture")
    sooner = make_opportunity("Wcześniej", sphere="culture")
    make_shift(later, starts_in=timedelta(days=9))
    make_shift(sooner, starts_in=timedelta(days=2))
    ranked = matching.suggestions_for(volunteer, profile)
    assert [m.opportunity.title for m in ranked] == ["Wcześniej", "Później"]
