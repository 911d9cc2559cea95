"""The message catalogue matches the code: every string is extracted and translated.

There is one catalogue, ``app/translations/``, so a Polish string has exactly one English and
one Ukrainian translation; where one Polish word means two things, the templates use
``pgettext`` with a context. Fix a failure with ``make translations-extract``, then translate
what ``flask --app wsgi translations check`` lists.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.translations_tool import LOCALES, TEMPLATE, extract, po_file, untranslated

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _read(path, locale=None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set:
    """(context, msgid) pairs: the same Polish text under two contexts is two messages."""
    return {(message.context, message.id) for message in catalog if message.id}


def _label(key) -> str:
    context, message_id = key
    text = message_id[0] if isinstance(message_id, tuple) else message_id
    return f"{context}|{text}" if context else text


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    extract(fresh)
    committed, current = _ids(_read(TEMPLATE)), _ids(_read(fresh))
    missing = sorted(_label(m) for m in current - committed)
    stale = sorted(_label(m) for m in committed - current)
    assert not missing and not stale, (
        "Run `make translations-extract`.\n"
        f"Not in the .pot yet: {missing}\nNo longer in the code: {stale}"
    )


def test_extraction_sees_every_kind_of_call():
    """The keywords come from pyproject.toml, the paths from babel.cfg; with either missing
    pybabel silently finds less, and the test above would pass on a shrunken .pot."""
    template = _read(TEMPLATE)
    # _l() in a form, ngettext() and pgettext() in templates, a macro in templates/_macros/.
    assert template.get("Podaj adres e-mail.") is not None
    assert template.get(("%(num)d oferta", "%(num)d oferty")) is not None
    assert template.get("Przyjmij", context="organisation request") is not None
    assert template.get("Popraw błędy w formularzu") is not None


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_is_translated(locale):
    assert po_file(locale).exists(), f"no {locale} catalogue"
    po = _read(po_file(locale), locale)
    assert _ids(po) == _ids(_read(TEMPLATE)), f"{locale}: .po not merged with the .pot"
    assert untranslated(locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    """A translation that drops or renames %(name)s breaks at run time (KeyError or lost data)."""
    po = _read(po_file(locale), locale)
    wrong = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in filter(None, strings):
            found = set(PLACEHOLDER.findall(string))
            # A plural form may leave out %(num)d ("jedna godzina"), never add or rename one.
            if not found <= expected or (found | {"num"}) < (expected | {"num"}):
                wrong.append((message.id, string))
    assert wrong == []


def test_polish_plural_forms_have_three_distinct_cases():
    """1 miejsce, 2 miejsca, 5 miejsc: the Polish catalogue fills all three forms."""
    po = _read(po_file("pl"), "pl")
    assert po.num_plurals == 3
    for message in po:
        if isinstance(message.id, tuple):
            assert len(message.string) == 3 and all(message.string), message.id[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "poniedziałek, 30 marca 2026, 18:00"),
        ("en", "Monday, 30 March 2026, 18:00"),
        ("uk", "понеділок, 30 березня 2026, 18:00"),
    ],
)
def test_dates_and_weekdays_in_the_users_language_and_warsaw_time(client, language, expected):
    """16:00 UTC on the first Monday of summer time is 18:00 in Toruń, in every language."""
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from app.templating import local_datetime

    with client.application.test_request_context(), force_locale(language):
        moment = datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
        assert local_datetime(moment, "EEEE, d MMMM y, HH:mm") == expected
