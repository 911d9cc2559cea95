"""What people type (names, descriptions, titles, addresses) is in Polish whatever language the
page is in. On an English or Ukrainian page such text is marked ``lang="pl"`` so screen readers
pronounce it as Polish (WCAG 3.1.2); on a Polish page the marking would be redundant (the page
is ``lang="pl"`` already), so none is added.

In templates: ``<h1{{ pl_lang() }}>{{ organisation.name }}</h1>`` on an element that holds only
such text, ``{{ organisation.name|pl }}`` inline, among translated words.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup, escape

CONTENT_LANGUAGE = "pl"


def page_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def marks_polish() -> bool:
    """Whether Polish content needs its own ``lang`` on this page."""
    return page_language() != CONTENT_LANGUAGE


def pl_lang() -> Markup:
    """The attribute `` lang="pl"`` for an element of Polish content, on a non-Polish page."""
    return Markup(f' lang="{CONTENT_LANGUAGE}"') if marks_polish() else Markup("")


def pl_text(value) -> Markup:
    """Polish content inline: ``<span lang="pl">…</span>`` on a non-Polish page."""
    if value is None or value == "":
        return Markup("")
    if not marks_polish():
        return escape(value)
    return Markup('<span lang="{}">{}</span>').format(CONTENT_LANGUAGE, value)


def init_app(app) -> None:
    app.jinja_env.filters["pl"] = pl_text
    app.jinja_env.globals["pl_lang"] = pl_lang


def translated_or_polish(translated: str | None, polish: str) -> Markup:
    """A curated entry's name in the page's language, or its Polish name marked as Polish."""
    return escape(translated) if translated else pl_text(polish)
