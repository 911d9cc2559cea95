"""htmx swaps keep focus where the user is and announce their result through #live-region.

The first tests drive the real app.js and htmx on a real page, with the server's answer
stubbed by the browser (no page of the shell swaps content yet). The last one finds every
htmx filter the crawler met and types into it, so domain pages are covered when they land.
"""

from __future__ import annotations

import pytest

from tests.browser.harness import HTMX_FILTER_FIELDS, wait_for_htmx, wait_until

pytestmark = pytest.mark.browser

ADD_SWAP_BUTTON = """() => {
    const main = document.getElementById('main');
    main.insertAdjacentHTML('beforeend',
        '<button type="button" id="swap-trigger" hx-get="/_swap" hx-target="#swap-target">Pokaż</button>'
        + '<div id="swap-target"></div>');
    htmx.process(document.getElementById('swap-trigger'));
    document.getElementById('swap-trigger').focus();
}"""


def live_region(page) -> str:
    return page.locator("#live-region").inner_text().strip()


def swap_with(page, *, status: int, body: str) -> None:
    page.route(
        "**/_swap",
        lambda route: route.fulfill(status=status, body=body, content_type="text/html"),
    )
    page.goto("/")
    page.evaluate(ADD_SWAP_BUTTON)
    with page.expect_response("**/_swap"):
        page.keyboard.press("Enter")


def test_swapped_count_is_announced_and_focus_stays(page):
    swap_with(page, status=200, body='<p data-announce="Znaleziono 3 oferty">3 oferty</p>')
    wait_until(page, "document.getElementById('live-region').textContent !== ''")
    assert live_region(page) == "Znaleziono 3 oferty"
    assert page.locator("#swap-target").inner_text() == "3 oferty"
    assert page.evaluate("document.activeElement.id") == "swap-trigger"


def test_text_of_a_data_announce_element_is_used_when_the_attribute_is_empty(page):
    swap_with(page, status=200, body="<p data-announce>Brak wyników</p>")
    wait_until(page, "document.getElementById('live-region').textContent !== ''")
    assert live_region(page) == "Brak wyników"


def test_form_errors_swapped_in_move_focus_to_the_error_summary(page):
    body = (
        '<div class="error-summary" role="alert" tabindex="-1"><h2>Popraw błędy</h2>'
        '<ul><li><a href="#x">Pole: podaj wartość</a></li></ul></div>'
    )
    swap_with(page, status=422, body=body)
    wait_until(page, "document.activeElement.classList.contains('error-summary')")


def test_server_errors_are_told_in_the_users_language(page):
    swap_with(page, status=500, body="<p>boom</p>")
    flash = page.locator("#flash-messages .flash-error")
    flash.wait_for()
    assert flash.inner_text() == "Coś poszło nie tak. Spróbuj ponownie."
    assert page.locator("#swap-target").inner_text() == ""  # an error page is never swapped in


ADD_SELF_REPLACING_LINK = """() => {
    const main = document.getElementById('main');
    main.insertAdjacentHTML('beforeend',
        '<div id="week"><a href="/_swap" id="next-week" hx-get="/_swap" hx-target="#week">Dalej</a></div>');
    htmx.process(document.getElementById('next-week'));
    document.getElementById('next-week').focus();
}"""


def test_a_swap_that_replaces_the_focused_link_names_and_focuses_the_new_content(page):
    """ "Następny tydzień" sits inside the week it replaces: focus must not fall to the top
    of the page, and the tab title names the new week."""
    body = "<title>Tydzień od 7.12 · Wspólnie – Toruń</title><h2>Tydzień od 7.12</h2><p>...</p>"
    page.route(
        "**/_swap",
        lambda route: route.fulfill(status=200, body=body, content_type="text/html"),
    )
    page.goto("/")
    page.evaluate(ADD_SELF_REPLACING_LINK)
    with page.expect_response("**/_swap"):
        page.keyboard.press("Enter")
    wait_until(page, "document.activeElement.tagName === 'H2'")
    assert page.evaluate("document.activeElement.textContent") == "Tydzień od 7.12"
    assert page.title() == "Tydzień od 7.12 · Wspólnie – Toruń"


@pytest.mark.xdist_group("crawl-anonymous")  # with the anonymous axe crawl it reads
def test_every_htmx_filter_announces_results_and_keeps_focus(crawl, new_context):
    """Each page the crawler found with an htmx filter: changing its first field with the
    keyboard swaps the results, the count reaches the live region, focus stays in the field
    and the URL keeps the filter (hx-push-url)."""
    pages = sorted({url for role in ("anonymous",) for url in crawl(role).htmx_filters})
    if not pages:
        pytest.skip("no page has an htmx filter yet (hook: tests/browser/test_htmx.py)")
    page = new_context().new_page()
    for url in pages[:6]:
        page.goto(url)
        field = page.locator(HTMX_FILTER_FIELDS).first
        field.focus()
        kind = field.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
        name = field.evaluate("el => el.name")
        field_id = field.evaluate("el => el.id || el.name")
        page.evaluate("document.getElementById('live-region').textContent = ''")
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            if kind == "select":
                page.keyboard.press("ArrowDown")  # the next option, as a keyboard user would
            elif kind == "checkbox":
                page.keyboard.press("Space")
            else:
                page.keyboard.type("a")
        wait_for_htmx(page)
        wait_until(page, "document.getElementById('live-region').textContent.trim() !== ''")
        active = page.evaluate("document.activeElement.id || document.activeElement.name")
        assert active == field_id, f"{url}: focus left the filter field"
        assert f"{name}=" in page.url, f"{url}: the filter is not in the URL (hx-push-url)"
