"""On a phone the filters fold into one line, so the result count is on the first screen; on a
wide screen they are open; without JavaScript the panel still opens and filters."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LISTS = ["/wolontariat/", "/organizacje/", "/przestrzenie/"]


@pytest.mark.parametrize("path", LISTS)
def test_on_a_phone_the_result_count_is_on_the_first_screen(new_context, path):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(path)
    count = page.locator(".results-count").first
    assert count.is_visible()
    assert count.bounding_box()["y"] + count.bounding_box()["height"] <= 640
    assert not page.locator("details.filters-panel").evaluate("d => d.open")
    page.locator("details.filters-panel > summary").click()
    assert page.locator("details.filters-panel form.filters").is_visible()


@pytest.mark.parametrize("path", LISTS)
def test_on_a_wide_screen_the_filters_are_open(new_context, path):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(path)
    assert page.locator("details.filters-panel form.filters").is_visible()
    assert not page.locator("details.filters-panel > summary").is_visible()


def test_without_javascript_the_folded_filters_still_work(new_context):
    page = new_context(javascript=False, viewport={"width": 320, "height": 640}).new_page()
    page.goto("/przestrzenie/")
    page.locator("details.filters-panel > summary").click()
    page.locator("details.filters-panel select[name=kind]").select_option("room")
    page.locator("details.filters-panel button[type=submit]").click()
    page.wait_for_url("**kind=room**")
    assert "1 aktywny" in page.locator("details.filters-panel > summary").inner_text()
