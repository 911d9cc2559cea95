"""Venue matching: free and fitting spaces, ranked with reasons; alternatives when none fit."""

from __future__ import annotations

from datetime import time, timedelta

from app.spaces.matching import Need, match_venues
from app.spaces.models import Recurrence, TermsKind
from tests.spaces.conftest import next_weekday


def names(matches):
    return [m.space.name for m in matches]


def test_only_free_and_fitting_spaces_ranked_with_reasons(make_space, make_booking, organisation):
    day = next_weekday(2)
    make_space("Sala mała", capacity=12, district="rubinkowo", features=["projector"])
    make_space(
        "Aula", capacity=200, district="rubinkowo", features=["projector", "step_free", "lift"]
    )
    make_space("Sala za mała", capacity=5, district="rubinkowo", features=["projector"])
    make_space("Sala bez rzutnika", capacity=15, district="rubinkowo")
    busy = make_space("Sala zajęta", capacity=12, district="rubinkowo", features=["projector"])
    make_space(
        "Sala płatna",
        capacity=12,
        district="rubinkowo",
        features=["projector"],
        terms=TermsKind.FEE,
        fee_normal=80,
        fee_ngo=20,
    )
    make_booking(busy, organisation, day, time(17), time(19))
    need = Need(
        day=day,
        start=time(18),
        end=time(20),
        people=10,
        equipment=["projector"],
        districts=["rubinkowo"],
        terms=[TermsKind.FREE, TermsKind.BARTER],
    )
    result = match_venues(need)
    # A room just big enough beats a hall; a paid room is not acceptable here.
    assert names(result.matches) == ["Sala mała", "Aula"]
    first = result.matches[0]
    assert "w wybranej dzielnicy: Rubinkowo" in first.reasons
    assert "bezpłatnie dla organizacji" in first.reasons
    assert result.alternatives == []


def test_accessibility_requirements_are_hard(make_space):
    day = next_weekday(3)
    make_space("Parter", features=["step_free", "accessible_toilet"])
    make_space("Piętro bez windy", features=["accessible_toilet"])
    need = Need(
        day=day,
        start=time(10),
        end=time(12),
        people=5,
        accessibility=["step_free", "accessible_toilet"],
    )
    assert names(match_venues(need).matches) == ["Parter"]


def test_weekly_pattern_must_be_free_every_week(make_space, make_booking, organisation):
    day = next_weekday(1)
    make_space("Sala A")
    taken = make_space("Sala B")
    make_booking(taken, organisation, day + timedelta(weeks=2), time(17), time(19))
    need = Need(
        day=day, start=time(17), end=time(19), people=5, recurrence=Recurrence.WEEKLY, count=4
    )
    assert names(match_venues(need).matches) == ["Sala A"]


def test_alternatives_other_times_next_days_nearby_districts(
    make_space, make_booking, organisation
):
    day = next_weekday(4)
    only = make_space("Jedyna sala", district="na-skarpie", hours=(time(9), time(21)))
    make_booking(only, organisation, day, time(16), time(20))
    need = Need(day=day, start=time(17), end=time(19), people=5, districts=["na-skarpie"])
    result = match_venues(need)
    assert result.matches == []
    # The nearest free time that day is three hours earlier (14–16, before the 16:00 booking;
    # later the room closes at 21).
    first = result.alternatives[0]
    assert (first.space.name, first.day, first.start, first.note) == (
        "Jedyna sala",
        day,
        time(14),
        "inna godzina tego dnia",
    )
    # Nearby district: a room in Rubinkowo (a neighbour of Na Skarpie) is suggested.
    make_space("Sala obok", district="rubinkowo")
    result = match_venues(need)
    assert any(
        m.note == "sąsiednia dzielnica" and m.space.name == "Sala obok" for m in result.alternatives
    )


def test_next_days_when_the_day_is_closed(make_space, make_booking, organisation, provider, app):
    from app.extensions import db
    from app.spaces.models import Closure, ClosureReason

    day = next_weekday(2)
    make_space("Sala szkolna")
    provider.closures.append(
        Closure(starts_on=day, ends_on=day, reason=ClosureReason.PUBLIC_HOLIDAY)
    )
    db.session.commit()
    result = match_venues(Need(day=day, start=time(17), end=time(19), people=5))
    assert result.matches == []
    assert result.alternatives[0].day == day + timedelta(days=1)
    assert result.alternatives[0].note == "inny dzień"


def test_match_page(client, make_space):
    make_space("Sala z wi-fi", features=["wifi"])
    day = next_weekday(2)
    page = client.get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=10:00&end=12:00&people=4&equipment=wifi"
    )
    assert page.status_code == 200 and "Sala z wi-fi" in page.text
    fragment = client.hx_get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=12:00&end=10:00&people=4"
    )
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert client.get("/przestrzenie/dopasuj").status_code == 200


def test_a_match_leads_to_a_prefilled_request(client, auth, make_space, organisation, ngo_owner):
    space = make_space("Sala do warsztatów")
    day = next_weekday(2)
    page = client.get(f"/przestrzenie/dopasuj?day={day.isoformat()}&start=10:00&end=12:00&people=7")
    link = f"/przestrzenie/sala/{space.slug}/rezerwuj?day={day.isoformat()}&amp;start=10:00&amp;end=12:00&amp;people=7"
    assert link in page.text
    auth.login(ngo_owner)
    form = client.get(link.replace("&amp;", "&"))
    assert f'value="{day.isoformat()}"' in form.text and 'value="7"' in form.text
    assert (
        client.get(f"/przestrzenie/sala/{space.slug}/rezerwuj?day=zle&people=x").status_code == 200
    )


def test_the_request_link_from_a_recurring_need_keeps_the_series(
    client, auth, make_space, organisation, ngo_owner
):
    """Issue 10 item 5: the "Złóż wniosek" link dropped the weekly pattern and the count."""
    space = make_space("Sala na cykl")
    day = next_weekday(1)
    page = client.get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=17:00&end=19:00&people=6"
        "&recurrence=weekly&count=8"
    )
    link = (
        f"/przestrzenie/sala/{space.slug}/rezerwuj?day={day.isoformat()}&amp;start=17:00"
        "&amp;end=19:00&amp;people=6&amp;recurrence=weekly&amp;count=8"
    )
    assert link in page.text
    fragment = client.hx_get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=17:00&end=19:00&people=6"
        "&recurrence=biweekly&count=4"
    )
    assert "recurrence=biweekly&amp;count=4" in fragment.text
    auth.login(ngo_owner)
    form = client.get(link.replace("&amp;", "&")).text
    assert 'checked id="recurrence-1" name="recurrence" type="radio" value="weekly"' in form
    assert 'name="count" type="number" value="8"' in form
    # The preview then plans all eight dates.
    preview = client.post(
        link.replace("&amp;", "&"),
        data={
            "organisation": str(organisation.id),
            "purpose": "Próby",
            "people": "6",
            "day": day.isoformat(),
            "start": "17:00",
            "end": "19:00",
            "recurrence": "weekly",
            "count": "8",
            "action": "preview",
        },
    )
    planned = preview.text[preview.text.index("planned-heading") :]
    assert planned.count("badge-success") == 8
    # A one-off need keeps a one-off link; nonsense in the link is ignored.
    once = client.get(f"/przestrzenie/dopasuj?day={day.isoformat()}&start=17:00&end=19:00&people=6")
    assert "recurrence=" not in once.text.split("Złóż wniosek na ten termin")[0].split("card")[-1]
    bad = client.get(f"/przestrzenie/sala/{space.slug}/rezerwuj?recurrence=daily&count=x")
    assert bad.status_code == 200


def explain(need):
    result = match_venues(need)
    assert result.matches == []
    return result.why


def test_nothing_fits_says_which_requirement_excludes_every_room(make_space, client):
    """Issue 10 item 5: "nothing fits" did not say why."""
    day = next_weekday(2)
    make_space("Aula", capacity=120, district="rubinkowo", features=["projector"])
    make_space("Sala mała", capacity=20, district="podgorz", features=["lift"])
    need = Need(day=day, start=time(17), end=time(19), people=150)
    assert explain(need).lead == "Największa sala mieści 120 osób."
    need = Need(day=day, start=time(17), end=time(19), people=5, accessibility=["induction_loop"])
    assert explain(need).lead == "Żadna sala nie ma: Pętla indukcyjna."
    need = Need(day=day, start=time(17), end=time(19), people=5, terms=[TermsKind.FEE])
    assert "na wybranych warunkach (odpłatnie)" in explain(need).lead
    # Each requirement alone is met, not all at once: what dropping one would give.
    need = Need(
        day=day,
        start=time(17),
        end=time(19),
        people=50,
        equipment=["projector"],
        accessibility=["lift"],
        districts=["rubinkowo"],
    )
    why = explain(need)
    assert why.lead == "Żadna sala nie spełnia naraz wszystkich wymagań."
    assert why.reasons == ["Bez wymagania „Winda” pasowałaby 1 sala."]
    page = client.get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=17:00&end=19:00&people=150"
    )
    assert "Największa sala mieści 120 osób." in page.text
    fragment = client.hx_get(
        f"/przestrzenie/dopasuj?day={day.isoformat()}&start=17:00&end=19:00&people=150"
    )
    assert "<html" not in fragment.text and "Największa sala mieści 120 osób." in fragment.text


def test_nothing_fits_at_that_time_says_what_stops_each_room(
    make_space, make_booking, organisation, provider
):
    from app.extensions import db
    from app.spaces.models import Closure, ClosureReason

    day = next_weekday(2)
    evening = make_space("Sala wieczorna", hours=(time(15, 30), time(21)))
    closed = make_space("Sala zamknięta")
    taken = make_space("Sala zajęta", buffer_minutes=15)
    db.session.add(
        Closure(
            space_id=closed.id,
            starts_on=day,
            ends_on=day,
            reason=ClosureReason.RENOVATION,
            note="malowanie",
        )
    )
    db.session.commit()
    make_booking(taken, organisation, day, time(8), time(10))
    why = explain(Need(day=day, start=time(10), end=time(12), people=5))
    assert why.lead == "3 sale spełniają wymagania, ale nie w tym terminie:"
    assert set(why.reasons) == {
        "Sala wieczorna – Poza godzinami otwarcia.",
        "Sala zamknięta – Zamknięte: remont (malowanie)",
        f"Sala zajęta – Zajęte: {service_slot(day, time(8), time(10))}. "
        "15 minut przerwy między rezerwacjami: sala wolna od 10:15.",
    }
    # A weekly need names the date that fails.
    assert evening and taken
    weekly = explain(
        Need(
            day=day - timedelta(days=0),
            start=time(10),
            end=time(12),
            people=5,
            recurrence=Recurrence.WEEKLY,
            count=3,
        )
    )
    assert any(
        r.startswith("Sala zamknięta – ") and day.strftime("%-d.%m") in r for r in weekly.reasons
    )


def service_slot(day, start, end):
    from app.spaces.service import format_slot, slot_for

    class Slot:
        starts_at, ends_at = slot_for(day, start, end)

    return format_slot(Slot)
