"""'Moje zgłoszenia' shows every upcoming sign-up and the past ones a page at a time (a
windowed pager, without JavaScript and as an htmx swap); the totals (confirmed hours,
certificates) count every sign-up, and the export of one's own data still lists them all."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

from app.db import utcnow
from app.extensions import db
from app.volunteering import service
from app.volunteering.models import Shift, Signup, SignupStatus
from app.volunteering.personal import PAST_PER_PAGE

PAST = 2 * PAST_PER_PAGE + 5  # three pages


def past_signups(opportunity, volunteer, count):
    """``count`` past shifts, one a day going back, each with the volunteer's sign-up; the
    oldest has confirmed hours."""
    now = utcnow().replace(microsecond=0)
    for number in range(count):
        starts = now - timedelta(days=number + 1)
        shift = Shift(
            opportunity=opportunity,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=3,
        )
        signup = Signup(shift=shift, user=volunteer, status=SignupStatus.ACCEPTED)
        if number == count - 1:
            signup.hours, signup.hours_confirmed_at = Decimal("2.5"), now
        db.session.add_all([shift, signup])
    db.session.commit()


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="my-signup-(\d+)"', html)


def test_past_sign_ups_are_paged_and_nothing_is_lost(
    client, auth, make_opportunity, make_shift, volunteer
):
    opportunity = make_opportunity("Dyżur w schronisku")
    past_signups(opportunity, volunteer, PAST)
    soon = [make_shift(opportunity, starts_in=timedelta(days=d)) for d in (2, 5)]
    upcoming = [service.sign_up(s.id, user=volunteer, birth_year=1990) for s in soon]
    auth.login(volunteer)
    first = client.get("/wolontariat/moje")
    assert first.status_code == 200
    shown = rows(first.text)
    # Both upcoming ones (soonest first), then the newest page of the past.
    assert shown[:2] == [str(upcoming[0].id), str(upcoming[1].id)]
    assert len(shown) == 2 + PAST_PER_PAGE
    assert "Nadchodzące zgłoszenia" in first.text and "Historia zgłoszeń" in first.text
    assert f"Historia: strona 1 z 3, zgłoszeń: {PAST}." in first.text
    # Totals over every sign-up: the confirmed hours are on the oldest, on the last page.
    assert "Potwierdzone godziny: 2,5" in first.text
    assert "Zaświadczenie o wykonaniu świadczeń" in first.text
    assert 'href="/wolontariat/moje?page=2" rel="next"' in first.text
    assert 'href="/wolontariat/moje?page=3"' in first.text
    seen = set(shown)
    for page in (2, 3):
        response = client.get(f"/wolontariat/moje?page={page}")
        assert response.status_code == 200
        page_rows = rows(response.text)
        assert page_rows[:2] == shown[:2]  # the upcoming ones stay on every page
        seen |= set(page_rows)
    assert len(rows(response.text)) == 2 + 5 and 'rel="next"' not in response.text
    every = {str(s.id) for s in db.session.scalars(db.select(Signup))}
    assert seen == every
    # Out of range or nonsense: the nearest page, never an error.
    assert rows(client.get("/wolontariat/moje?page=99").text) == rows(response.text)
    assert len(rows(client.get("/wolontariat/moje?page=abc").text)) == 2 + PAST_PER_PAGE
    # The export lists all of them.
    exported = json.loads(client.get("/wolontariat/moje-dane.json").data)
    assert len(exported["signups"]) == PAST + 2


def test_upcoming_sign_ups_are_paged_too_and_each_pager_keeps_the_other(
    client, auth, make_opportunity, make_shift, volunteer
):
    opportunity = make_opportunity("Dyżur w schronisku")
    past_signups(opportunity, volunteer, PAST_PER_PAGE + 1)
    for day in range(PAST_PER_PAGE + 3):
        shift = make_shift(opportunity, starts_in=timedelta(days=day + 2))
        service.sign_up(shift.id, user=volunteer, birth_year=1990)
    auth.login(volunteer)
    first = client.get("/wolontariat/moje")
    assert len(rows(first.text)) == 2 * PAST_PER_PAGE
    assert f"Nadchodzące: strona 1 z 2, zgłoszeń: {PAST_PER_PAGE + 3}." in first.text
    assert 'aria-label="Strony nadchodzących zgłoszeń"' in first.text
    assert 'aria-label="Strony historii zgłoszeń"' in first.text
    both = client.get("/wolontariat/moje?page=2&nadchodzace=2")
    assert len(rows(both.text)) == 3 + 1
    assert 'href="/wolontariat/moje?nadchodzace=2"' in both.text  # the past's page 1
    assert 'href="/wolontariat/moje?page=2"' in both.text  # the upcoming's page 1


def test_the_pager_swaps_the_list_with_htmx_and_actions_keep_its_links(
    client, auth, make_opportunity, make_shift, volunteer
):
    opportunity = make_opportunity("Dyżur w schronisku")
    past_signups(opportunity, volunteer, PAST_PER_PAGE + 1)
    shift = make_shift(opportunity, starts_in=timedelta(hours=20))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    auth.login(volunteer)
    page = client.get("/wolontariat/moje")
    assert 'hx-boost="true" hx-target="#my-signups-region"' in page.text
    part = client.get("/wolontariat/moje?page=2", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert '<div id="my-signups">' in part.text and "<h1>" not in part.text
    assert len(rows(part.text)) == 2
    # "Przyjdę" answers with the same part; its pager still links the dashboard's pages.
    assert signup.can_confirm_coming(utcnow())
    answer = client.post(
        f"/wolontariat/zgloszenia/{signup.id}/przyjde", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200 and "Potwierdzono: przyjdziesz" in answer.text
    assert 'href="/wolontariat/moje?page=2"' in answer.text
    assert "przyjde?page" not in answer.text
