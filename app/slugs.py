"""URL slugs: ASCII, folded like search terms ("Łódź" -> "lodz"), unique per table."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.search.text import fold


def slugify(text: str, fallback: str = "") -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:100].strip("-") or fallback


def unique_slug(model, name: str, fallback: str) -> str:
    """A slug for ``name`` not yet used by ``model`` ("sala", "sala-2", ...). The column's
    unique index is the guard; this only picks a free candidate."""
    base = slugify(name, fallback)
    taken = set(
        db.session.scalars(
            sa.select(model.slug).where(sa.or_(model.slug == base, model.slug.like(f"{base}-%")))
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
