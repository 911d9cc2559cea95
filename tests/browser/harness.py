"""The browser harness: a live demo server, headless Chromium, logins by role, axe, a crawler.

Used by the pytest fixtures in ``conftest.py`` and by ``python -m tests.browser.screenshots``.
Nothing here knows the app's pages: the crawler finds them by following links, so pages added
later are checked without touching this file.

Conventions a template can use (documented in docs/accessibility.md):
- ``data-a11y-skip`` on a link: the crawler does not follow it (e.g. a link that changes state
  through GET, which should not exist, or a very slow export).
- ``data-a11y-submit`` on a POST form outside ``/konto/``: the crawler may submit it empty to
  check its error state (only mark forms whose empty submission changes nothing).
- ``data-a11y-nosubmit`` on a form: never submitted by the crawler (nor is a form with a
  ``.button-danger`` button unless it carries ``data-a11y-submit``: destructive actions are
  styled as such).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from app import create_app
from app.accounts.demo import DEMO_PASSWORD, DEMO_USERS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Links the crawler never follows: downloads and feeds (not HTML) and state changes.
SKIPPED_SUFFIXES = (
    *(".ics", ".csv", ".json", ".xml", ".atom", ".rss", ".pdf", ".txt", ".zip", ".svg", ".png"),
)
# Fields of an htmx active filter or search: typing in them swaps the results in place.
HTMX_FILTER_FIELDS = ", ".join(
    f"main {field}"
    for field in (
        "[hx-get] input[type=search]",
        "[hx-get] input[type=text]",
        "[hx-get] select",
        "[hx-get] input[type=checkbox]",
        "input[hx-get]",
        "select[hx-get]",
    )
)
SKIPPED_PATH_PARTS = ("/wyloguj", "/feed", "/kanal", "/ical", "/eksport", "/export", "/static/")


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set (None when it does not exist), else the system Chromium (Debian
    package ``chromium``)."""
    if "CHROMIUM_PATH" in os.environ:
        candidate = os.environ["CHROMIUM_PATH"]
        return candidate if Path(candidate).is_file() else None
    candidate = shutil.which("chromium")
    if candidate:
        return candidate
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def demo_email(role: str) -> str:
    return DEMO_USERS[role][0]


# --- the live demo server ------------------------------------------------------------------


def create_demo_app(database_file: Path):
    """A migrated SQLite database with the demo data, and an app on it."""
    from app.demo import load_demo_data
    from app.extensions import db
    from tests.helpers import SECRET_KEY, migrate_to_head

    url = f"sqlite:///{database_file}"
    migrate_to_head(url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            # The demo's space photos beside its database, not in the checkout's instance/.
            "PHOTO_UPLOAD_FOLDER": str(database_file.parent / "uploads"),
        }
    )
    with app.app_context():
        load_demo_data()
        db.session.remove()
    return app


@contextmanager
def demo_server(database_file: Path) -> Iterator:
    from tests.helpers import LiveServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_demo_app(database_file)
    with LiveServer(app) as server:
        yield server


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, base_url: str, *, locale: str = "pl-PL", **options):
    """A fresh browser profile; Polish by default, as most residents see the service."""
    context = browser.new_context(base_url=base_url, locale=locale, **options)
    context.set_default_timeout(10_000)
    return context


def log_in(page, role: str) -> None:
    """Log a demo user in through the real login form."""
    page.goto("/konto/logowanie")
    page.locator("#email").fill(demo_email(role))
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/konto")


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll a JavaScript expression until it is truthy. (Playwright's wait_for_function
    evaluates strings with eval(), which the site's Content-Security-Policy rightly forbids.)"""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError as error:
            # The answer navigated away (a redirect after a swap): ask the page it led to.
            if "Execution context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
            continue
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        page.wait_for_timeout(25)


def wait_for_htmx(page) -> None:
    """Until no htmx request or swap is in progress."""
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


# --- axe -------------------------------------------------------------------------------------


def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def run_axe(page) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations on the current page. axe-core is put into the page
    only when it is needed (most pages of a crawl were checked already), through the DevTools
    protocol, so the site's Content-Security-Policy stays untouched and is tested as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe_violations(url: str, violations: list[dict], who: str = "") -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(
            f"{url} [{who}] {violation['id']} ({violation['impact']}): "
            f"{violation['help']} -> {targets}"
        )
    return lines


# The document as axe sees it, without what changes on every request (CSRF tokens).
FINGERPRINT = """() => {
    const root = document.documentElement.cloneNode(true);
    root.querySelectorAll('input[name=csrf_token], meta[name=csrf-token]').forEach(
        el => el.removeAttribute(el.tagName === 'META' ? 'content' : 'value'));
    return root.outerHTML;
}"""


# --- the crawler ---------------------------------------------------------------------------


@dataclass
class Visit:
    url: str  # as linked
    final_path: str  # after redirects (a protected page may land on the login form)
    endpoint: str
    status: int
    title: str
    lang: str
    html: bool


@dataclass
class CrawlReport:
    visits: list[Visit] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    forms_submitted: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    # Pages with an htmx-enhanced filter or search field (tests/browser/test_htmx.py types in them).
    htmx_filters: list[str] = field(default_factory=list)
    # WCAG 1.4.10 at 320 CSS pixels: pages that scroll sideways, scrolling parts without focus.
    too_wide: list[str] = field(default_factory=list)
    unfocusable_scrollers: list[str] = field(default_factory=list)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "data-a11y-skip" not in attributes:
            self.hrefs.append(attributes["href"])


def _links(html: str) -> list[str]:
    """The hrefs the crawler follows (as ``a[href]:not([data-a11y-skip])`` in the browser)."""
    parser = _LinkParser()
    parser.feed(html)
    return parser.hrefs


# A part of the page that scrolls sideways must be focusable (axe scrollable-region-focusable):
# a keyboard user scrolls it with the arrow keys.
SCROLLERS_WITHOUT_FOCUS = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.scrollWidth > el.clientWidth + 1
        && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
        && el.tabIndex < 0 && !el.querySelector('a, button, input, select, textarea'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


class Crawler:
    """Breadth-first over same-origin links, bounded, with axe on each page.

    Pages are grouped by their Flask endpoint: at most ``per_endpoint`` different pages of one
    endpoint (one organisation profile looks like the next, so one of each kind) and
    ``per_path`` query-string variants of one path are visited in the browser, so the run stays
    short as demo data grows. The pages left out are not lost: up to ``scouted_per_endpoint``
    of each kind are fetched as plain HTTP (no rendering, no axe) only to find links to kinds
    not seen yet (the second provider may be the one with a combined room), which are then
    visited in full.
    """

    def __init__(
        self,
        app,
        page,
        base_url: str,
        *,
        who: str,
        max_pages: int = 150,
        per_endpoint: int = 1,
        per_path: int = 1,
        scouted_per_endpoint: int = 3,
        submit_forms: bool = True,
        checked: set[str] | None = None,
    ):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(base_url).netloc
        self.who = who
        self.max_pages = max_pages
        self.per_endpoint = per_endpoint
        self.per_path = per_path
        self.scouted_per_endpoint = scouted_per_endpoint
        self.submit_forms = submit_forms
        # Fingerprints of documents axe has already passed, shared between the crawls of a
        # session: a public page that looks the same to two roles is checked once.
        self.checked = checked if checked is not None else set()
        self.adapter = app.url_map.bind(self.origin)
        self.report = CrawlReport()
        self._seen: set[str] = set()
        self._by_endpoint: dict[str, set[str]] = defaultdict(set)
        self._by_path: dict[str, int] = defaultdict(int)
        self._left_out: list[str] = []  # accepted by nothing but the quotas: scouted later
        self._scouted: dict[str, int] = defaultdict(int)
        self._forms_done: set[tuple[str, str, str]] = set()
        self.reflow_checked: set[str] = set()

    # URL bookkeeping

    def _endpoint(self, path: str) -> str | None:
        from werkzeug.exceptions import HTTPException
        from werkzeug.routing import RequestRedirect

        try:
            endpoint, _args = self.adapter.match(path, method="GET")
        except RequestRedirect:
            return "redirect"
        except HTTPException:
            return None
        return endpoint

    def _accept(self, url: str) -> str | None:
        """The normalised URL if the crawler should visit it, else None."""
        url, _fragment = urldefrag(url)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.origin:
            return None
        path = parts.path or "/"
        if path.lower().endswith(SKIPPED_SUFFIXES) or any(p in path for p in SKIPPED_PATH_PARTS):
            return None
        normalised = path + (f"?{parts.query}" if parts.query else "")
        if normalised in self._seen:
            return None
        endpoint = self._endpoint(path) or "unknown"
        over_quota = (
            path not in self._by_endpoint[endpoint]
            and len(self._by_endpoint[endpoint]) >= self.per_endpoint
        ) or (parts.query and self._by_path[path] >= self.per_path)
        if over_quota:
            self._left_out.append(normalised)
            return None
        return normalised

    def _scout(self) -> list[str]:
        """Links to kinds of page not visited yet, found on left-out pages fetched over HTTP."""
        found: list[str] = []
        while self._left_out and not found:
            url = self._left_out.pop(0)
            endpoint = self._endpoint(urlsplit(url).path) or "unknown"
            if url in self._seen or self._scouted[endpoint] >= self.scouted_per_endpoint:
                continue
            self._seen.add(url)
            self._scouted[endpoint] += 1
            response = self.page.context.request.get(self.base_url + url, max_redirects=0)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for href in _links(response.text()):
                link, _fragment = urldefrag(urljoin(self.base_url + url, href))
                path = urlsplit(link).path
                if self._by_endpoint.get(self._endpoint(path) or "unknown"):
                    continue  # a kind already visited
                accepted = self._accept(link)
                if accepted:
                    self._claim(accepted)
                    found.append(accepted)
        return found

    def _claim(self, normalised: str) -> None:
        path = urlsplit(normalised).path
        self._seen.add(normalised)
        self._by_endpoint[self._endpoint(path) or "unknown"].add(path)
        if "?" in normalised:
            self._by_path[path] += 1

    # Crawling

    def crawl(self, start: list[str]) -> CrawlReport:
        queue = [u for u in (self._accept(self.base_url + s) for s in start) if u]
        for url in queue:
            self._claim(url)
        post_forms = []
        while len(self.report.visits) < self.max_pages:
            if not queue:
                queue = self._scout()
                if not queue:
                    break
            url = queue.pop(0)
            links, forms = self._visit(url)
            for link in links:
                accepted = self._accept(link)
                if accepted:
                    self._claim(accepted)
                    queue.append(accepted)
            for form in forms:
                if form["method"] == "get":
                    self._submit_empty(url, form)
                else:
                    post_forms.append((url, form))
        # POST forms last, so whatever they change cannot hide pages from the crawl.
        for url, form in post_forms:
            self._submit_empty(url, form)
        return self.report

    def _visit(self, url: str):
        from playwright.sync_api import Error

        try:
            response = self.page.goto(self.base_url + url, wait_until="load")
        except Error as error:
            # A download (Content-Disposition: attachment) is not a page; anything else is.
            if "Download is starting" not in str(error):
                self.report.broken.append(f"{url} [{self.who}] could not be opened: {error}")
            else:
                self.report.downloads.append(url)
            return [], []
        status = response.status if response else 0
        final_path = urlsplit(self.page.url).path
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        html = "text/html" in content_type
        self.report.visits.append(
            Visit(
                url=url,
                final_path=final_path,
                endpoint=self._endpoint(final_path) or "unknown",
                status=status,
                title=self.page.title() if html else "",
                lang=self.page.evaluate("document.documentElement?.lang ?? ''") if html else "",
                html=html,
            )
        )
        if status >= 400:
            self.report.broken.append(f"{url} [{self.who}] answered {status}")
        if not html:
            return [], []
        self._check(url)
        self._check_reflow(url)
        if self.page.locator(HTMX_FILTER_FIELDS).count():
            self.report.htmx_filters.append(url)
        links = self.page.eval_on_selector_all(
            "a[href]:not([data-a11y-skip])", "els => els.map(e => e.href)"
        )
        forms = self._forms() if self.submit_forms else []
        return links, forms

    def _check(self, label: str) -> None:
        fingerprint = hashlib.sha256(self.page.evaluate(FINGERPRINT).encode()).hexdigest()
        if fingerprint in self.checked:
            return
        violations = run_axe(self.page)
        if not violations:
            self.checked.add(fingerprint)
        self.report.violations += describe_violations(label, violations, self.who)

    def _check_reflow(self, label: str) -> None:
        """The same page at 320 CSS pixels (400 % zoom): no sideways scrolling of the page, and
        what scrolls inside it (a wide table) can be focused. Resizing reflows the loaded page,
        so this costs no second visit."""
        path = urlsplit(label).path
        if path in self.reflow_checked:
            return  # query-string variants of a page share its layout
        self.reflow_checked.add(path)
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 320, "height": 640})
        try:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                self.report.too_wide.append(f"{label} [{self.who}]: {width}px")
            self.report.unfocusable_scrollers += [
                f"{label} [{self.who}]: {what}"
                for what in self.page.evaluate(SCROLLERS_WITHOUT_FOCUS)
            ]
        finally:
            self.page.set_viewport_size(size)

    def _forms(self) -> list[dict]:
        """Forms in the page's main content (the header's forms have their own tests)."""
        return self.page.eval_on_selector_all(
            "main form",
            """forms => forms.map((f, index) => ({
                index,
                method: (f.getAttribute('method') || 'get').toLowerCase(),
                action: new URL(f.getAttribute('action') || location.href, location.href).pathname,
                marked: f.hasAttribute('data-a11y-submit'),
                // A destructive action (styled as danger) is only sent when marked as safe.
                excluded: f.hasAttribute('data-a11y-nosubmit') || (
                    !f.hasAttribute('data-a11y-submit')
                    && !!f.querySelector('.button-danger, [formmethod], [hx-delete]')),
            }))""",
        )

    def _submit_empty(self, url: str, form: dict) -> None:
        path = urlsplit(url).path
        key = (self._endpoint(path) or path, form["action"], form["method"])
        if key in self._forms_done or form["excluded"]:
            return
        own_account = path == "/konto" or path.startswith("/konto/")
        if form["method"] == "post" and not (own_account or form["marked"]):
            return
        if any(part in form["action"] for part in SKIPPED_PATH_PARTS):
            return
        self._forms_done.add(key)
        self.page.goto(self.base_url + url, wait_until="load")
        locator = self.page.locator("main form").nth(form["index"])
        # Empty every field the user types into, then send the form as it is.
        locator.evaluate(
            """f => f.querySelectorAll(
                'input:not([type=hidden]):not([type=submit]):not([type=button])'
                + ':not([type=checkbox]):not([type=radio]), textarea'
            ).forEach(el => { el.value = ''; })"""
        )
        submit = locator.locator("button[type=submit], input[type=submit], button:not([type])")
        label = f"{url} (form {form['method'].upper()} {form['action']} sent empty)"
        if submit.count() == 0:
            return
        with self.page.expect_response(lambda r: urlsplit(r.url).path == form["action"]) as info:
            submit.first.click()
        self.page.wait_for_load_state("load")
        # An htmx form swaps its answer in: wait until the request and the swap are over.
        wait_for_htmx(self.page)
        status = info.value.status
        self.report.forms_submitted.append(f"{label} -> {status}")
        if status >= 500:
            self.report.broken.append(f"{label} [{self.who}] answered {status}")
        self._check(label)
