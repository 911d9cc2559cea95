"""Flows of the city spaces: an NGO finds a free room, requests it, the school approves (or
declines with a reason), the NGO sees the answer and takes the booking into its calendar.

The demo database is shared by the whole browser session and every flow runs twice (with and
without JavaScript), so the flows do not rely on fixed dates:
- the approval flow takes the first free hour the room's week view offers (two weeks ahead and
  later, so the notice rule passes) and cancels the booking at the end, which frees the hour
  again (cancelled occurrences hold no slot);
- the decline flow asks venue matching for a weekday chosen from the run mode (declined
  occurrences hold no slot either).
Both use rooms of schools that no other demo booking or test touches (SP 24, SP 15), and a
purpose that names the run mode, so the provider's inbox tells the runs apart.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from icalendar import Calendar

from app.spaces.demo import HOLIDAYS
from app.timeutil import WARSAW, local_today
from tests.browser import harness
from tests.browser.flows import flow

NGO = "Fundacja Razem dla Seniora"
ROOM = "SP 24 – świetlica"
ROOM_SCHOOL = "Szkoła Podstawowa nr 24 w Toruniu"
HALL = "SP 15 – aula"
HALL_SCHOOL = "Szkoła Podstawowa nr 15 w Toruniu"
DECLINE_REASON = "W tym dniu aula jest zajęta przez szkolną akademię."


def _javascript(page) -> bool:
    return page.evaluate("typeof window.htmx") == "object"


def _mode(page) -> str:
    return "js" if _javascript(page) else "nojs"


def _log_out(page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def _open_spaces(page) -> None:
    page.get_by_role("navigation", name="Główna nawigacja").get_by_role(
        "link", name="Przestrzenie"
    ).click()
    page.wait_for_url("**/przestrzenie/")


def _open_my_bookings(page) -> None:
    _open_spaces(page)
    page.get_by_role("main").get_by_role("link", name="Moje rezerwacje").click()
    page.wait_for_url("**/przestrzenie/moje-rezerwacje")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje rezerwacje"


def _open_inbox(page, provider: str) -> None:
    """A provider's manager: "Moje rezerwacje" lists the providers they manage."""
    _open_my_bookings(page)
    page.get_by_role("listitem").filter(has_text=provider).get_by_role(
        "link", name="wnioski"
    ).click()
    page.wait_for_url("**/wnioski")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Wnioski o rezerwację: {provider}"
    )


def _open_request_in_inbox(page, purpose: str) -> None:
    card = page.get_by_role("listitem").filter(has_text=purpose)
    assert card.count() == 1, f"{card.count()} requests for {purpose!r} in the inbox"
    card.get_by_role("link", name=f"{NGO} – ").click()
    page.wait_for_url("**/przestrzenie/rezerwacje/*")


def _filter_catalogue(page, change) -> None:
    """Change one filter of the catalogue. With JavaScript htmx swaps the results in on
    ``change`` (wait for the count to change); without it the person presses "Pokaż"."""
    before = page.locator(".results-count").inner_text()
    change()
    if _javascript(page):
        harness.wait_until(
            page,
            f"document.querySelector('.results-count').textContent.trim() !== {before.strip()!r}",
        )
        harness.wait_for_htmx(page)
    else:
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button", name="Pokaż").click()


def _show_next_week(page) -> None:
    heading = page.locator("#week-heading")
    before = heading.inner_text()
    if _javascript(page):
        page.get_by_role("link", name="Następny tydzień").click()
        harness.wait_until(
            page,
            f"document.getElementById('week-heading').textContent.trim() !== {before.strip()!r}",
        )
        harness.wait_for_htmx(page)
    else:
        with page.expect_navigation():
            page.get_by_role("link", name="Następny tydzień").click()
    assert heading.inner_text() != before


def _first_free_hour(page) -> tuple[date, time] | None:
    """The start of the first interval saying "wolne" in the week table that is at least an
    hour long, earliest day first, read as a person reads it: the row header names the day,
    the interval its exact times ("12:15–20:00 wolne")."""
    grid = page.get_by_role("table", name="Wolne i zajęte godziny")
    rows = grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [row.querySelector('th time').getAttribute('datetime'),"
        " row.querySelector('th').textContent.trim(),"
        " [...row.querySelectorAll('li')].map(item => item.textContent.replace(/\\s+/g, ' ').trim())])"
    )
    for iso_day, header, intervals in rows:
        day = date.fromisoformat(iso_day)
        # The row says which day it is, as a person reads it.
        assert header.endswith(f"{day.day}.{day.month:02d}"), header
        for text in intervals:
            found = re.fullmatch(r"(\d\d:\d\d)–(\d\d:\d\d) wolne", text)
            if not found:
                continue
            start = time.fromisoformat(found[1])
            end = "23:59" if found[2] == "24:00" else found[2]
            if start.hour < 23 and time(start.hour + 1, start.minute) <= time.fromisoformat(end):
                return day, start
    return None


def _fill_request(page, purpose: str, people: int) -> None:
    page.get_by_label("Organizacja").select_option(label=NGO)
    page.get_by_label("Cel rezerwacji").fill(purpose)
    page.get_by_label("Liczba osób").fill(str(people))


def _send_request(page) -> str:
    """Press "Wyślij wniosek"; returns the address of the new request's page."""
    page.get_by_role("button", name="Wyślij wniosek").click()
    page.wait_for_url("**/przestrzenie/rezerwacje/*")
    assert page.get_by_text("Wniosek wysłany do udostępniającego.").is_visible()
    return page.url


def _occurrence(page, slot: str):
    return page.get_by_role("table", name="Terminy").get_by_role("row").filter(has_text=slot)


def _event(body: str, uid: str):
    """The event with ``uid`` in an iCalendar body (cancelled occurrences of earlier runs stay
    in private feeds as CANCELLED events at the same time: the UID tells them apart)."""
    found = [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["uid"]) == uid]
    assert len(found) == 1, f"{len(found)} events {uid}"
    return found[0]


@flow()
def ngo_books_a_room_and_downloads_the_calendar(page, ctx):
    purpose = f"Spotkanie klubu seniora ({_mode(page)})"

    # The NGO narrows the catalogue down to barter rooms on Rubinkowo.
    ctx.login("ngo_owner")
    _open_spaces(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Przestrzenie i sprzęt"
    _filter_catalogue(page, lambda: page.get_by_label("Rodzaj").select_option(label="sale"))
    _filter_catalogue(page, lambda: page.get_by_label("Dzielnica").select_option(label="Rubinkowo"))
    _filter_catalogue(page, lambda: page.get_by_label("barter (zajęcia w zamian)").check())
    assert page.locator(".results-count").inner_text() == "1 przestrzeń"
    assert "district=rubinkowo" in page.url and "terms=barter" in page.url
    results = page.locator("#space-results")
    assert results.get_by_role("link", name="Lokal ZGM – Rubinkowo").count() == 0
    results.get_by_role("link", name=ROOM).click()
    page.wait_for_url("**/przestrzenie/sala/sp24-swietlica")
    assert page.get_by_role("heading", level=1).inner_text() == ROOM

    # The week view: two weeks ahead (the notice rule passes), then on until an hour is free.
    _show_next_week(page)
    _show_next_week(page)
    for _week in range(10):
        free = _first_free_hour(page)
        if free:
            break
        _show_next_week(page)
    assert free, "no free hour in ten weeks"
    day, start = free
    end = time(start.hour + 1, start.minute)
    starts = datetime.combine(day, start, WARSAW)

    page.get_by_role("link", name="Złóż wniosek o rezerwację").click()
    page.wait_for_url("**/sala/sp24-swietlica/rezerwuj")
    assert page.get_by_role("heading", level=1).inner_text() == f"Wniosek o rezerwację: {ROOM}"
    _fill_request(page, purpose, 12)
    page.get_by_label("Dzień (pierwszy termin)").fill(day.isoformat())
    page.get_by_label("Od godziny").fill(start.strftime("%H:%M"))
    page.get_by_label("Do godziny").fill(end.strftime("%H:%M"))
    # Check the dates first: the preview says the hour is free.
    page.get_by_role("button", name="Sprawdź terminy").click()
    planned = page.get_by_role("region", name="Terminy we wniosku")
    planned.wait_for()
    assert planned.get_by_role("row").nth(1).get_by_text("wolne").is_visible()
    assert page.get_by_label("Cel rezerwacji").input_value() == purpose
    series_url = _send_request(page)
    assert page.get_by_role("heading", level=1).inner_text() == f"Rezerwacja: {ROOM}"
    slot = page.get_by_role("table", name="Terminy").locator(
        f"time[datetime='{starts.isoformat(timespec='minutes')}']"
    )
    slot_text = slot.inner_text()
    assert _occurrence(page, slot_text).get_by_text("oczekuje").is_visible()
    # The occurrence's id (its checkbox) is its iCal UID.
    booking_id = _occurrence(page, slot_text).get_by_role("checkbox").get_attribute("value")
    uid = f"booking-{booking_id}@wspolnie.torun.pl"
    # The NGO cannot approve its own request.
    assert page.get_by_role("button", name="Zatwierdź").count() == 0
    _log_out(page)

    # The school approves it from its inbox.
    ctx.login("school_manager")
    _open_inbox(page, ROOM_SCHOOL)
    _open_request_in_inbox(page, purpose)
    assert page.url == series_url
    assert _occurrence(page, slot_text).get_by_text("oczekuje").is_visible()
    page.get_by_role("button", name="Zatwierdź").click()
    page.get_by_role("main").get_by_text("Zatwierdzono.").wait_for()
    assert _occurrence(page, slot_text).get_by_text("zatwierdzona").is_visible()
    _log_out(page)

    # The NGO sees it among the upcoming bookings.
    ctx.login("ngo_owner")
    _open_my_bookings(page)
    board = page.get_by_role("region", name=NGO)
    booking = board.get_by_role("listitem").filter(has_text=slot_text).filter(has_text=ROOM)
    assert booking.get_by_text("zatwierdzona").is_visible()

    # Its private calendar has the booking, confirmed, with the details.
    page.get_by_role("link", name="Prywatny kalendarz iCal").click()
    page.wait_for_url("**/kalendarze/")
    # One card per calendar (own volunteering, each organisation, each provider).
    card = page.locator("li.card").filter(has=page.get_by_role("heading", name=NGO))
    feed = card.get_by_label(re.compile("^Adres kalendarza")).input_value()
    assert re.search(r"/kalendarze/prywatny/[^/]+\.ics$", feed), feed
    response = page.request.get(feed)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    event = _event(response.text(), uid)
    assert event.decoded("dtstart") == starts
    assert str(event["summary"]) == f"{NGO}: {ROOM}"
    assert str(event["status"]) == "CONFIRMED"
    assert purpose in str(event["description"])
    assert event.decoded("dtend") == datetime.combine(day, end, WARSAW)

    # The room's public calendar (a download) shows the hour as taken, without the details.
    _open_spaces(page)
    page.get_by_role("link", name=ROOM).click()
    page.wait_for_url("**/przestrzenie/sala/sp24-swietlica")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Kalendarz iCal").click()
    download = download_info.value
    assert download.suggested_filename == "sp24-swietlica.ics"
    public = Path(download.path()).read_text(encoding="utf-8")
    event = _event(public, uid)
    assert event.decoded("dtstart") == starts
    assert str(event["summary"]) == "Zajęte"
    assert purpose not in public

    # Clean up as the NGO would: cancel the booking, which frees the hour for the next run.
    _open_my_bookings(page)
    booking.get_by_role("link", name=slot_text).click()
    page.wait_for_url(series_url)
    page.get_by_label("Powód").fill("Zmiana planów, zwalniamy salę.")
    page.get_by_role("button", name="Odwołaj z powodem").click()
    page.get_by_role("main").get_by_text("Odwołano.").wait_for()
    assert _occurrence(page, slot_text).get_by_text("odwołana").is_visible()


def _school_day(weekday: int) -> date:
    """The first ``weekday`` at least two weeks ahead on which schools are open."""
    day = local_today() + timedelta(days=14)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while any(first <= day <= last for first, last, *_rest in HOLIDAYS):
        day += timedelta(days=7)
    return day


@flow()
def school_declines_a_request_with_a_reason(page, ctx):
    mode = _mode(page)
    purpose = f"Przegląd piosenki seniorów ({mode})"
    # Each run asks for its own day (Tuesday with JavaScript, Thursday without).
    day = _school_day(1 if mode == "js" else 3)
    starts = datetime.combine(day, time(17), WARSAW)

    # Venue matching finds the school hall for the need and fills the request in.
    ctx.login("ngo_owner")
    _open_spaces(page)
    page.get_by_role("link", name="Znajdź salę do swoich potrzeb").click()
    page.wait_for_url("**/przestrzenie/dopasuj")
    page.get_by_label(re.compile(r"^Dzień")).fill(day.isoformat())
    page.get_by_label("Od godziny").fill("17:00")
    page.get_by_label("Do godziny").fill("18:00")
    page.get_by_label("Liczba osób").fill("80")
    page.get_by_role("group", name="Dzielnice").get_by_label("Na Skarpie").check()
    page.get_by_role("group", name="Akceptowane warunki").get_by_label(
        "barter (zajęcia w zamian)"
    ).check()
    page.get_by_role("main").get_by_role("button", name="Szukaj").click()
    results = page.locator("#match-results")
    results.get_by_role("heading", name=re.compile(r"pasując")).wait_for()
    assert "districts=na-skarpie" in page.url
    results.get_by_role("link", name=re.compile(f"^Złóż wniosek na ten termin.*{HALL}$")).click()
    page.wait_for_url("**/sala/sp15-aula/rezerwuj?*")
    assert page.get_by_label("Dzień (pierwszy termin)").input_value() == day.isoformat()
    assert page.get_by_label("Od godziny").input_value() == "17:00"
    assert page.get_by_label("Do godziny").input_value() == "18:00"
    assert page.get_by_label("Liczba osób").input_value() == "80"
    _fill_request(page, purpose, 80)
    series_url = _send_request(page)
    slot_text = (
        page.get_by_role("table", name="Terminy")
        .locator(f"time[datetime='{starts.isoformat(timespec='minutes')}']")
        .inner_text()
    )
    _log_out(page)

    # The school declines; a reason is required.
    ctx.login("school_manager")
    _open_inbox(page, HALL_SCHOOL)
    _open_request_in_inbox(page, purpose)
    assert page.url == series_url
    page.get_by_role("button", name="Odrzuć z powodem").click()
    page.get_by_role("alert").get_by_text("Podaj powód odmowy.").wait_for()
    if mode == "js":
        # The swapped-in error takes focus, so it is read out.
        harness.wait_until(page, "document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("Powód").get_attribute("aria-invalid") == "true"
    assert _occurrence(page, slot_text).get_by_text("oczekuje").is_visible()
    page.get_by_label("Powód").fill(DECLINE_REASON)
    page.get_by_role("button", name="Odrzuć z powodem").click()
    page.get_by_role("main").get_by_text("Odrzucono.").wait_for()
    row = _occurrence(page, slot_text)
    assert row.get_by_text("odrzucona").is_visible()
    assert row.get_by_text(DECLINE_REASON).is_visible()
    _log_out(page)

    # The NGO: nothing waits for a decision any more; the request (the e-mail's link) says why.
    ctx.login("ngo_owner")
    _open_my_bookings(page)
    board = page.get_by_role("region", name=NGO)
    assert board.get_by_role("listitem").filter(has_text=slot_text).count() == 0
    page.goto(series_url)
    row = _occurrence(page, slot_text)
    assert row.get_by_text("odrzucona").is_visible()
    assert row.get_by_text(DECLINE_REASON).is_visible()
