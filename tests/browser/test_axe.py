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
