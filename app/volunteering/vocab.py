"""Controlled vocabularies of the volunteering board.

Spheres and districts come from ``app/organisations/spheres.py`` and
``app/organisations/districts.py`` (codes are stable identifiers stored in the database). Only the
short labels used in suggestions' reasons ("pasuje: seniorzy") are our own. Every other
volunteering module imports these names from here only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app import districts as shared_districts
from app.organisations import spheres as shared_spheres


@dataclass(frozen=True)
class Sphere:
    code: str
    point: str  # the point of art. 4 ust. 1
    label: object  # the wording of the act (lazy string)
    short: object  # a short label used in suggestions' reasons ("pasuje: seniorzy")


# The spheres of art. 4 ust. 1 and Toruń's districts are shared with the organisations domain;
# only the short labels used in suggestions' reasons ("pasuje: seniorzy") are ours.
SHORT_LABELS = {
    "social_assistance": _l("pomoc społeczna"),
    "family_foster_care": _l("rodzina"),
    "legal_aid": _l("pomoc prawna"),
    "foreigners_integration": _l("cudzoziemcy"),
    "social_reintegration": _l("integracja społeczna"),
    "charity": _l("dobroczynność"),
    "national_tradition": _l("tradycja"),
    "minorities": _l("mniejszości"),
    "health": _l("zdrowie"),
    "disability": _l("niepełnosprawność"),
    "employment": _l("praca"),
    "gender_equality": _l("równość"),
    "seniors": _l("seniorzy"),
    "economic_development": _l("gospodarka"),
    "innovation": _l("technika"),
    "local_communities": _l("społeczność lokalna"),
    "education": _l("edukacja"),
    "children_youth": _l("dzieci i młodzież"),
    "culture": _l("kultura"),
    "sport": _l("sport"),
    "ecology_animals": _l("ekologia i zwierzęta"),
    "tourism": _l("turystyka"),
    "public_safety": _l("bezpieczeństwo"),
    "defence": _l("obronność"),
    "human_rights": _l("prawa człowieka"),
    "rescue": _l("ratownictwo"),
    "disaster_victims": _l("pomoc ofiarom"),
    "consumer_rights": _l("konsumenci"),
    "european_integration": _l("Europa"),
    "volunteering": _l("wolontariat"),
    "polish_diaspora": _l("Polonia"),
    "veterans": _l("kombatanci"),
    "promotion_abroad": _l("promocja Polski"),
    "family_children_rights": _l("prawa dziecka"),
    "addiction_prevention": _l("uzależnienia"),
    "revitalisation": _l("rewitalizacja"),
    "ngo_support": _l("wsparcie NGO"),
}

SPHERES: tuple[Sphere, ...] = tuple(
    Sphere(s.code, s.point, s.label, SHORT_LABELS[s.code]) for s in shared_spheres.SPHERES
)

SPHERES_BY_CODE = {sphere.code: sphere for sphere in SPHERES}

DISTRICTS: tuple[tuple[str, str], ...] = shared_districts.DISTRICTS
DISTRICT_NAMES = shared_districts.DISTRICTS_BY_CODE  # read when used (app.vocabularies)

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
    "no_show": _l("nieobecność"),
    "waitlisted": _l("lista rezerwowa"),
    "declined": _l("odrzucone"),
    "cancelled": _l("wycofane"),
}

OPPORTUNITY_STATUS_LABELS = {
    "draft": _l("szkic"),
    "published": _l("opublikowana"),
    "closed": _l("zamknięta"),
}


# The fixed vocabularies as plain strings, once per language: a list page reads a kind, an area
# and tags per card and the filter form every label, and a lazy label looks its translation up
# each time it is printed or escaped. (Districts are staff's data: read when used.)
_RESOLVED: dict[tuple[str, str], object] = {}


def _resolved(name: str, build):
    from flask_babel import get_locale

    key = (name, str(get_locale()))
    value = _RESOLVED.get(key)
    if value is None:
        value = _RESOLVED[key] = build()
    return value


def _pairs(name: str, pairs):
    return property(
        lambda self: _resolved(name, lambda: tuple((code, str(text)) for code, text in pairs))
    )


def _labels(name: str, labels):
    return property(
        lambda self: _resolved(name, lambda: {code: str(text) for code, text in labels.items()})
    )


class TemplateVocabulary:
    """The vocabularies as one template global, ``vol`` (``vol.district_names[code]``)."""

    spheres = property(
        lambda self: _resolved(
            "spheres",
            lambda: tuple(
                dataclasses.replace(s, label=str(s.label), short=str(s.short)) for s in SPHERES
            ),
        )
    )
    sphere_labels = _labels("sphere_labels", {s.code: s.label for s in SPHERES})
    districts = DISTRICTS
    district_names = DISTRICT_NAMES
    kinds = _pairs("kinds", KINDS)
    kind_labels = _labels("kind_labels", KIND_LABELS)
    tags = _pairs("tags", TAGS)
    tag_labels = _labels("tag_labels", TAG_LABELS)
    weekdays = _pairs("weekdays", WEEKDAYS)
    weekday_labels = _labels("weekday_labels", WEEKDAY_LABELS)
    dayparts = _pairs("dayparts", DAYPARTS)
    daypart_labels = _labels("daypart_labels", DAYPART_LABELS)
    status_labels = _labels("status_labels", STATUS_LABELS)
    opportunity_status_labels = _labels("opportunity_status_labels", OPPORTUNITY_STATUS_LABELS)


TEMPLATE_VOCABULARY = TemplateVocabulary()
