"""Controlled vocabularies of the volunteering board.

The codes, points and labels mirror ``app/organisations/spheres.py`` and
``app/organisations/districts.py`` (being built in parallel), so that after the merge ``SPHERES``
and ``DISTRICTS`` can be re-exported from there with no data migration: codes are stable
identifiers stored in the database. Only the short labels used in suggestions' reasons
("pasuje: seniorzy") are our own. Every other module imports these names from here only.
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
    Sphere("social_assistance", "1", _l("Pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej"), _l("pomoc społeczna")),
    Sphere("family_foster_care", "1a", _l("Wspieranie rodziny i systemu pieczy zastępczej"), _l("rodzina")),
    Sphere("legal_aid", "1b", _l("Nieodpłatna pomoc prawna i zwiększanie świadomości prawnej"), _l("pomoc prawna")),
    Sphere("foreigners_integration", "1c", _l("Integracja cudzoziemców"), _l("cudzoziemcy")),
    Sphere("social_reintegration", "2", _l("Integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem"), _l("integracja społeczna")),
    Sphere("charity", "3", _l("Działalność charytatywna"), _l("dobroczynność")),
    Sphere("national_tradition", "4", _l("Tradycja narodowa, świadomość obywatelska i kulturowa"), _l("tradycja")),
    Sphere("minorities", "5", _l("Mniejszości narodowe i etniczne oraz język regionalny"), _l("mniejszości")),
    Sphere("health", "6", _l("Ochrona i promocja zdrowia"), _l("zdrowie")),
    Sphere("disability", "7", _l("Działalność na rzecz osób z niepełnosprawnościami"), _l("niepełnosprawność")),
    Sphere("employment", "8", _l("Promocja zatrudnienia i aktywizacja zawodowa"), _l("praca")),
    Sphere("gender_equality", "9", _l("Równe prawa kobiet i mężczyzn"), _l("równość")),
    Sphere("seniors", "10", _l("Działalność na rzecz osób w wieku emerytalnym"), _l("seniorzy")),
    Sphere("economic_development", "11", _l("Rozwój gospodarczy i przedsiębiorczość"), _l("gospodarka")),
    Sphere("innovation", "12", _l("Rozwój techniki, wynalazczości i innowacyjności"), _l("technika")),
    Sphere("local_communities", "13", _l("Rozwój wspólnot i społeczności lokalnych"), _l("społeczność lokalna")),
    Sphere("education", "14", _l("Nauka, edukacja, oświata i wychowanie"), _l("edukacja")),
    Sphere("children_youth", "15", _l("Działalność na rzecz dzieci i młodzieży, w tym wypoczynek"), _l("dzieci i młodzież")),
    Sphere("culture", "16", _l("Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"), _l("kultura")),
    Sphere("sport", "17", _l("Wspieranie i upowszechnianie kultury fizycznej"), _l("sport")),
    Sphere("ecology_animals", "18", _l("Ekologia i ochrona zwierząt oraz dziedzictwa przyrodniczego"), _l("ekologia i zwierzęta")),
    Sphere("tourism", "19", _l("Turystyka i krajoznawstwo"), _l("turystyka")),
    Sphere("public_safety", "20", _l("Porządek i bezpieczeństwo publiczne"), _l("bezpieczeństwo")),
    Sphere("defence", "21", _l("Obronność państwa i działalność Sił Zbrojnych RP"), _l("obronność")),
    Sphere("human_rights", "22", _l("Wolności i prawa człowieka, swobody obywatelskie, rozwój demokracji"), _l("prawa człowieka")),
    Sphere("rescue", "23", _l("Ratownictwo i ochrona ludności"), _l("ratownictwo")),
    Sphere("disaster_victims", "24", _l("Pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen"), _l("pomoc ofiarom")),
    Sphere("consumer_rights", "25", _l("Upowszechnianie i ochrona praw konsumentów"), _l("konsumenci")),
    Sphere("european_integration", "26", _l("Integracja europejska i współpraca między społeczeństwami"), _l("Europa")),
    Sphere("volunteering", "27", _l("Promocja i organizacja wolontariatu"), _l("wolontariat")),
    Sphere("polish_diaspora", "28", _l("Pomoc Polonii i Polakom za granicą"), _l("Polonia")),
    Sphere("veterans", "29", _l("Działalność na rzecz kombatantów i osób represjonowanych"), _l("kombatanci")),
    Sphere("promotion_abroad", "30", _l("Promocja Rzeczypospolitej Polskiej za granicą"), _l("promocja Polski")),
    Sphere("family_children_rights", "31", _l("Rodzina, macierzyństwo, rodzicielstwo, prawa dziecka"), _l("prawa dziecka")),
    Sphere("addiction_prevention", "32", _l("Przeciwdziałanie uzależnieniom i patologiom społecznym"), _l("uzależnienia")),
    Sphere("revitalisation", "32a", _l("Rewitalizacja"), _l("rewitalizacja")),
    Sphere("ngo_support", "33", _l("Wspieranie organizacji pozarządowych (technicznie, szkoleniowo, informacyjnie, finansowo)"), _l("wsparcie NGO")),
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
    ("grebocin-nad-struga", "Grębocin nad Strugą"),
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
