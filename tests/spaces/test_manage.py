"""Providers publish their spaces' availability themselves: rules, terms, hours, closures."""

from __future__ import annotations

from datetime import time, timedelta

from app.extensions import db
from app.spaces import service
from app.spaces.models import Closure, Space, TermsKind
from tests.spaces.conftest import next_weekday


def settings_form(**overrides):
    form = {
        "capacity": "25",
        "stock": "1",
        "min_notice_hours": "48",
        "max_length_minutes": "180",
        "max_days_ahead": "90",
        "buffer_minutes": "15",
        "terms": "barter",
        "barter_terms": "2 h zajęć dla uczniów za 1 h sali",
        "barter_hours_per_hour": "2",
        "auto_approve": "no",
        "house_rules": "Bez jedzenia w sali.",
    }
    for day in range(7):
        form[f"hours-{day}-opens"] = "16:00" if day < 5 else ""
        form[f"hours-{day}-closes"] = "20:00" if day < 5 else ""
    form.update(overrides)
    return form


def test_manager_sets_rules_terms_and_hours(client, auth, make_space, provider_manager):
    space = make_space()
    auth.login(provider_manager)
    assert client.get(f"/przestrzenie/sala/{space.slug}/zarzadzaj").status_code == 200
    response = client.post(f"/przestrzenie/sala/{space.slug}/zarzadzaj", data=settings_form())
    assert response.status_code == 303
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    assert (space.min_notice_hours, space.buffer_minutes, space.terms) == (48, 15, TermsKind.BARTER)
    assert space.auto_approve_verified is False
    assert [(h.weekday, h.opens) for h in space.opening_hours] == [(d, time(16)) for d in range(5)]
    saturday = next_weekday(5)
    assert "Poza godzinami otwarcia." in service.rule_problems(
        space, *service.slot_for(saturday, time(17), time(18))
    )


def test_invalid_settings_are_explained_with_the_values_kept(
    client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/zarzadzaj",
        data=settings_form(
            **{"hours-2-closes": "15:00", "terms": "fee", "fee_ngo": "", "house_rules": "Zasady X"}
        ),
    )
    assert response.status_code == 400
    assert (
        "Podaj obie godziny" in response.text and "Podaj stawkę dla organizacji." in response.text
    )
    assert "Zasady X" in response.text


def test_closures_and_the_bookings_they_affect(
    client, auth, make_space, make_booking, organisation, provider_manager
):
    space = make_space()
    day = next_weekday(2)
    make_booking(space, organisation, day)
    auth.login(provider_manager)
    response = client.post(
        f"/przestrzenie/sala/{space.slug}/zamkniecia",
        data={
            "starts_on": day.isoformat(),
            "ends_on": (day + timedelta(days=2)).isoformat(),
            "reason": "renovation",
            "note": "malowanie",
            "whole_provider": "y",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/przestrzenie/sala/{space.slug}/zarzadzaj")
    assert "malowanie" in page.text and "przenieś je lub odwołaj" in page.text
    closure = db.session.query(Closure).one()
    assert closure.provider_id == space.provider_id
    bad = client.post(
        f"/przestrzenie/sala/{space.slug}/zamkniecia",
        data={
            "starts_on": day.isoformat(),
            "ends_on": (day - timedelta(days=1)).isoformat(),
            "reason": "other",
        },
    )
    assert bad.status_code == 400 and "Koniec jest przed początkiem." in bad.text
    assert (
        client.post(
            f"/przestrzenie/zamkniecia/{closure.id}/usun", data={"space": space.slug}
        ).status_code
        == 303
    )
    assert db.session.query(Closure).count() == 0


def test_other_managers_cannot_manage(client, auth, make_space, make_user, make_provider):
    space = make_space()
    stranger = make_user()
    make_provider(managers=[stranger])
    auth.login(stranger)
    assert client.get(f"/przestrzenie/sala/{space.slug}/zarzadzaj").status_code == 403
    assert (
        client.post(f"/przestrzenie/sala/{space.slug}/zarzadzaj", data=settings_form()).status_code
        == 403
    )
    assert client.post(f"/przestrzenie/sala/{space.slug}/zamkniecia", data={}).status_code == 403
