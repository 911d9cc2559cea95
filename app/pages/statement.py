"""Facts of the accessibility statement (deklaracja dostępności).

The statement follows the structure the act of 4 April 2019 on the digital accessibility of
public bodies' websites (art. 10) and the Ministry's "technical conditions of publication"
require; the ``a11y-*`` ids in the template are what the national monitoring tools read.
Update the dates whenever the statement is reviewed (at least once a year, by 31 March).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app


@dataclass(frozen=True)
class StatementFacts:
    published: date  # the service went live
    updated: date  # last significant update of the service
    prepared: date  # the statement was written
    reviewed: date  # the statement was last reviewed
    contact_person: str
    contact_email: str
    contact_phone: str


# Demo contact data: a deployment sets the real ones with ACCESSIBILITY_CONTACT in the config
# ({"person": ..., "email": ..., "phone": ...}).
DEFAULT_CONTACT = {
    "person": "Koordynator ds. dostępności, Biuro Dialogu i Innowacji Miejskich",
    "email": "dostepnosc@wspolnie.torun.pl",
    "phone": "+48 56 611 80 00",
}


def statement_facts() -> StatementFacts:
    contact = {**DEFAULT_CONTACT, **current_app.config.get("ACCESSIBILITY_CONTACT", {})}
    return StatementFacts(
        published=date(2026, 11, 22),
        updated=date(2026, 11, 22),
        prepared=date(2026, 11, 22),
        reviewed=date(2026, 11, 22),
        contact_person=contact["person"],
        contact_email=contact["email"],
        contact_phone=contact["phone"],
    )
