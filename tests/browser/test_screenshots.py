"""The README's screenshot command keeps working (one page here; the command takes them all)."""

from __future__ import annotations

import pytest

from tests.browser.screenshots import PAGES, take_screenshots

pytestmark = pytest.mark.browser


def test_screenshots_are_written_for_desktop_and_mobile(browser, demo_server, tmp_path):
    written = take_screenshots(browser, demo_server.url, tmp_path, pages=PAGES[:1])
    assert [path.name for path in written] == ["home-desktop.png", "home-mobile.png"]
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG")
