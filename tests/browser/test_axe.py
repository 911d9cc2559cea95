"""axe-core on every page each role can reach, and on every form's error state.

The crawler starts at "/" (and at the account page for logged-in roles) and follows links, so
a page added later is checked as soon as something links to it.
"""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.browser.conftest import ROLES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crawls():
    """Crawl reports by role, shared by the tests of this module (one crawl per role)."""
    return {}


def _crawl(crawls, role, new_context, demo_server):
    if role not in crawls:
        page = new_context(role, axe=True).new_page()
        start = ["/"] if role == "anonymous" else ["/konto", "/"]
        crawler = harness.Crawler(demo_server.app, page, demo_server.url, who=role)
        crawls[role] = crawler.crawl(start)
    return crawls[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(role, crawls, new_context, demo_server):
    report = _crawl(crawls, role, new_context, demo_server)
    assert len(report.visits) > 3, "the crawl found almost nothing"
    problems = report.violations + report.broken
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_page_titles_are_unique_and_language_is_set(role, crawls, new_context, demo_server):
    """Two different pages never share a title (query-string variants of one page may)."""
    report = _crawl(crawls, role, new_context, demo_server)
    paths_by_title: dict[str, set[str]] = {}
    for visit in report.visits:
        if visit.status < 400:
            paths_by_title.setdefault(visit.title, set()).add(visit.url.split("?")[0])
    shared = {title: paths for title, paths in paths_by_title.items() if len(paths) > 1}
    assert not shared, f"pages sharing a title: {shared}"
    assert all(visit.title.strip() for visit in report.visits)
    assert {visit.lang for visit in report.visits} == {"pl"}
