"""A test-client crawl of the demo site as one role: the pages it reaches and the forms on them
(action, method, fields with their current values). The fuzz tests post hostile values into
exactly what a user of that role can reach."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from app.accounts.demo import DEMO_USERS
from app.extensions import db

START = [
    "/",
    "/wolontariat/",
    "/organizacje/",
    "/przestrzenie/",
    "/przestrzenie/dopasuj",
    "/szukaj?q=senior",
    "/konto",
    "/kalendarze/",
    "/wolontariat/moje",
    "/wolontariat/profil",
]
# Never followed or submitted: leaving the role, downloads, and feeds (not HTML).
SKIP_PREFIXES = ("/konto/wyloguj", "/static/")
SKIP_SUFFIXES = (".ics", ".csv", ".json", ".xml", ".atom", ".pdf", ".txt", ".svg", ".png")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = Form(
                page="",
                action=attributes.get("action") or "",
                method=(attributes.get("method") or "get").lower(),
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attributes.get("name"):
            kind = (attributes.get("type") or "text").lower()
            name = attributes["name"]
            if kind in {"checkbox", "radio"}:
                self._form.choices.setdefault(name, []).append(attributes.get("value") or "on")
                if "checked" in attributes:
                    self._form.fields.setdefault(name, []).append(attributes.get("value") or "on")
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._form.fields.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
            self._form.fields.setdefault(self._select, [])
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            self._form.choices.setdefault(self._select, []).append(value)
            if "selected" in attributes:
                self._form.fields[self._select] = [value]
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self._form.fields.setdefault(self._textarea, [""])
        elif tag == "button" and attributes.get("name"):
            self._form.fields.setdefault(attributes["name"], [attributes.get("value") or ""])

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def login(client, role: str | None) -> None:
    from app.accounts.models import User

    with client.session_transaction() as session:
        session.clear()
    if role is None:
        return
    import sqlalchemy as sa

    from tests.helpers import session_cookie_id

    user = db.session.scalar(sa.select(User).where(User.email == DEMO_USERS[role][0]))
    user_id = session_cookie_id(client.application, user)
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


def _local(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client, role: str | None, limit: int = 40) -> tuple[list[str], list[Form]]:
    """Pages (paths with query) and forms reachable by ``role``, breadth first. Pages of the
    same route are visited a few times at most (one organisation profile is like another)."""
    login(client, role)
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    queue = deque(START)
    pages, forms = [], []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = _route_of(client, url)
        if route is None or per_route.get(route, 0) >= 2:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in (response.mimetype or ""):
            continue
        pages.append(url)
        parser = _PageParser()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            target = _local(url, href)
            if target and target not in seen:
                queue.append(target)
        for form in parser.forms:
            form.page = url
            form.action = _local(url, form.action or url) or ""
            if form.action:
                forms.append(form)
    return pages, forms


def _route_of(client, url: str) -> str | None:
    adapter = client.application.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path)
    except Exception:
        return None
    return endpoint


def query_of(url: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        fields.setdefault(key, []).append(value)
    return fields
