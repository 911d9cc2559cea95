"""Every registered user flow (tests/browser/flows/) with JavaScript and without it."""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.browser.flows import parameters

pytestmark = pytest.mark.browser


class FlowContext:
    def __init__(self, page):
        self.page = page

    def login(self, role: str) -> None:
        harness.log_in(self.page, role)


@pytest.mark.parametrize(("flow", "javascript"), parameters())
def test_flow(flow, javascript, new_context):
    page = new_context(javascript=javascript).new_page()
    flow.run(page, FlowContext(page))
    # Playwright's own evaluate still works without JavaScript; the page's scripts did not run.
    page.wait_for_load_state("load")
    expected = "object" if javascript else "undefined"
    assert page.evaluate("typeof window.htmx") == expected
