"""The records of each dataset: public fields only. Opportunities and spaces leave out contact
people; the aggregates leave out any count of volunteers below ``MIN_GROUP`` (a group that
small could point at a person)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.districts import district_name
from app.extensions import db
from app.organisations.spheres import sphere_label
from app.spaces.models import Booking, BookingSeries, BookingStatus, Space
from app.spaces.vocab import ACCESSIBILITY, EQUIPMENT
from app.timeutil import to_local
from app.volunteering.models import Opportunity, Shift, Signup

MIN_GROUP = 3
WEEKDAYS = ("pn", "wt", "śr", "czw", "pt", "sob", "nd")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def opportunities(now: datetime | None = None) -> list[dict]:
    now = now or utcnow()
    rows = db.session.scalars(
        sa.select(Opportunity)
        .options(selectinload(Opportunity.organisation), selectinload(Opportunity.shifts))
        .where(Opportunity.public())
        .order_by(Opportunity.published_at.desc(), Opportunity.id)
    )
    return [
        {
            "id": o.id,
            "title": o.title,
            "organisation": o.organisation.name,
            "organisation_krs": o.organisation.krs,
            "sphere": o.sphere,
            "sphere_label": str(sphere_label(o.sphere)),
            "kind": o.kind.value,
            "district": o.district,
            "district_name": district_name(o.district) if o.district else None,
            "address": o.address,
            "online": o.is_online,
            "min_age": o.min_age,
            "skills": o.skills,
            "languages": o.languages,
            "tags": o.tag_codes,
            "valid_until": o.valid_until.isoformat() if o.valid_until else None,
            "published": to_local(o.published_at).date().isoformat() if o.published_at else None,
            "upcoming_shifts": len(o.upcoming_shifts(now)),
            "url": url_for("volunteering.opportunity", opportunity_id=o.id, _external=True),
        }
        for o in rows
    ]


def _opening_hours(space: Space) -> str:
    return "; ".join(
        f"{WEEKDAYS[h.weekday]} {h.opens:%H:%M}-{h.closes:%H:%M}" for h in space.opening_hours
    )


def spaces() -> list[dict]:
    rows = db.session.scalars(
        sa.select(Space)
        .options(
            selectinload(Space.provider),
            selectinload(Space.features),
            selectinload(Space.opening_hours),
        )
        .where(Space.listed())
        .order_by(Space.name, Space.id)
    )
    return [
        {
            "id": s.id,
            "name": s.name,
            "provider": s.provider.name,
            "kind": s.kind.value,
            "address": s.address,
            "district": s.district,
            "district_name": district_name(s.district) if s.district else None,
            # WGS84 degrees where the provider or staff entered them
            "latitude": float(s.latitude) if s.latitude is not None else None,
            "longitude": float(s.longitude) if s.longitude is not None else None,
            "capacity": s.capacity,
            "area_m2": s.area_m2,
            "floor": s.floor,
            "stock": s.stock,
            "accessibility": sorted(c for c in s.feature_codes if c in ACCESSIBILITY),
            "equipment": sorted(c for c in s.feature_codes if c in EQUIPMENT),
            "terms": s.terms.value,
            "fee_per_hour": _number(s.fee_normal),
            "fee_per_hour_ngo": _number(s.fee_ngo),
            "barter_hours_per_hour": _number(s.barter_hours_per_hour),
            "barter_terms": s.barter_terms,
            "opening_hours": _opening_hours(s),
            "url": url_for("spaces.space_detail", slug=s.slug, _external=True),
        }
        for s in rows
    ]


def booking_months() -> list[dict]:
    """Approved occurrences per space and Warsaw month: bookings, hours, organisations."""
    rows = db.session.execute(
        sa.select(
            Booking.space_id, Booking.starts_at, Booking.ends_at, BookingSeries.organisation_id
        )
        .join(BookingSeries)
        .where(Booking.status == BookingStatus.APPROVED)
    ).all()
    groups: dict[tuple, list] = defaultdict(list)
    for space_id, starts_at, ends_at, organisation_id in rows:
        month = to_local(starts_at).strftime("%Y-%m")
        groups[(month, space_id)].append(((ends_at - starts_at).total_seconds(), organisation_id))
    spaces_by_id = {
        s.id: s for s in db.session.scalars(sa.select(Space).options(selectinload(Space.provider)))
    }
    result = []
    for (month, space_id), items in sorted(groups.items()):
        space = spaces_by_id[space_id]
        result.append(
            {
                "month": month,
                "space_id": space_id,
                "space": space.name,
                "provider": space.provider.name,
                "district": space.district,
                "bookings": len(items),
                "hours": round(sum(seconds for seconds, _ in items) / 3600, 2),
                "organisations": len({org for _, org in items}),
            }
        )
    return result


def volunteer_hours() -> list[dict]:
    """Confirmed hours per Warsaw month, sphere and district of the opportunity."""
    rows = db.session.execute(
        sa.select(
            Shift.starts_at,
            Opportunity.sphere,
            Opportunity.district,
            Opportunity.is_online,
            Signup.hours,
            Signup.user_id,
            Signup.guest_email,
            Signup.id,
        )
        .select_from(Signup)
        .join(Shift)
        .join(Opportunity)
        .where(Signup.hours_confirmed_at.is_not(None), Signup.hours > 0)
    ).all()
    groups: dict[tuple, list] = defaultdict(list)
    for starts_at, sphere, district, online, hours, user_id, guest, signup_id in rows:
        place = "online" if online else (district or "")
        person = user_id or (guest or "").casefold() or f"signup-{signup_id}"
        groups[(to_local(starts_at).strftime("%Y-%m"), sphere, place)].append((hours, person))
    result = []
    for (month, sphere, place), items in sorted(groups.items()):
        volunteers = len({person for _, person in items})
        result.append(
            {
                "month": month,
                "sphere": sphere,
                "sphere_label": str(sphere_label(sphere)),
                "district": place or None,
                "hours": float(sum((h for h, _ in items), Decimal(0))),
                "volunteers": volunteers if volunteers >= MIN_GROUP else None,
            }
        )
    return result
