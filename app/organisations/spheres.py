"""Spheres of public tasks (sfery zadań publicznych) from art. 4 ust. 1 of the act of 24 April 2003
on public benefit activity and volunteering: the controlled vocabulary for an organisation's areas
of activity and for a volunteering opportunity's cause area.

Codes are stable identifiers stored in the database (and in CSV imports); never renumber them.
Labels are Polish msgids, translated at display time. ``point`` is the point of art. 4 ust. 1.

    from app.organisations.spheres import SPHERES, sphere_label, SPHERE_CODES
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Sphere:
    code: str
    point: str
    label: object  # a lazy string

    def __str__(self) -> str:
        return str(self.label)


SPHERES: tuple[Sphere, ...] = (
    Sphere("social_assistance", "1", _l("Pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej")),
    Sphere("family_foster_care", "1a", _l("Wspieranie rodziny i systemu pieczy zastępczej")),
    Sphere("legal_aid", "1b", _l("Nieodpłatna pomoc prawna i zwiększanie świadomości prawnej")),
    Sphere("foreigners_integration", "1c", _l("Integracja cudzoziemców")),
    Sphere("social_reintegration", "2", _l("Integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem")),
    Sphere("charity", "3", _l("Działalność charytatywna")),
    Sphere("national_tradition", "4", _l("Tradycja narodowa, świadomość obywatelska i kulturowa")),
    Sphere("minorities", "5", _l("Mniejszości narodowe i etniczne oraz język regionalny")),
    Sphere("health", "6", _l("Ochrona i promocja zdrowia")),
    Sphere("disability", "7", _l("Działalność na rzecz osób z niepełnosprawnościami")),
    Sphere("employment", "8", _l("Promocja zatrudnienia i aktywizacja zawodowa")),
    Sphere("gender_equality", "9", _l("Równe prawa kobiet i mężczyzn")),
    Sphere("seniors", "10", _l("Działalność na rzecz osób w wieku emerytalnym")),
    Sphere("economic_development", "11", _l("Rozwój gospodarczy i przedsiębiorczość")),
    Sphere("innovation", "12", _l("Rozwój techniki, wynalazczości i innowacyjności")),
    Sphere("local_communities", "13", _l("Rozwój wspólnot i społeczności lokalnych")),
    Sphere("education", "14", _l("Nauka, edukacja, oświata i wychowanie")),
    Sphere("children_youth", "15", _l("Działalność na rzecz dzieci i młodzieży, w tym wypoczynek")),
    Sphere("culture", "16", _l("Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego")),
    Sphere("sport", "17", _l("Wspieranie i upowszechnianie kultury fizycznej")),
    Sphere("ecology_animals", "18", _l("Ekologia i ochrona zwierząt oraz dziedzictwa przyrodniczego")),
    Sphere("tourism", "19", _l("Turystyka i krajoznawstwo")),
    Sphere("public_safety", "20", _l("Porządek i bezpieczeństwo publiczne")),
    Sphere("defence", "21", _l("Obronność państwa i działalność Sił Zbrojnych RP")),
    Sphere("human_rights", "22", _l("Wolności i prawa człowieka, swobody obywatelskie, rozwój demokracji")),
    Sphere("rescue", "23", _l("Ratownictwo i ochrona ludności")),
    Sphere("disaster_victims", "24", _l("Pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen")),
    Sphere("consumer_rights", "25", _l("Upowszechnianie i ochrona praw konsumentów")),
    Sphere("european_integration", "26", _l("Integracja europejska i współpraca między społeczeństwami")),
    Sphere("volunteering", "27", _l("Promocja i organizacja wolontariatu")),
    Sphere("polish_diaspora", "28", _l("Pomoc Polonii i Polakom za granicą")),
    Sphere("veterans", "29", _l("Działalność na rzecz kombatantów i osób represjonowanych")),
    Sphere("promotion_abroad", "30", _l("Promocja Rzeczypospolitej Polskiej za granicą")),
    Sphere("family_children_rights", "31", _l("Rodzina, macierzyństwo, rodzicielstwo, prawa dziecka")),
    Sphere("addiction_prevention", "32", _l("Przeciwdziałanie uzależnieniom i patologiom społecznym")),
    Sphere("revitalisation", "32a", _l("Rewitalizacja")),
    Sphere("ngo_support", "33", _l("Wspieranie organizacji pozarządowych (technicznie, szkoleniowo, informacyjnie, finansowo)")),
)  # fmt: skip

SPHERES_BY_CODE: dict[str, Sphere] = {sphere.code: sphere for sphere in SPHERES}
SPHERE_CODES: frozenset[str] = frozenset(SPHERES_BY_CODE)


def sphere_label(code: str) -> str:
    sphere = SPHERES_BY_CODE.get(code)
    return str(sphere.label) if sphere else code


def sphere_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for a form field, in the order of the act."""
    return [(sphere.code, str(sphere.label)) for sphere in SPHERES]
