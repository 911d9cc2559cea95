"""Flows of rooms that combine and of an NGO's own premises, with JavaScript and without:
- an NGO books CAL's whole hall (A+B), approved at once (CAL approves verified organisations
  automatically); part A at the same hour is then shown as taken because it shares the floor,
  and a request for it is refused; the NGO cancels the hall again, which frees the hour;
- an NGO requests another NGO's club room (its own premises, published to other NGOs), that
  NGO approves it from its inbox, the first sees it approved and cancels it;
- an organisation banned at CAL after no-shows is told so, with the end, before the form.
Each run uses its own weekday (from the run mode), at least six weeks ahead and outside the
demo's holidays, so the runs and the other flows never meet.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from app.spaces.demo import HOLIDAYS
from app.timeutil import WARSAW, local_today
from tests.browser import harness
from tests.browser.flows import flow
from tests.browser.flows.spaces import (
    NGO,
    _fill_request,
    _filter_catalogue,
    _log_out,
    _mode,
    _occurrence,
    _open_inbox,
    _open_my_bookings,
    _open_request_in_inbox,
    _open_spaces,
    _send_request,
)

HALL = "CAL 2.Piętro – duża sala A+B (cała)"
PART_A = "CAL 2.Piętro – duża sala, część A"
CLUB_ROOM = "Klubokawiarnia Sąsiedzi – sala klubowa"
CLUB_PROVIDER = "Stowarzyszenie Rubinkowo Sąsiedzi – klubokawiarnia"
WORKSHOP = "CAL 2.Piętro – sala warsztatowa"


def _day(weekday: int) -> date:
    day = local_today() + timedelta(weeks=6)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while any(first <= day <= last for first, last, *_rest in HOLIDAYS):
        day += timedelta(days=7)
    return day


def _open_space(page, district: str, name: str, slug: str) -> None:
    _open_spaces(page)
    _filter_catalogue(page, lambda: page.get_by_label("Dzielnica").select_option(label=district))
    page.locator("#space-results").get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**/przestrzenie/sala/{slug}")
    assert page.get_by_role("heading", level=1).inner_text() == name


def _open_request_form(page, name: str, slug: str) -> None:
    page.get_by_role("link", name="Złóż wniosek o rezerwację").click()
    page.wait_for_url(f"**/sala/{slug}/rezerwuj")
    assert page.get_by_role("heading", level=1).inner_text() == f"Wniosek o rezerwację: {name}"


def _fill_slot(page, day: date, start: str, end: str) -> None:
    page.get_by_label("Dzień (pierwszy termin)").fill(day.isoformat())
    page.get_by_label("Od godziny").fill(start)
    page.get_by_label("Do godziny").fill(end)


def _slot_text(page, day: date, start: time) -> str:
    starts = datetime.combine(day, start, WARSAW)
    return (
        page.get_by_role("table", name="Terminy")
        .locator(f"time[datetime='{starts.isoformat(timespec='minutes')}']")
        .inner_text()
    )


def _cancel_from_my_bookings(page, slot_text: str, room: str, series_url: str) -> None:
    _open_my_bookings(page)
    board = page.get_by_role("region", name=NGO)
    booking = board.get_by_role("listitem").filter(has_text=slot_text).filter(has_text=room)
    booking.get_by_role("link", name=slot_text).first.click()
    page.wait_for_url(series_url)
    page.get_by_label("Powód").fill("Zmiana planów, zwalniamy salę.")
    page.get_by_role("button", name="Odwołaj z powodem").click()
    page.get_by_role("main").get_by_text("Odwołano.").wait_for()
    assert _occurrence(page, slot_text).get_by_text("odwołana").is_visible()


@flow()
def ngo_books_a_combined_hall_and_its_part_is_taken(page, ctx):
    mode = _mode(page)
    purpose = f"Koncert chóru seniorów ({mode})"
    day = _day(1 if mode == "js" else 3)

    ctx.login("ngo_owner")
    _open_space(page, "Stare Miasto", HALL, "cal-duza-sala-ab")
    facts = page.locator("dl.facts").first.inner_text()
    assert f"składa się z: {PART_A}, CAL 2.Piętro – duża sala, część B" in facts
    _open_request_form(page, HALL, "cal-duza-sala-ab")
    _fill_request(page, purpose, 70)
    _fill_slot(page, day, "10:00", "12:00")
    series_url = _send_request(page)
    slot_text = _slot_text(page, day, time(10))
    # CAL approves verified organisations at once.
    assert _occurrence(page, slot_text).get_by_text("zatwierdzona").is_visible()

    # Part A at the same hour: the preview says it is taken, and why.
    _open_space(page, "Stare Miasto", PART_A, "cal-duza-sala-a")
    assert (
        f"gdy zarezerwowana jest {HALL}, ta sala jest zajęta"
        in page.locator("dl.facts").first.inner_text()
    )
    _open_request_form(page, PART_A, "cal-duza-sala-a")
    _fill_request(page, f"Próba chóru ({mode})", 20)
    _fill_slot(page, day, "11:00", "12:00")
    page.get_by_role("button", name="Sprawdź terminy").click()
    planned = page.get_by_role("region", name="Terminy we wniosku")
    planned.wait_for()
    row = planned.get_by_role("row").nth(1)
    assert row.get_by_text("niedostępne").is_visible()
    assert f"Sala dzieli powierzchnię z: {HALL}" in row.inner_text()
    # Sent anyway: refused on the form, the values kept.
    page.get_by_role("button", name="Wyślij wniosek").click()
    alert = page.get_by_role("alert").filter(has_text="Żaden z terminów nie jest dostępny.")
    alert.wait_for()
    if _mode(page) == "js":
        harness.wait_for_htmx(page)
    assert page.get_by_label("Cel rezerwacji").input_value() == f"Próba chóru ({mode})"
    assert "/rezerwuj" in page.url

    # The hall is cancelled again: the hour is free for the next run and the other flows.
    _cancel_from_my_bookings(page, slot_text, HALL, series_url)


@flow()
def ngo_books_another_ngos_premises(page, ctx):
    mode = _mode(page)
    purpose = f"Warsztaty rękodzieła ({mode})"
    day = _day(0 if mode == "js" else 2)

    ctx.login("ngo_owner")
    _open_space(page, "Rubinkowo", CLUB_ROOM, "sasiedzi-sala-klubowa")
    assert CLUB_PROVIDER in page.get_by_role("main").inner_text()
    _open_request_form(page, CLUB_ROOM, "sasiedzi-sala-klubowa")
    _fill_request(page, purpose, 12)
    _fill_slot(page, day, "18:00", "19:30")
    page.get_by_role("button", name="Sprawdź terminy").click()
    planned = page.get_by_role("region", name="Terminy we wniosku")
    planned.wait_for()
    assert planned.get_by_role("row").nth(1).get_by_text("wolne").is_visible()
    series_url = _send_request(page)
    slot_text = _slot_text(page, day, time(18))
    assert _occurrence(page, slot_text).get_by_text("oczekuje").is_visible()
    _log_out(page)

    # The NGO sharing its room approves it from its own inbox.
    ctx.login("ngo_owner2")
    _open_inbox(page, CLUB_PROVIDER)
    _open_request_in_inbox(page, purpose)
    assert page.url == series_url
    page.get_by_role("button", name="Zatwierdź").click()
    page.get_by_role("main").get_by_text("Zatwierdzono.").wait_for()
    assert _occurrence(page, slot_text).get_by_text("zatwierdzona").is_visible()
    _log_out(page)

    ctx.login("ngo_owner")
    _open_my_bookings(page)
    board = page.get_by_role("region", name=NGO)
    booking = board.get_by_role("listitem").filter(has_text=slot_text).filter(has_text=CLUB_ROOM)
    assert booking.get_by_text("zatwierdzona").is_visible()
    _cancel_from_my_bookings(page, slot_text, CLUB_ROOM, series_url)


@flow()
def a_banned_organisation_is_told_before_the_form(page, ctx):
    ctx.login("ngo_owner2")
    _open_space(page, "Stare Miasto", WORKSHOP, "cal-sala-warsztatowa")
    _open_request_form(page, WORKSHOP, "cal-sala-warsztatowa")
    notice = page.get_by_role("status").filter(has_text="nie przyjmuje nowych wniosków")
    text = notice.inner_text()
    assert "Stowarzyszenie Rubinkowo Sąsiedzi do " in text
    assert re.search(r"do \d{1,2}\.\d{2}\.\d{2,4}", text), text
    assert "2 nieobecności bez zwolnienia terminu" in text
    assert page.get_by_text("Wniosek będzie można złożyć po zakończeniu blokady.").is_visible()
    assert page.get_by_label("Cel rezerwacji").count() == 0
