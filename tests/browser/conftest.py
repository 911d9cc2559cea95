"""Fixtures for the browser tests: one live server with the demo data per session, headless
system Chromium, and contexts logged in as a demo role through the real login form.

Without Chromium (or Playwright) every browser test is skipped with the reason.
"""

from __future__ import annotations

import pytest

from tests.browser import harness

ROLES = ["anonymous", "volunteer", "ngo_owner", "cal_manager", "staff"]


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if harness.chromium_path() is None:
        return "Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)"
    return None


# When Chromium drops a connection half-way (a favicon or a photo while the page navigates on),
# the development server in the test's thread leaves the file it was sending (a static file, a
# space's photo) to the garbage collector; that is the test server's doing, not the app's, so
# only that warning is ignored.
ABORTED_STATIC_FILE = (
    r"ignore:Exception ignored in. <_io.FileIO name='[^']*/(static|uploads)/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(config, items):
    reason = _missing_browser()
    for item in items:
        if "browser" not in item.keywords:
            continue
        item.add_marker(pytest.mark.filterwarnings(ABORTED_STATIC_FILE))
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The app with the demo data, served over HTTP on 127.0.0.1 for the whole session."""
    with harness.demo_server(tmp_path_factory.mktemp("browser") / "demo.sqlite") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    with harness.chromium() as browser:
        yield browser


@pytest.fixture
def new_context(browser, demo_server):
    """Make browser contexts on the demo server: ``new_context(role=None, locale="pl-PL",
    javascript=True, **playwright_options)``; closed after the test (``harness.run_axe``
    checks any of their pages)."""
    contexts = []

    def make(role: str | None = None, *, javascript: bool = True, **options):
        context = harness.new_context(
            browser, demo_server.url, java_script_enabled=javascript, **options
        )
        contexts.append(context)
        if role and role != "anonymous":
            page = context.new_page()
            harness.log_in(page, role)
            page.close()
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """An anonymous Polish page with JavaScript on."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def crawl(browser, demo_server):
    """``crawl(role) -> CrawlReport``: the axe crawl of everything ``role`` can reach, done
    once per session and shared by the tests that read it (axe, titles, htmx filters)."""
    reports, contexts, checked = {}, [], set()

    def run(role: str) -> harness.CrawlReport:
        if role not in reports:
            context = harness.new_context(browser, demo_server.url)
            contexts.append(context)
            page = context.new_page()
            if role != "anonymous":
                harness.log_in(page, role)
            start = ["/"] if role == "anonymous" else ["/konto", "/"]
            crawler = harness.Crawler(
                demo_server.app, page, demo_server.url, who=role, checked=checked
            )
            reports[role] = crawler.crawl(start)
        return reports[role]

    yield run
    for context in contexts:
        context.close()
