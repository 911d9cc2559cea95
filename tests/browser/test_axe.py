"""axe-core on every page each role can reach, and on every form's error state.

The crawler starts at "/" (and at the account page for logged-in roles) and follows links, so
a page added later is checked as soon as something links to it.
"""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.browser.conftest import ROLES

pytestmark = pytest.mark.browser


# Each role's crawl runs on one worker only (the htmx test reads the anonymous one too).
CRAWLED_ROLES = [
    pytest.param(role, marks=pytest.mark.xdist_group(f"crawl-{role}")) for role in ROLES
]


# Pages a role's crawl must reach, so a menu that loses its link is noticed: the staff console,
# the report (with its charts and tables) and open data.
MUST_REACH = {
    "staff": {
        "/urzad/",
        "/urzad/sprawozdanie",
        "/urzad/weryfikacja",
        "/zgloszenia/",
        "/zgloszenia/ukryte",
        "/urzad/slowniki",
        "/otwarte-dane/",
    },
}


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_every_page_passes_axe_has_its_own_title_and_reflows(role, crawl):
    """One crawl per role (crawling is the slow part) checks every page it reaches:

    - axe-core (WCAG 2.1 A and AA) finds nothing, and no link is broken;
    - two different pages never share a title (query-string variants of one page may), every
      title is set and the language is Polish;
    - WCAG 1.4.10: at 320 CSS pixels wide (400 % zoom) no page scrolls sideways, and what
      scrolls inside a page (the week grid) can be reached by keyboard (measured on every page,
      harness.Crawler._check_reflow)."""
    report = crawl(role)
    assert len(report.visits) > 3, "the crawl found almost nothing"
    problems = report.violations + report.broken
    pages = [visit for visit in report.visits if visit.html and visit.status < 400]
    paths_by_title: dict[str, set[str]] = {}
    for visit in pages:
        paths_by_title.setdefault(visit.title, set()).add(visit.final_path)
    problems += [
        f"pages sharing the title {title!r}: {sorted(paths)}"
        for title, paths in paths_by_title.items()
        if len(paths) > 1
    ]
    problems += [f"{visit.final_path}: no title" for visit in pages if not visit.title.strip()]
    problems += [f"{v.final_path}: lang={v.lang!r}" for v in pages if v.lang != "pl"]
    problems += [f"wider than the screen: {line}" for line in report.too_wide]
    problems += [f"scrollable but not focusable: {line}" for line in report.unfocusable_scrollers]
    reached = {visit.final_path.split("?")[0] for visit in report.visits}
    problems += [
        f"not reached by the crawl: {path}" for path in MUST_REACH.get(role, set()) - reached
    ]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", ["pl-PL", "en-GB", "uk-UA"])
def test_pages_outside_the_crawl_pass_axe_in_every_language(locale, new_context):
    """Error pages and the translated versions of the shell are not reached by links."""
    page = new_context(locale=locale).new_page()
    problems = []
    for path, status in [("/", 200), ("/konto/logowanie", 200), ("/nie-ma-takiej-strony", 404)]:
        response = page.goto(path)
        assert response.status == status
        problems += harness.describe_violations(path, harness.run_axe(page), locale)
    assert not problems, "\n".join(problems)
