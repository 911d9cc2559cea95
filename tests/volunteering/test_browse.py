"""Browsing without an account: filters in the URL, htmx fragments, pagination, detail page."""

from __future__ import annotations

from datetime import date, time, timedelta

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_to_utc, local_today
from app.volunteering.models import OpportunityKind, OpportunityStatus


def _next(weekday: int) -> date:
    today = local_today() + timedelta(days=1)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def test_list_shows_only_current_published_opportunities(client, make_opportunity, make_shift):
    current = make_opportunity("Sadzenie drzew na Rubinkowie")
    make_shift(current)
    past = make_opportunity("Zbiórka, która już była")
    make_shift(past, starts_at=utcnow() - timedelta(days=2))
    make_opportunity("Szkic oferty", status=OpportunityStatus.DRAFT)
    make_opportunity("Zamknięta oferta", status=OpportunityStatus.CLOSED)
    ongoing = make_opportunity("Stała pomoc w świetlicy")  # no shifts: ongoing
    expired = make_opportunity("Wygasła oferta", valid_until=local_today() - timedelta(days=1))
    assert ongoing and expired
    page = client.get("/wolontariat/").text
    assert "Sadzenie drzew na Rubinkowie" in page
    assert "Stała pomoc w świetlicy" in page
    for hidden in ("Zbiórka, która już była", "Szkic oferty", "Zamknięta oferta", "Wygasła oferta"):
        assert hidden not in page
    assert "2 oferty" in page


def test_filters_in_the_url(client, make_opportunity, make_shift):
    saturday = make_opportunity(
        "Sobotni spacer z seniorami", sphere="seniors", district="rubinkowo", tags=["seniors"]
    )
    make_shift(saturday, starts_at=local_to_utc(_next(5), time(9, 0)))
    evening = make_opportunity(
        "Wieczorne korepetycje online",
        sphere="education",
        district=None,
        is_online=True,
        kind=OpportunityKind.REGULAR,
        tags=["youth"],
    )
    make_shift(evening, starts_at=local_to_utc(_next(2), time(18, 0)))

    def titles(query):
        text = client.get(f"/wolontariat/?{query}").text
        return {t for t in ("Sobotni spacer", "Wieczorne korepetycje") if t in text}

    assert titles("area=seniors") == {"Sobotni spacer"}
    assert titles("district=rubinkowo") == {"Sobotni spacer"}
    assert titles("weekday=5") == {"Sobotni spacer"}
    assert titles("daypart=evening") == {"Wieczorne korepetycje"}
    assert titles("weekday=5&daypart=evening") == set()
    assert titles("kind=regular") == {"Wieczorne korepetycje"}
    assert titles("tag=youth") == {"Wieczorne korepetycje"}
    assert titles("online=1") == {"Wieczorne korepetycje"}
    assert titles(f"from={_next(5).isoformat()}&to={_next(5).isoformat()}") == {"Sobotni spacer"}
    # Nonsense in a shared link is ignored, not an error.
    assert titles("area=nonsense&weekday=x&from=yesterday&page=abc") == {
        "Sobotni spacer",
        "Wieczorne korepetycje",
    }


def test_htmx_gets_only_the_results_fragment(client, make_opportunity, make_shift):
    make_shift(make_opportunity("Sprzątanie brzegu Wisły"))
    full = client.get("/wolontariat/?area=social_assistance")
    fragment = client.hx_get("/wolontariat/?area=social_assistance")
    assert "<html" in full.text and 'hx-push-url="true"' in full.text
    assert "<html" not in fragment.text and "Sprzątanie brzegu Wisły" in fragment.text
    assert 'data-announce="1 oferta"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_sorting_and_pagination(client, make_opportunity, make_shift):
    for number in range(12):
        make_shift(
            make_opportunity(f"Oferta numer {number:02d}"),
            starts_in=timedelta(days=20 - number),
        )
    first = client.get("/wolontariat/").text
    assert "12 ofert" in first
    assert first.index("Oferta numer 11") < first.index("Oferta numer 10")  # soonest first
    assert "Oferta numer 00" not in first and 'rel="next"' in first
    second = client.get("/wolontariat/?page=2").text
    assert "Oferta numer 00" in second
    by_title = client.get("/wolontariat/?sort=title").text
    assert by_title.index("Oferta numer 00") < by_title.index("Oferta numer 01")


def test_detail_page_shows_free_places_with_polish_plurals(
    client, make_opportunity, make_shift, make_user
):
    from app.volunteering import service

    opportunity = make_opportunity("Festyn sąsiedzki", tags=["neighbourhood"])
    make_shift(opportunity, capacity=1, starts_in=timedelta(days=1))
    make_shift(opportunity, capacity=2, starts_in=timedelta(days=2))
    make_shift(opportunity, capacity=5, starts_in=timedelta(days=3))
    full = make_shift(opportunity, capacity=1, starts_in=timedelta(days=4))
    service.sign_up(full.id, user=make_user(), birth_year=1990)
    page = client.get(f"/wolontariat/oferty/{opportunity.id}").text
    assert "1 wolne miejsce" in page
    assert "2 wolne miejsca" in page
    assert "5 wolnych miejsc" in page
    assert "brak miejsc – lista rezerwowa" in page
    assert "sąsiedzkie" in page


def test_detail_in_english_and_ukrainian(client, make_opportunity, make_shift):
    opportunity = make_opportunity()
    make_shift(opportunity, capacity=5)
    english = client.get(f"/wolontariat/oferty/{opportunity.id}", headers={"Accept-Language": "en"})
    assert "5 free places" in english.text
    ukrainian = client.get(
        f"/wolontariat/oferty/{opportunity.id}", headers={"Accept-Language": "uk"}
    )
    assert "5 вільних місць" in ukrainian.text


def test_drafts_are_not_public(client, auth, make_opportunity, ngo_owner, volunteer):
    draft = make_opportunity("Tajny szkic", status=OpportunityStatus.DRAFT)
    assert client.get(f"/wolontariat/oferty/{draft.id}").status_code == 404
    auth.login(volunteer)
    assert client.get(f"/wolontariat/oferty/{draft.id}").status_code == 404
    auth.login(ngo_owner)
    assert client.get(f"/wolontariat/oferty/{draft.id}").status_code == 200


def test_responsiveness_is_shown_publicly(
    client, make_opportunity, make_shift, make_user, ngo_owner
):
    from app.volunteering import service

    opportunity = make_opportunity()
    shift = make_shift(opportunity, capacity=5)
    signups = [service.sign_up(shift.id, user=make_user(), birth_year=1990) for _ in range(2)]
    service.decide(signups[0].id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    page = client.get(f"/wolontariat/oferty/{opportunity.id}").text
    assert "zwykle w ciągu 1 godziny" in page
    assert "odpowiedź na 100% zgłoszeń" in page


def test_the_pager_links_a_window_of_pages_not_every_page():
    from app.templating import page_window

    assert page_window(1, 1) == [1]
    assert page_window(1, 5) == [1, 2, 3, None, 5]
    assert page_window(100, 200) == [1, None, 98, 99, 100, 101, 102, None, 200]
    assert page_window(200, 200) == [1, None, 198, 199, 200]
    assert page_window(4, 7) == [1, 2, 3, 4, 5, 6, 7]
