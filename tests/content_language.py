"""Which language a piece of a page is in: the ``lang`` of the nearest element around it."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _LangFinder(HTMLParser):
    def __init__(self, needle: str):
        super().__init__(convert_charrefs=True)
        self.needle = needle
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str]] = []  # (lang, tag that set it) per occurrence

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        # The <title> cannot mark part of itself; the page's language is the best it can say.
        if any(tag == "head" for tag, _lang in self.stack):
            return
        if self.needle in data:
            for tag, lang in reversed(self.stack):
                if lang:
                    self.found.append((lang, tag))
                    return
            self.found.append(("", ""))


def languages_of(html: str, text: str) -> list[tuple[str, str]]:
    """For every place ``text`` appears in the page's body: (its language, the tag that says so).
    On a Polish page Polish content should get its language from ``html`` itself."""
    finder = _LangFinder(text)
    finder.feed(html)
    assert finder.found, f"{text!r} is not on the page"
    return finder.found


def marked_polish(html: str, text: str) -> bool:
    """Every occurrence of ``text`` is inside an element below ``<html>`` with lang="pl"."""
    return all(lang == "pl" and tag != "html" for lang, tag in languages_of(html, text))


def inherits_page_language(html: str, text: str) -> bool:
    """No redundant marking: ``text`` takes its language from ``<html>``."""
    return all(tag == "html" for _lang, tag in languages_of(html, text))
