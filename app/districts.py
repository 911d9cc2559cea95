"""Toruń's districts (osiedla), shared by organisations, spaces and volunteering.

Codes are stable identifiers stored in the database; the list is the ``district`` vocabulary
that city staff manage (``app.vocabularies``, table ``vocabulary_terms``, seeded by migration
0026 with the codes and names that used to be written here). The names below read the table
when used (cached per request).

    from app.districts import DISTRICTS, district_name, DISTRICT_CODES
"""

from __future__ import annotations

from app.vocabularies import LazyCodes, LazyNames, LazyPairs, active_choices, name_of
from app.vocabularies.models import Vocabulary

# (code, name) of the districts one may choose now.
DISTRICTS = LazyPairs(Vocabulary.DISTRICT)
# code -> name, retired districts included (what uses them keeps its name).
DISTRICTS_BY_CODE = LazyNames(Vocabulary.DISTRICT)
# The codes one may choose now.
DISTRICT_CODES = LazyCodes(Vocabulary.DISTRICT)


def district_name(code: str) -> str:
    return name_of(Vocabulary.DISTRICT, code)


def district_choices() -> list[tuple[str, str]]:
    return active_choices(Vocabulary.DISTRICT)
