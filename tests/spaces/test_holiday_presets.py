"""Holiday presets (issue 16 item 6): Polish public holidays and the 2026/27 school breaks of
Kujawsko-Pomorskie offered as closures in one click – preview, then add, nothing twice – and the
school calendar of A/B weeks that counts school weeks only."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from app.extensions import db
from app.spaces.models import Closure, ClosureReason
from app.spaces.service import holiday_presets
from app.spaces.service.holiday_presets import ab_week, school_weeks


def closures(provider) -> list[Closure]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Closure).where(Closure.provider_id == provider.id).order_by(Closure.starts_on)
        )
    )


@freeze_time("2026-11-20 10:00:00")
def test_public_holidays_preview_then_add_and_nothing_twice(
    client, auth, provider, provider_manager
):
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/swieta"
    auth.login(provider_manager)
    preview = client.get(f"{url}?zestaw=public-holidays").get_data(as_text=True)
    for name in (
        "Wigilia Bożego Narodzenia",
        "Nowy Rok",
        "Poniedziałek Wielkanocny",
        "Dzień Bożego Ciała",
    ):
        assert name in preview, name
    assert closures(provider) == []  # a preview writes nothing
    response = client.post(url, data={"preset": "public-holidays"})
    assert response.status_code == 303
    added = closures(provider)
    assert {c.reason for c in added} == {ClosureReason.PUBLIC_HOLIDAY}
    days = {c.starts_on for c in added}
    assert {date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1), date(2027, 3, 29)} <= days
    assert date(2027, 5, 27) in days  # Boże Ciało 2027, a movable feast
    assert all(date(2026, 11, 20) <= d <= date(2027, 11, 20) for d in days)
    assert client.get(f"{url}?zestaw=public-holidays").get_data(as_text=True).count(
        "już dodane"
    ) == len(added)
    again = client.post(url, data={"preset": "public-holidays"}, follow_redirects=True)
    assert "nic nie dodano" in again.get_data(as_text=True)
    assert len(closures(provider)) == len(added)


@freeze_time("2026-08-20 10:00:00")
def test_school_breaks_of_kujawsko_pomorskie(client, auth, provider, provider_manager):
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/swieta"
    auth.login(provider_manager)
    page = client.hx_get(f"{url}?zestaw=school-breaks")
    assert page.status_code == 200 and "2026/27" in page.get_data(as_text=True)
    client.post(url, data={"preset": "school-breaks"})
    assert [(c.starts_on, c.ends_on, c.reason) for c in closures(provider)] == [
        (date(2026, 12, 23), date(2026, 12, 31), ClosureReason.SCHOOL_HOLIDAY),
        (date(2027, 2, 15), date(2027, 2, 28), ClosureReason.SCHOOL_HOLIDAY),
        (date(2027, 3, 25), date(2027, 3, 30), ClosureReason.SCHOOL_HOLIDAY),
        (date(2027, 6, 26), date(2027, 8, 31), ClosureReason.SCHOOL_HOLIDAY),
    ]
    client.post(url, data={"preset": "school-breaks"})
    assert len(closures(provider)) == 4


@freeze_time("2026-11-20 10:00:00")
def test_days_closed_by_hand_count_as_present(client, auth, provider, provider_manager):
    db.session.add(
        Closure(
            provider_id=provider.id,
            starts_on=date(2026, 12, 22),
            ends_on=date(2027, 1, 2),
            reason=ClosureReason.OTHER,
            note="przerwa",
        )
    )
    db.session.commit()
    items = holiday_presets.preset_items(provider, "public-holidays", date(2026, 11, 20))
    present = {i.starts_on for i in items if i.present}
    assert present == {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}


def test_presets_only_for_the_providers_managers(
    client, auth, provider, make_user, ngo_owner, organisation
):
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/swieta"
    for user in (make_user("inny@example.org"), ngo_owner):
        auth.login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data={"preset": "public-holidays"}).status_code == 403
    assert closures(provider) == []
    auth.logout()
    assert client.get(url).status_code == 302


def test_unknown_preset_is_refused(client, auth, provider, provider_manager):
    auth.login(provider_manager)
    url = f"/przestrzenie/udostepniajacy/{provider.slug}/swieta"
    assert client.post(url, data={"preset": "wszystko"}).status_code == 400
    assert closures(provider) == []


def test_ab_weeks_count_school_weeks_only():
    # The first school week (1 September 2026 is a Tuesday) is A, then they alternate.
    assert ab_week(date(2026, 9, 1)) == "A"
    assert ab_week(date(2026, 9, 7)) == "B"
    assert ab_week(date(2026, 9, 14)) == "A"
    # The week of 21 December has two school days; the next is all break and New Year.
    before = ab_week(date(2026, 12, 21))
    assert before in ("A", "B")
    assert ab_week(date(2026, 12, 28)) is None
    # After the break the school continues where it left off, not with the calendar's parity.
    after = ab_week(date(2027, 1, 4))
    assert after == ("B" if before == "A" else "A")
    # The two weeks of ferie have no letter; the alternation resumes after them.
    last_before_ferie = ab_week(date(2027, 2, 8))
    assert ab_week(date(2027, 2, 15)) is None and ab_week(date(2027, 2, 22)) is None
    assert ab_week(date(2027, 3, 1)) == ("B" if last_before_ferie == "A" else "A")
    assert ab_week(date(2027, 7, 5)) is None  # summer holidays
    assert ab_week(date(2030, 1, 7)) is None  # a year not in the table
    mondays = school_weeks(date(2026, 12, 14), "A", 3)
    assert len(mondays) == 3 and all(ab_week(m) == "A" for m in mondays)
    assert date(2026, 12, 28) not in mondays


def test_school_week_shown_in_the_week_view(client, make_space):
    space = make_space(max_days_ahead=700)
    page = client.get(f"/przestrzenie/sala/{space.slug}?tydzien=2026-09-07")
    assert "Tydzień szkolny B" in page.get_data(as_text=True)
    fragment = client.hx_get(f"/przestrzenie/sala/{space.slug}?tydzien=2026-12-28")
    assert "Tydzień bez zajęć szkolnych" in fragment.get_data(as_text=True)
    assert ab_week(date(2026, 9, 7) + timedelta(days=4)) == "B"


@freeze_time("2026-12-01 10:00:00")
def test_request_preview_at_a_school_names_the_school_week(
    client, auth, make_space, ngo_owner, organisation
):
    space = make_space(max_days_ahead=700)
    auth.login(ngo_owner)
    preview = client.post(
        f"/przestrzenie/sala/{space.slug}/rezerwuj",
        data={
            "organisation": organisation.id,
            "purpose": "Koło szachowe",
            "people": "10",
            "day": "2026-12-15",
            "start": "17:00",
            "end": "18:00",
            "recurrence": "biweekly",
            "count": "2",
            "action": "preview",
        },
    )
    body = preview.get_data(as_text=True)
    # A school's fortnight follows its A/B weeks: after 15.12 the next week with the same
    # letter comes after the Christmas break (the calendar's 29.12 is in the break).
    letter = ab_week(date(2026, 12, 15))
    assert preview.status_code == 200 and body.count(f"tydzień {letter}") == 2
    assert "29.12.2026" not in body
