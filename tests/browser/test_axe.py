"""axe-core on every page each role can reach, and on every form's error state.

The crawler starts at "/" (and at the account page for logged-in roles) and follows links, so
a page added later is checked as soon as something links to it.
"""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.browser.conftest import ROLES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(role, crawl):
    report = crawl(role)
    assert len(report.visits) > 3, "the crawl found almost nothing"
    problems = report.violations + report.broken
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_page_titles_are_unique_and_language_is_set(role, crawl):
    """Two different pages never share a title (query-string variants of one page may)."""
    pages = [visit for visit in crawl(role).visits if visit.html and visit.status < 400]
    paths_by_title: dict[str, set[str]] = {}
    for visit in pages:
        paths_by_title.setdefault(visit.title, set()).add(visit.final_path)
    shared = {title: paths for title, paths in paths_by_title.items() if len(paths) > 1}
    assert not shared, f"pages sharing a title: {shared}"
    assert all(visit.title.strip() for visit in pages)
    assert {visit.lang for visit in pages} == {"pl"}


@pytest.mark.parametrize("locale", ["pl-PL", "en-GB", "uk-UA"])
def test_pages_outside_the_crawl_pass_axe_in_every_language(locale, new_context):
    """Error pages and the translated versions of the shell are not reached by links."""
    page = new_context(locale=locale, axe=True).new_page()
    problems = []
    for path, status in [("/", 200), ("/konto/logowanie", 200), ("/nie-ma-takiej-strony", 404)]:
        response = page.goto(path)
        assert response.status == status
        problems += harness.describe_violations(path, harness.run_axe(page), locale)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_pages_reflow_at_320_css_pixels(role, crawl):
    """WCAG 1.4.10: at 320 CSS pixels wide (400 % zoom) no page any role reaches scrolls
    sideways, and what scrolls inside a page (the week grid) can be reached by keyboard. The
    crawl measures every page it visits at 320 px (harness.Crawler._check_reflow)."""
    report = crawl(role)
    assert not report.too_wide, "pages wider than the screen:\n" + "\n".join(report.too_wide)
    assert not report.unfocusable_scrollers, "scrollable parts not focusable:\n" + "\n".join(
        report.unfocusable_scrollers
    )


def test_the_staff_crawl_reaches_the_console_and_open_data(crawl):
    """The staff console, the report (with its charts and tables) and open data are checked."""
    paths = {visit.final_path.split("?")[0] for visit in crawl("staff").visits}
    assert {
        "/urzad/",
        "/urzad/sprawozdanie",
        "/urzad/weryfikacja",
        "/zgloszenia/",
        "/otwarte-dane/",
    } <= paths, sorted(paths)
