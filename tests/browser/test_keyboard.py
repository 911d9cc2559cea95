"""Keyboard only: skip link, navigation, language switch, login; focus always visible."""

from __future__ import annotations

import pytest

from app.accounts.demo import DEMO_PASSWORD
from tests.browser import harness

pytestmark = pytest.mark.browser

ACTIVE = """() => {
    const el = document.activeElement;
    // The focus ring may sit on the element or, for a link stretched over a card, its ::after.
    const rings = [getComputedStyle(el), getComputedStyle(el, '::after')].map(style => ({
        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
        boxShadow: style.boxShadow,
    }));
    return {
        tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
        href: el.getAttribute('href'), rings,
    };
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def has_visible_focus(element: dict) -> bool:
    return any(
        (ring["outlineStyle"] != "none" and ring["outlineWidth"] >= 2)
        or ring["boxShadow"] != "none"
        for ring in element["rings"]
    )


def tab_until(page, predicate, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = active(page)
        if predicate(element):
            return element
    raise AssertionError(f"not reached with {limit} presses of Tab")


def test_skip_link_is_first_and_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    first = active(page)
    assert first["href"] == "#main"
    assert page.locator(".skip-link").is_visible()
    assert has_visible_focus(first)
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main"


def test_every_control_in_tab_order_shows_focus(page):
    """Tab through the whole home page: the header, the main content and the footer."""
    page.goto("/")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        element = active(page)
        if element["tag"] == "body" or (reached and element == reached[0]):
            break
        assert has_visible_focus(element), f"no visible focus on {element}"
        reached.append(element)
    hrefs = {element["href"] for element in reached}
    for href in ("/wolontariat/", "/organizacje/", "/przestrzenie/", "/konto/logowanie"):
        assert href in hrefs, f"navigation link {href} not reachable by keyboard"
    ids = {element["id"] for element in reached}
    assert {"site-search-q", "language-select"} <= ids
    assert "/dostepnosc" in hrefs


def test_language_switch_with_the_keyboard(page):
    page.goto("/dostepnosc")
    tab_until(page, lambda e: e["id"] == "language-select")
    page.keyboard.press("ArrowDown")  # Polski -> English
    tab_until(page, lambda e: e["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dostepnosc")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title().startswith("Accessibility statement")
    tab_until(page, lambda e: e["id"] == "language-select")
    page.keyboard.press("ArrowDown")  # English -> Українська
    tab_until(page, lambda e: e["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dostepnosc")
    assert page.evaluate("document.documentElement.lang") == "uk"
    assert page.title().startswith("Декларація доступності")


def test_login_with_the_keyboard_only(page):
    page.goto("/")
    tab_until(page, lambda e: e["href"] == "/konto/logowanie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/logowanie")
    # A wrong first attempt: the error summary takes focus and links to the field.
    tab_until(page, lambda e: e["id"] == "email")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = active(page)
    assert "error-summary" in page.evaluate("document.activeElement.className")
    assert has_visible_focus(summary)
    tab_until(page, lambda e: e["href"] == "#email")
    page.keyboard.press("Enter")
    assert active(page)["id"] == "email"
    page.keyboard.type(harness.demo_email("volunteer"))
    page.keyboard.press("Tab")
    assert active(page)["id"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto")
    assert page.title().startswith("Twoje konto")


@pytest.mark.parametrize(
    ("locale", "lang", "nav_label"),
    [
        ("pl-PL", "pl", "Wolontariat"),
        ("en-GB", "en", "Volunteering"),
        ("uk-UA", "uk", "Волонтерство"),
    ],
)
def test_page_language_follows_the_browser(new_context, locale, lang, nav_label):
    page = new_context(locale=locale).new_page()
    for path in ("/", "/konto/logowanie", "/nie-ma-takiej-strony"):
        page.goto(path)
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.get_by_role("navigation").get_by_text(nav_label).is_visible()
