"""Factories for the spaces domain: spaces with hours, and bookings set up directly."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest

from app.extensions import db
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    OpeningHours,
    Recurrence,
    Space,
    SpaceFeature,
    SpaceKind,
    TermsKind,
)
from app.spaces.service import slot_for
from app.timeutil import local_today

_numbers = itertools.count(1)


def next_weekday(weekday: int, *, weeks_ahead: int = 1) -> date:
    """A day safely in the future (beyond the default notice) with the given weekday."""
    day = local_today() + timedelta(days=7 * weeks_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture(autouse=True)
def request_context(app):
    """Service functions translate messages and build links: give direct calls a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def make_space(app, provider):
    def make_space(
        name: str | None = None,
        *,
        owner=None,
        kind: SpaceKind = SpaceKind.ROOM,
        hours: tuple[time, time] | None = (time(8), time(22)),
        features=(),
        **fields,
    ) -> Space:
        number = next(_numbers)
        fields.setdefault("capacity", 30 if kind == SpaceKind.ROOM else None)
        fields.setdefault("district", "rubinkowo")
        fields.setdefault("min_notice_hours", 24)
        fields.setdefault("max_days_ahead", 400)
        fields.setdefault("terms", TermsKind.FREE)
        space = Space(
            provider=owner or provider,
            name=name or f"Sala {number}",
            slug=fields.pop("slug", f"sala-{number}"),
            kind=kind,
            **fields,
        )
        if hours:
            for weekday in range(7):
                space.opening_hours.append(
                    OpeningHours(weekday=weekday, opens=hours[0], closes=hours[1])
                )
        for code in features:
            space.features.append(SpaceFeature(code=code))
        db.session.add(space)
        db.session.commit()
        return space

    return make_space


@pytest.fixture
def make_booking(app):
    """A booking written directly (no service): for arranging a test's starting state."""

    def make_booking(
        space: Space,
        organisation,
        day: date,
        start: time = time(17),
        end: time = time(19),
        *,
        status: BookingStatus = BookingStatus.APPROVED,
        quantity: int = 1,
        public_title: str = "",
    ) -> Booking:
        series = BookingSeries(
            space=space,
            organisation=organisation,
            purpose="Spotkanie",
            people=5,
            quantity=quantity,
            is_public=bool(public_title),
            public_title=public_title,
            recurrence=Recurrence.ONCE,
            first_day=day,
            start_time=start,
            end_time=end,
        )
        starts_at, ends_at = slot_for(day, start, end)
        booking = Booking.for_slot(
            space, starts_at, ends_at, status, series=series, quantity=quantity
        )
        db.session.add(booking)
        db.session.commit()
        return booking

    return make_booking


@pytest.fixture
def other_organisation(make_organisation, make_user):
    return make_organisation("Stowarzyszenie Inne", owner=make_user(name="Inna Właścicielka"))
