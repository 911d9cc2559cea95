"""Controlled vocabularies of the volunteering board.

Kept here until the organisations domain ships ``app/organisations/spheres.py`` and
``app/organisations/districts.py``; then ``SPHERES`` and ``DISTRICTS`` should be re-exported from
there (the codes are stable identifiers stored in the database, the labels are for people).
Every other module imports these names from here only, so the switch is one file.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Sphere:
    code: str
    point: str  # the point of art. 4 ust. 1
    label: object  # the wording of the act (lazy string)
    short: object  # a short label used in suggestions' reasons ("pasuje: seniorzy")


# Art. 4 ust. 1 of the act of 24 April 2003 on public benefit activity and volunteering.
SPHERES: tuple[Sphere, ...] = (
    Sphere("social_assistance", "1", _l("pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej"), _l("pomoc społeczna")),
    Sphere("family_support", "1a", _l("wspieranie rodziny i systemu pieczy zastępczej"), _l("rodzina")),
    Sphere("legal_aid", "1b", _l("nieodpłatna pomoc prawna i zwiększanie świadomości prawnej"), _l("pomoc prawna")),
    Sphere("foreigners", "1c", _l("integracja cudzoziemców"), _l("cudzoziemcy")),
    Sphere("seniors", "1d", _l("działalność na rzecz osób w wieku emerytalnym"), _l("seniorzy")),
    Sphere("charity", "2", _l("działalność charytatywna"), _l("dobroczynność")),
    Sphere("national_tradition", "3", _l("podtrzymywanie tradycji narodowej i rozwój świadomości obywatelskiej"), _l("tradycja")),
    Sphere("minorities", "4", _l("działalność na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego"), _l("mniejszości")),
    Sphere("health", "5", _l("ochrona i promocja zdrowia"), _l("zdrowie")),
    Sphere("disability", "6", _l("działalność na rzecz osób z niepełnosprawnościami"), _l("niepełnosprawność")),
    Sphere("employment", "7", _l("promocja zatrudnienia i aktywizacja zawodowa"), _l("praca")),
    Sphere("equal_rights", "8", _l("równe prawa kobiet i mężczyzn"), _l("równość")),
    Sphere("economy", "9", _l("rozwój gospodarczy, w tym przedsiębiorczości"), _l("gospodarka")),
    Sphere("innovation", "10", _l("rozwój techniki, wynalazczości i innowacyjności"), _l("technika")),
    Sphere("local_communities", "11", _l("rozwój wspólnot i społeczności lokalnych"), _l("społeczność lokalna")),
    Sphere("education", "12", _l("nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie"), _l("edukacja")),
    Sphere("children_youth", "13", _l("działalność na rzecz dzieci i młodzieży, w tym wypoczynek"), _l("dzieci i młodzież")),
    Sphere("culture", "14", _l("kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"), _l("kultura")),
    Sphere("sport", "15", _l("wspieranie i upowszechnianie kultury fizycznej"), _l("sport")),
    Sphere("ecology", "16", _l("ekologia, ochrona zwierząt i dziedzictwa przyrodniczego"), _l("ekologia i zwierzęta")),
    Sphere("tourism", "17", _l("turystyka i krajoznawstwo"), _l("turystyka")),
    Sphere("public_safety", "18", _l("porządek i bezpieczeństwo publiczne"), _l("bezpieczeństwo")),
    Sphere("defence", "19", _l("obronność państwa"), _l("obronność")),
    Sphere("human_rights", "20", _l("wolności i prawa człowieka, rozwój demokracji"), _l("prawa człowieka")),
    Sphere("rescue", "21", _l("ratownictwo i ochrona ludności"), _l("ratownictwo")),
    Sphere("disaster_aid", "22", _l("pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen"), _l("pomoc ofiarom")),
    Sphere("consumers", "23", _l("ochrona praw konsumentów"), _l("konsumenci")),
    Sphere("european_integration", "24", _l("integracja europejska i współpraca między społeczeństwami"), _l("Europa")),
    Sphere("volunteering", "25", _l("promocja i organizacja wolontariatu"), _l("wolontariat")),
    Sphere("polonia", "26", _l("pomoc Polonii i Polakom za granicą"), _l("Polonia")),
    Sphere("veterans", "27", _l("działalność na rzecz kombatantów i osób represjonowanych"), _l("kombatanci")),
    Sphere("promotion_abroad", "28", _l("promocja Rzeczypospolitej Polskiej za granicą"), _l("promocja Polski")),
    Sphere("family_rights", "29", _l("rodzina, macierzyństwo, rodzicielstwo, prawa dziecka"), _l("prawa dziecka")),
    Sphere("addictions", "30", _l("przeciwdziałanie uzależnieniom i patologiom społecznym"), _l("uzależnienia")),
    Sphere("revitalisation", "31", _l("rewitalizacja"), _l("rewitalizacja")),
    Sphere("ngo_support", "32", _l("wspieranie organizacji pozarządowych"), _l("wsparcie NGO")),
)  # fmt: skip

SPHERES_BY_CODE = {sphere.code: sphere for sphere in SPHERES}

# Toruń's districts (osiedla); names are proper nouns and are not translated.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("stare-miasto", "Stare Miasto"),
    ("bydgoskie-przedmiescie", "Bydgoskie Przedmieście"),
    ("chelminskie-przedmiescie", "Chełmińskie Przedmieście"),
    ("jakubskie-przedmiescie", "Jakubskie Przedmieście"),
    ("mokre", "Mokre"),
    ("rubinkowo", "Rubinkowo"),
    ("na-skarpie", "Na Skarpie"),
    ("bielany", "Bielany"),
    ("wrzosy", "Wrzosy"),
    ("koniuchy", "Koniuchy"),
    ("podgorz", "Podgórz"),
    ("stawki", "Stawki"),
    ("rudak", "Rudak"),
    ("glinki", "Glinki"),
    ("kaszczorek", "Kaszczorek"),
    ("czerniewice", "Czerniewice"),
    ("katarzynka", "Katarzynka"),
    ("winnica", "Winnica"),
    ("grebocin", "Grębocin nad Strugą"),
    ("piaski", "Piaski"),
    ("brzezina", "Brzezina"),
)
DISTRICT_NAMES = dict(DISTRICTS)

KINDS = (
    ("one_off", _l("jednorazowe wydarzenie")),
    ("regular", _l("regularne")),
    ("flexible", _l("elastyczne")),
    ("micro", _l("mikrowolontariat (do 2 godzin)")),
)
KIND_LABELS = dict(KINDS)

TAGS = (
    ("accessible", _l("dostępne dla osób z niepełnosprawnościami")),
    ("intergenerational", _l("międzypokoleniowe")),
    ("youth", _l("dla młodzieży 13–17 (ze zgodą opiekuna)")),
    ("families", _l("dla rodzin")),
    ("seniors", _l("seniorzy mile widziani")),
    ("sport", _l("sport")),
    ("neighbourhood", _l("sąsiedzkie")),
)
TAG_LABELS = dict(TAGS)
# Short forms for suggestions' reasons.
TAG_SHORT = {
    "accessible": _l("dostępne"),
    "intergenerational": _l("międzypokoleniowe"),
    "youth": _l("młodzież"),
    "families": _l("rodziny"),
    "seniors": _l("seniorzy"),
    "sport": _l("sport"),
    "neighbourhood": _l("sąsiedzkie"),
}

WEEKDAYS = (
    (0, _l("poniedziałek")),
    (1, _l("wtorek")),
    (2, _l("środa")),
    (3, _l("czwartek")),
    (4, _l("piątek")),
    (5, _l("sobota")),
    (6, _l("niedziela")),
)
WEEKDAY_LABELS = dict(WEEKDAYS)

DAYPARTS = (
    ("morning", _l("rano")),
    ("afternoon", _l("po południu")),
    ("evening", _l("wieczorem")),
)
DAYPART_LABELS = dict(DAYPARTS)


def daypart_of_hour(hour: int) -> str:
    """Warsaw wall-clock hour -> part of the day (morning before 12, afternoon before 17)."""
    if hour < 12:
        return "morning"
    if hour < 17:
        return "afternoon"
    return "evening"


def availability_slot(weekday: int, daypart: str) -> str:
    """The code stored in a profile's availability list, e.g. ``5-morning`` (Saturday morning)."""
    return f"{weekday}-{daypart}"


AVAILABILITY_SLOTS = tuple(
    availability_slot(day, part) for day, _label in WEEKDAYS for part, _plabel in DAYPARTS
)

STATUS_LABELS = {
    "pending": _l("czeka na odpowiedź"),
    "accepted": _l("przyjęte"),
    "waitlisted": _l("lista rezerwowa"),
    "declined": _l("odrzucone"),
    "cancelled": _l("wycofane"),
}

OPPORTUNITY_STATUS_LABELS = {
    "draft": _l("szkic"),
    "published": _l("opublikowana"),
    "closed": _l("zamknięta"),
}


class TemplateVocabulary:
    """The vocabularies as one template global, ``vol`` (``vol.district_names[code]``)."""

    spheres = SPHERES
    sphere_labels = property(lambda self: {s.code: s.label for s in SPHERES})
    districts = DISTRICTS
    district_names = DISTRICT_NAMES
    kinds = KINDS
    kind_labels = KIND_LABELS
    tags = TAGS
    tag_labels = TAG_LABELS
    weekdays = WEEKDAYS
    weekday_labels = WEEKDAY_LABELS
    dayparts = DAYPARTS
    daypart_labels = DAYPART_LABELS
    status_labels = STATUS_LABELS
    opportunity_status_labels = OPPORTUNITY_STATUS_LABELS


TEMPLATE_VOCABULARY = TemplateVocabulary()
