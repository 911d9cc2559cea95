"""The message catalogue matches the code: every string is extracted and translated.

There is one catalogue, ``app/translations/``, so a Polish string has exactly one English and
one Ukrainian translation; where one Polish word means two things, the templates use
``pgettext`` with a context. Fix a failure with ``make translations-extract``, then translate
what ``flask --app wsgi translations check`` lists.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.messages.pofile import read_po

from app.translations_tool import DIRECTORY, LOCALES, ROOT, TEMPLATE, extract, po_file, untranslated

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


def test_one_catalogue_for_the_whole_app():
    """Per-domain catalogues let one Polish string get two translations; they must not return."""
    from app import _translation_directories

    found = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("app/**/translations"))
    assert found == ["app/translations"]
    assert _translation_directories() == [str(DIRECTORY)]
    assert sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("app/**/*.pot")) == [
        "app/translations/messages.pot"
    ]


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


# --- strings that two catalogues used to translate differently ----------------------------


@pytest.mark.parametrize(
    ("language", "label", "not_label"),
    [("en", "Search the site", "Search the service"), ("uk", "Пошук на сайті", "Пошук у сервісі")],
)
def test_header_search_and_search_page_say_the_same(client, language, label, not_label):
    """The search domain's catalogue used to win over the core one for "Szukaj w serwisie"."""
    headers = {"Accept-Language": language}
    for url in ("/", "/szukaj/"):
        page = client.get(url, headers=headers).text
        assert f'class="visually-hidden">{label}</label>' in page, url
        assert not_label not in page, url
    assert f"<h1>{label}</h1>" in client.get("/szukaj/", headers=headers).text


def test_navigation_names_spaces_as_the_spaces_page_does(client):
    headers = {"Accept-Language": "uk"}
    home, spaces = client.get("/", headers=headers).text, client.get("/przestrzenie/").text
    assert ">Приміщення</a>" in home and "Простори<" not in home
    assert "<title>Приміщення" in client.get("/przestrzenie/", headers=headers).text
    assert "<title>Przestrzenie" in spaces  # Polish is the source text


def test_przyjmij_approves_a_request_but_accepts_a_volunteer(
    client, auth, make_user, make_organisation, ngo_owner
):
    """One Polish word, two English ones: pgettext("organisation request", "Przyjmij")."""
    from app.db import utcnow
    from app.extensions import db
    from app.volunteering import service
    from app.volunteering.models import Opportunity, OpportunityKind, OpportunityStatus, Shift

    organisation = make_organisation("Fundacja Razem", owner=ngo_owner)
    auth.login(make_user(name="Chętna Osoba"))
    client.post(f"/organizacje/{organisation.slug}/dolacz", data={"message": ""})
    opportunity = Opportunity(
        organisation=organisation,
        title="Wydawanie posiłków",
        status=OpportunityStatus.PUBLISHED,
        kind=OpportunityKind.ONE_OFF,
        published_at=utcnow(),
        sphere="social_assistance",
        district="rubinkowo",
        description="Opis zadania.",
    )
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    shift = Shift(
        opportunity=opportunity, starts_at=start, ends_at=start + timedelta(hours=2), capacity=3
    )
    db.session.add_all([opportunity, shift])
    db.session.commit()
    service.sign_up(shift.id, user=make_user(name="Ewa Pierwsza"), birth_year=1990)

    auth.login(ngo_owner)
    english = {"Accept-Language": "en"}
    members = client.get(f"/organizacje/{organisation.slug}/czlonkowie", headers=english).text
    assert ">Approve<span" in members and ">Accept<" not in members
    base = f"/wolontariat/organizacja/{organisation.slug}/oferty/{opportunity.id}"
    applicants = client.get(f"{base}/zgloszenia", headers=english).text
    assert 'value="accept"> Accept</label>' in applicants
    # "Zajęte" is "Taken" places in a shift (and "Busy" in a calendar feed).
    assert '<th scope="col">Taken</th>' in client.get(base, headers=english).text
    # Polish pages show the Polish source text under either context.
    assert ">Przyjmij<span" in client.get(f"/organizacje/{organisation.slug}/czlonkowie").text


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


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_numbers_formatted_once_parsed_read_as_flask_babel_gives_them(app, language):
    from decimal import Decimal

    from flask_babel import force_locale, format_decimal, format_percent

    from app.i18n import format_number

    values = [0, 1, -2, 6, 1.5, 1234.5, 1234567.891, Decimal("0.005"), Decimal("98765.43"), 1e-9]
    with app.test_request_context(), force_locale(language):
        for value in values:
            for fmt in ("#,##0.##", "0.0", "0.#", "#,##0"):
                assert format_number(value, fmt) == format_decimal(value, fmt), (value, fmt)
            assert format_number(value, "#,##0.#%") == format_percent(value, "#,##0.#%")
        expected = {"pl": "1\xa0234,5", "en": "1,234.5", "uk": "1\xa0234,5"}[language]
        assert format_number(1234.5) == expected
