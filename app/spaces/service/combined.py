"""Rooms that combine: a hall that divides into "A" and "B" is three rooms, "A", "B" and "A+B",
where "A+B" has the parts A and B (``SpacePart``).

The database holds the rule: every slot-holding room booking has one ``SpaceOccupancy`` row per
smallest space it occupies, written by triggers, and no two rows of one smallest space overlap
(migration 0025_combined_spaces). So booking A+B blocks A and B, and booking A blocks A+B,
whichever request commits first.

The application reads the same thing for its checks and explanations: the bookings that can
be in the way of a room are those of every room sharing a smallest space with it
(``sharing_spaces``). ``availability.slot_holders`` (the week grid, requests, approvals,
matching, "nothing fits") and the feeds use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from app.domain import DomainError
from app.extensions import db
from app.spaces.models import SLOT_HOLDING_STATUSES, Booking, SpaceKind, SpaceOccupancy, SpacePart

if TYPE_CHECKING:
    from app.spaces.models import Space


def _part_rows(ids: set[int]) -> list[tuple[int, int]]:
    """Every (whole, part) row that can matter for ``ids``, in one query: the rooms' own parts,
    the combinations they are part of, and the other combinations sharing their parts."""
    if not ids:
        return []
    own_parts = sa.select(SpacePart.part_id).where(SpacePart.whole_id.in_(ids))
    return [
        (whole_id, part_id)
        for whole_id, part_id in db.session.execute(
            sa.select(SpacePart.whole_id, SpacePart.part_id).where(
                sa.or_(
                    SpacePart.whole_id.in_(ids),
                    SpacePart.part_id.in_(ids),
                    SpacePart.part_id.in_(own_parts),
                )
            )
        )
    ]


def units_of(space_ids: Iterable[int], rows: list[tuple[int, int]] | None = None):
    """The smallest spaces each room occupies: its parts, or itself."""
    ids = set(space_ids)
    units: dict[int, set[int]] = {sid: set() for sid in ids}
    for whole_id, part_id in _part_rows(ids) if rows is None else rows:
        if whole_id in units:
            units[whole_id].add(part_id)
    return {sid: parts or {sid} for sid, parts in units.items()}


def sharing_spaces(space_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each room, every room sharing a smallest space with it (itself included): for A,
    {A, A+B}; for A+B, {A, B, A+B}. One small query; without combined rooms each room maps to
    itself."""
    ids = set(space_ids)
    rows = _part_rows(ids)
    units = units_of(ids, rows)
    wholes_of: dict[int, set[int]] = defaultdict(set)
    for whole_id, part_id in rows:
        wholes_of[part_id].add(whole_id)
    return {
        sid: {sid, *own, *(w for unit in own for w in wholes_of[unit])}
        for sid, own in units.items()
    }


def parts_of(space: Space) -> list[Space]:
    from app.spaces.models import Space

    return list(
        db.session.scalars(
            sa.select(Space)
            .join(SpacePart, SpacePart.part_id == Space.id)
            .where(SpacePart.whole_id == space.id)
            .order_by(Space.name)
        )
    )


def wholes_of(space: Space) -> list[Space]:
    """The combined rooms this room is part of."""
    from app.spaces.models import Space

    return list(
        db.session.scalars(
            sa.select(Space)
            .join(SpacePart, SpacePart.whole_id == Space.id)
            .where(SpacePart.part_id == space.id)
            .order_by(Space.name)
        )
    )


def set_parts(whole: Space, parts: Sequence[Space]) -> None:
    """Make ``whole`` the combination of ``parts`` (none: an ordinary room again). Parts are
    rooms of the same provider that are not combinations themselves, and a combination is
    not a part; the parts may change only while the rooms involved hold no future booking
    (an existing booking keeps the smallest spaces it was given)."""
    from app.db import utcnow

    if whole.kind != SpaceKind.ROOM:
        raise DomainError(_("Łączyć można tylko sale."), status=422, field="parts")
    parts = list(dict.fromkeys(parts))
    if len(parts) == 1:
        raise DomainError(
            _("Sala łączona składa się z co najmniej dwóch sal."), status=422, field="parts"
        )
    for part in parts:
        if part.id == whole.id or part.provider_id != whole.provider_id or not part.is_room:
            raise DomainError(
                _("Częścią może być tylko inna sala tego samego udostępniającego."),
                status=422,
                field="parts",
            )
        if units_of([part.id])[part.id] != {part.id}:
            raise DomainError(
                _("Sala „%(name)s” sama jest salą łączoną.", name=part.name),
                status=422,
                field="parts",
            )
    if parts and wholes_of(whole):
        raise DomainError(_("Ta sala jest częścią innej sali łączonej."), status=422, field="parts")
    involved = {whole.id, *(p.id for p in parts), *units_of([whole.id])[whole.id]}
    held = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Booking)
        .where(
            Booking.space_id.in_(involved),
            Booking.status.in_(SLOT_HOLDING_STATUSES),
            Booking.blocked_until > utcnow(),
        )
    )
    current = {p.id for p in parts_of(whole)}
    if held and current != {p.id for p in parts}:
        raise DomainError(
            _(
                "Tych sal nie można teraz połączyć ani rozdzielić: mają zatwierdzone "
                "przyszłe rezerwacje."
            ),
            status=409,
            field="parts",
        )
    db.session.execute(sa.delete(SpacePart).where(SpacePart.whole_id == whole.id))
    for part in parts:
        db.session.add(SpacePart(whole_id=whole.id, part_id=part.id))
    db.session.flush()


def occupancy_units(booking: Booking) -> list[int]:
    """The smallest spaces a booking occupies in the database now (for tests and checks)."""
    return sorted(
        db.session.scalars(
            sa.select(SpaceOccupancy.unit_id).where(SpaceOccupancy.booking_id == booking.id)
        )
    )
