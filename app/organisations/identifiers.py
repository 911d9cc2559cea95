"""Polish registry numbers: KRS (10 digits), NIP and REGON (with check digits).

Each ``normalise_*`` returns the bare digits or raises ``ValueError`` with a translated reason, so
forms and the CSV import give the same messages.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_SEPARATORS = re.compile(r"[\s\-.]")

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def _checksum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11


def normalise_krs(value: str) -> str:
    digits = _digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(_("Numer KRS ma 10 cyfr (np. 0000123456)."))
    return digits


def nip_is_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{10}", digits):
        return False
    check = _checksum(digits, NIP_WEIGHTS)
    return check != 10 and check == int(digits[9])


def normalise_nip(value: str) -> str:
    digits = _digits(value)
    if digits.upper().startswith("PL"):
        digits = digits[2:]
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(_("NIP ma 10 cyfr."))
    if not nip_is_valid(digits):
        raise ValueError(_("NIP ma błędną cyfrę kontrolną. Sprawdź, czy nie ma literówki."))
    return digits


def regon_is_valid(digits: str) -> bool:
    if len(digits) == 9 and digits.isdigit():
        return _checksum(digits, REGON9_WEIGHTS) % 10 == int(digits[8])
    if len(digits) == 14 and digits.isdigit():
        return regon_is_valid(digits[:9]) and _checksum(digits, REGON14_WEIGHTS) % 10 == int(
            digits[13]
        )
    return False


def expected_check_digit(kind: str, digits: str) -> str | None:
    """The check digit a NIP or REGON should end with, from its other digits ("" when no digit
    can be right: a NIP whose sum gives 10 is never issued; None when the number has the wrong
    length, so there is nothing to compute)."""
    if not digits.isdigit():
        return None
    if kind == "NIP" and len(digits) == 10:
        check = _checksum(digits, NIP_WEIGHTS)
        return "" if check == 10 else str(check)
    if kind == "REGON" and len(digits) == 9:
        return str(_checksum(digits, REGON9_WEIGHTS) % 10)
    if kind == "REGON" and len(digits) == 14:
        return str(_checksum(digits, REGON14_WEIGHTS) % 10)
    return None


def normalise_regon(value: str) -> str:
    digits = _digits(value)
    if not re.fullmatch(r"\d{9}|\d{14}", digits):
        raise ValueError(_("REGON ma 9 albo 14 cyfr."))
    if not regon_is_valid(digits):
        raise ValueError(_("REGON ma błędną cyfrę kontrolną. Sprawdź, czy nie ma literówki."))
    return digits


def with_nip_check_digit(first_nine: str) -> str | None:
    """Complete a NIP from its first nine digits (demo and benchmark data); None if impossible."""
    check = _checksum(first_nine, NIP_WEIGHTS)
    return None if check == 10 else first_nine + str(check)


def with_regon_check_digit(first_eight: str) -> str:
    return first_eight + str(_checksum(first_eight, REGON9_WEIGHTS) % 10)
