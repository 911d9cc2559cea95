"""The message catalogues match the code: every string is extracted and translated.

Each catalogue found by ``app.translations_tool.catalogues()`` (core and every domain that has
``app/<domain>/translations``) is checked, so a catalogue added later is covered without
editing this file. Fix a failure with ``flask --app wsgi translations extract``, then translate
what ``flask --app wsgi translations check`` lists.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.translations_tool import LOCALES, catalogues, extract_template, untranslated

CATALOGUES = [c for c in catalogues() if c.template.exists()]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _read(path, locale=None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def _label(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_template_is_up_to_date_with_the_code(catalogue, tmp_path):
    fresh = tmp_path / "fresh.pot"
    extract_template(catalogue, fresh)
    committed, current = _ids(_read(catalogue.template)), _ids(_read(fresh))
    missing = sorted(_label(m) for m in current - committed)
    stale = sorted(_label(m) for m in committed - current)
    assert not missing and not stale, (
        f"{catalogue.name}: run `flask --app wsgi translations extract`.\n"
        f"Not in the .pot yet: {missing}\nNo longer in the code: {stale}"
    )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_every_string_is_translated(catalogue, locale):
    assert catalogue.po_file(locale).exists(), f"{catalogue.name}: no {locale} catalogue"
    template_ids = _ids(_read(catalogue.template))
    po = _read(catalogue.po_file(locale), locale)
    assert _ids(po) == template_ids, f"{catalogue.name}/{locale}: .po not merged with the .pot"
    assert untranslated(catalogue, locale) == []


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_translations_keep_the_placeholders(catalogue, locale):
    """A translation that drops or renames %(name)s breaks at run time (KeyError or lost data)."""
    po = _read(catalogue.po_file(locale), locale)
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
                wrong.append((_label(message.id), string))
    assert wrong == []


def test_polish_plural_forms_have_three_distinct_cases():
    """1 miejsce, 2 miejsca, 5 miejsc: the Polish catalogue fills all three forms."""
    for catalogue in CATALOGUES:
        po = _read(catalogue.po_file("pl"), "pl")
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
