"""Contact details of a profile: e-mail, postcode, phone, web addresses.

Each ``normalise_*`` returns the cleaned value or raises ``ValueError`` with a translated reason;
lengths are the callers' (the form's ``Length``, the import's column limits). The profile
form and the CSV import both call them, so a value one refuses the other refuses too
(the import used to store what the form rejected).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

_POSTCODE = re.compile(r"\d{2}-\d{3}")
_PHONE = re.compile(r"\+?[\d\s()\-./]+")
_HOST = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z0-9\-]{2,}", re.I)


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError(_("To nie wygląda na poprawny adres e-mail.")) from None
    return value


def normalise_postcode(value: str) -> str:
    value = (value or "").strip()
    if re.fullmatch(r"\d{5}", value):
        value = f"{value[:2]}-{value[2:]}"
    if not _POSTCODE.fullmatch(value):
        raise ValueError(_("Kod pocztowy w formacie 87-100."))
    return value


def normalise_phone(value: str) -> str:
    value = " ".join((value or "").split())
    digits = re.sub(r"\D", "", value)
    if not _PHONE.fullmatch(value) or not 9 <= len(digits) <= 15:
        raise ValueError(_("Podaj numer telefonu, np. 56 611 88 00 albo +48 600 100 200."))
    return value


def normalise_url(value: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not _HOST.fullmatch(parts.hostname or "")
        or any(c.isspace() for c in value)
    ):
        raise ValueError(_("Podaj pełny adres, np. https://example.org"))
    return value


def normalise_social_links(value: str) -> str:
    """One URL per line (spaces separate them too, as in the open-data export)."""
    links = (value or "").split()
    for link in links:
        if not link.startswith(("https://", "http://")):
            raise ValueError(_("Każdy adres musi zaczynać się od https://"))
        normalise_url(link)
    return "\n".join(links)
