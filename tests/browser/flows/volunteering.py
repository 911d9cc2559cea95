"""Flows of the volunteering board: a resident filters, signs up and withdraws; an organisation
answers an application; a volunteer gets a certificate and the calendar address.

The demo database is shared by the whole browser session and every flow runs twice (with and
without JavaScript), so each flow leaves the data as it found it: a sign-up it makes is
withdrawn at the end (withdrawing frees the place; signing up again reuses the same row).
The shifts used here belong to no other test: the first upcoming walk for the resident flow,
the last one for the organisation flow.
"""

from __future__ import annotations

import re

from app.accounts.demo import DEMO_PASSWORD
from tests.browser import harness
from tests.browser.flows import flow

WALKS = "Spacery z seniorami po Rubinkowie"
ORGANISATION = "Fundacja Razem dla Seniora"
SIGN_UP = re.compile(r"^Zapisz się –")
ANSWER = "Dziękujemy, do zobaczenia!"
PENDING = "Zgłoszenie wysłane. Organizacja odpowie e-mailem."


def _javascript(page) -> bool:
    return page.evaluate("typeof window.htmx") == "object"


def _apply_filter(page, change, count: str) -> None:
    """Change one filter like a person would and wait for the results to say ``count``. With
    JavaScript htmx swaps the results in on ``change`` (the page stays); without it the
    person presses "Pokaż oferty"."""
    change()
    if _javascript(page):
        harness.wait_until(
            page, f"document.getElementById('results-heading').textContent.trim() === '{count}'"
        )
        harness.wait_for_htmx(page)
    else:
        with page.expect_navigation():
            page.get_by_role("button", name="Pokaż oferty").click()
    assert _results_count(page) == count


def _open_volunteering(page) -> None:
    page.get_by_role("navigation", name="Główna nawigacja").get_by_role(
        "link", name="Wolontariat"
    ).click()
    page.wait_for_url("**/wolontariat/")


def _results_count(page) -> str:
    return page.locator("#results-heading").inner_text().strip()


def _log_out(page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def _my_signup_row(page, title: str, status: str):
    return page.get_by_role("row").filter(has_text=title).filter(has_text=status)


def _shift_to_sign_up(page, which: str):
    """The first or last shift offering "Zapisz się" on an opportunity page: its link and its
    start (the ``datetime`` of its ``<time>``, to find the sign-up on other pages)."""
    rows = page.get_by_role("row").filter(has=page.get_by_role("link", name=SIGN_UP))
    row = rows.first if which == "first" else rows.last
    return row.get_by_role("link", name=SIGN_UP), row.locator("time").first.get_attribute(
        "datetime"
    )


def _press(page, button) -> None:
    """Press a button of a form htmx enhances: with JavaScript the part of the page is swapped
    (the page stays), without it the browser loads the next page."""
    if _javascript(page):
        with page.expect_response(lambda response: response.request.method == "POST"):
            button.click()
        harness.wait_for_htmx(page)
    else:
        with page.expect_navigation():
            button.click()


def _withdraw(page, title: str, status: str) -> None:
    """Cleanup a person could do: withdraw the sign-up on "Moje zgłoszenia"."""
    row = _my_signup_row(page, title, status)
    # Asked first on a page of its own (works the same with and without JavaScript).
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(r"^Zrezygnuj")).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Tak, rezygnuję").click()
    assert page.get_by_text("Zrezygnowano.").first.is_visible()


@flow()
def resident_filters_and_signs_up(page, ctx):
    page.goto("/")
    _open_volunteering(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Wolontariat w Toruniu"
    everything = _results_count(page)
    javascript = _javascript(page)
    if javascript:
        # A marker on the window survives htmx swaps, not a page load.
        page.evaluate("window.__stayed = true")

    assert everything != "3 oferty"
    _apply_filter(
        page, lambda: page.get_by_label("Osiedle").select_option(label="Rubinkowo"), "3 oferty"
    )
    _apply_filter(page, lambda: page.get_by_label("seniorzy mile widziani").check(), "1 oferta")
    results = page.locator("#results")
    assert results.get_by_role("link").filter(has_text=WALKS).count() == 1
    assert results.get_by_role("link", name="Odrabianie lekcji w świetlicy osiedlowej").count() == 0
    assert "district=rubinkowo" in page.url and "tag=seniors" in page.url
    if javascript:
        assert page.evaluate("window.__stayed === true"), "the filter reloaded the page"
        harness.wait_until(
            page, "document.getElementById('live-region').textContent.trim() === '1 oferta'"
        )
        # The filters are kept in the form (and the URL) for the next change.
        assert page.get_by_label("Osiedle").input_value() == "rubinkowo"

    results.get_by_role("link", name=WALKS).click()
    page.wait_for_url("**/wolontariat/oferty/*")
    assert page.get_by_role("heading", level=1).inner_text() == WALKS
    opportunity_url = page.url

    # Not logged in: "Zapisz się" leads through the login form and back to the shift.
    shift_link, starts = _shift_to_sign_up(page, "first")
    shift_link.click()
    page.wait_for_url(lambda url: "/konto/logowanie?next=" in url)
    page.get_by_label("Adres e-mail").fill(harness.demo_email("volunteer"))
    page.get_by_label("Hasło").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/zapis")
    assert page.get_by_role("heading", level=1).inner_text() == f"Zapis: {WALKS}"
    assert page.locator(f"main time[datetime='{starts}']").count() == 1
    # The birth year comes from the volunteer's profile, shown, not asked (a sign-up never
    # changes it; the profile does).
    assert page.get_by_label("Rok urodzenia").count() == 0
    assert page.get_by_role("main").get_by_text("Rok urodzenia: 1996.").is_visible()
    page.get_by_label("Wiadomość do organizacji").fill("Chętnie pójdę na spacer.")
    page.get_by_role("main").get_by_role("button", name="Zapisz się").click()
    page.wait_for_url(opportunity_url)
    assert page.get_by_text(PENDING).is_visible()
    row = page.get_by_role("row").filter(has=page.locator(f"time[datetime='{starts}']"))
    assert row.get_by_text("czeka na odpowiedź").is_visible()
    assert row.get_by_role("link", name=SIGN_UP).count() == 0

    page.get_by_role("link", name="← Wszystkie oferty").click()
    page.wait_for_url("**/wolontariat/")
    page.get_by_role("main").get_by_role("link", name="Moje zgłoszenia").click()
    page.wait_for_url("**/wolontariat/moje")
    mine = _my_signup_row(page, WALKS, "czeka na odpowiedź")
    assert mine.count() == 1
    assert mine.locator(f"time[datetime='{starts}']").count() == 1

    _withdraw(page, WALKS, "czeka na odpowiedź")
    assert _my_signup_row(page, WALKS, "czeka na odpowiedź").count() == 0
    assert _my_signup_row(page, WALKS, "wycofane").locator(f"time[datetime='{starts}']").count()


@flow()
def organisation_accepts_an_applicant(page, ctx):
    # A resident applies for the last walk (the organisation approves every application).
    ctx.login("volunteer2")
    _open_volunteering(page)
    page.get_by_role("main").get_by_role("link", name=WALKS).click()
    page.wait_for_url("**/wolontariat/oferty/*")
    shift_link, starts = _shift_to_sign_up(page, "last")
    shift_link.click()
    page.wait_for_url("**/zapis")
    page.get_by_label("Wiadomość do organizacji").fill("Mam laskę.")
    page.get_by_role("main").get_by_role("button", name="Zapisz się").click()
    page.wait_for_url("**/wolontariat/oferty/*")
    assert page.get_by_text(PENDING).is_visible()
    _open_volunteering(page)
    page.get_by_role("main").get_by_role("link", name="Moje zgłoszenia").click()
    page.wait_for_url("**/wolontariat/moje")
    mine = _my_signup_row(page, WALKS, "czeka na odpowiedź")
    assert mine.locator(f"time[datetime='{starts}']").count() == 1
    # The second run applies again: the answer to the withdrawn application is gone.
    assert mine.get_by_text(ANSWER).count() == 0
    _log_out(page)

    # The organisation's owner finds the application through the links and accepts it.
    ctx.login("ngo_owner")
    _open_volunteering(page)
    page.get_by_role("link", name=f"Wolontariat – {ORGANISATION}").click()
    page.wait_for_url("**/wolontariat/organizacja/*/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Wolontariat – {ORGANISATION}"
    assert page.get_by_text(re.compile(r"czek(a|ają) na odpowiedź\.$")).is_visible()
    page.get_by_role("link", name=f"Zgłoszenia – {WALKS}").click()
    page.wait_for_url("**/zgloszenia")
    assert page.get_by_role("heading", level=1).inner_text() == f"Zgłoszenia: {WALKS}"
    section = page.get_by_role("region").filter(has=page.locator(f"h2 time[datetime='{starts}']"))
    row = section.get_by_role("row").filter(has_text="Jan Szymański")
    assert row.get_by_text("czeka na odpowiedź").is_visible()
    assert row.get_by_text("Mam laskę.").is_visible()
    row.get_by_role("group", name="Decyzja: Jan Szymański").get_by_label("Przyjmij").check()
    # Each applicant's controls say whose they are (a list of "Wyślij odpowiedź" is useless).
    row.get_by_label("Wiadomość do wolontariusza – Jan Szymański", exact=True).fill(ANSWER)
    _press(page, row.get_by_role("button", name="Wyślij odpowiedź – Jan Szymański", exact=True))
    assert page.get_by_text("Odpowiedź wysłana.").is_visible()
    assert row.get_by_text("przyjęte").is_visible()
    assert row.get_by_text(ANSWER).is_visible()
    assert row.get_by_role("button").count() == 0
    _log_out(page)

    # The resident sees the answer, then withdraws (which also leaves the demo data as it was).
    ctx.login("volunteer2")
    _open_volunteering(page)
    page.get_by_role("main").get_by_role("link", name="Moje zgłoszenia").click()
    page.wait_for_url("**/wolontariat/moje")
    mine = _my_signup_row(page, WALKS, "przyjęte").filter(
        has=page.locator(f"time[datetime='{starts}']")
    )
    assert mine.get_by_text(ANSWER).is_visible()
    _withdraw(page, WALKS, "przyjęte")


@flow()
def volunteer_gets_certificate_and_calendar(page, ctx):
    ctx.login("volunteer")
    _open_volunteering(page)
    page.get_by_role("main").get_by_role("link", name="Moje zgłoszenia").click()
    page.wait_for_url("**/wolontariat/moje")
    assert page.get_by_text(re.compile(r"^Potwierdzone godziny: \d")).is_visible()

    feed = page.get_by_label("Adres kalendarza").input_value()
    assert re.search(r"/wolontariat/kalendarz/[^/]+\.ics$", feed), feed
    response = page.request.get(feed)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = response.text()
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "Obsługa biegu nad Wisłą" in calendar  # accepted, upcoming

    page.get_by_role("link", name=f"Zaświadczenie o wykonaniu świadczeń – {ORGANISATION}").click()
    page.wait_for_url("**/wolontariat/zaswiadczenie/*")
    assert page.title().startswith(f"Zaświadczenie o wykonaniu świadczeń – {ORGANISATION}")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Zaświadczenie o wykonaniu świadczeń wolontariusza"
    certificate = page.locator("article")
    assert certificate.get_by_text("Ola Kamińska").is_visible()
    # The three walks of the first demo data, and the months of hours the staff demo adds.
    assert certificate.get_by_role("row").filter(has_text=WALKS).count() >= 3
    total = certificate.get_by_role("row").filter(has_text="Razem").inner_text()
    assert re.search(r"\s\d+([.,]\d+)?$", total), total
