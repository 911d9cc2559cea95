"""Defects found by trying the board as volunteers and organisations would (issue 10, items
3, 9–14): each test failed before its fix."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time

from app.domain import DomainError
from app.extensions import db
from app.volunteering import service
from app.volunteering.models import Signup

ADULT = 1990


def _org(organisation) -> str:
    return f"/wolontariat/organizacja/{organisation.slug}"


def _accepted(shift, user, ngo_owner):
    signup = service.sign_up(shift.id, user=user, birth_year=ADULT)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    return signup


# --- item 9: hours are checked against the shift ---------------------------------------------


def test_hours_over_the_shifts_length_are_refused_on_the_form(
    client, auth, shift, volunteer, organisation, ngo_owner
):
    signup = _accepted(shift, volunteer, ngo_owner)  # a two-hour shift
    auth.login(ngo_owner)
    url = f"{_org(organisation)}/zgloszenia/{signup.id}/obecnosc"
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        page = client.post(url, data={"attended": "yes", "hours": "20"})
        fragment = client.hx_post(url, data={"attended": "yes", "hours": "2.5"})
    assert page.status_code == 422 and fragment.status_code == 422
    expected = "Termin trwał 2 godz.: nie można potwierdzić więcej."
    assert expected in page.text and expected in fragment.text
    db.session.expire_all()
    refused = db.session.get(Signup, signup.id)
    assert refused.hours is None and refused.hours_confirmed_at is None


def test_hours_over_the_shifts_length_are_refused_by_the_service(shift, volunteer, ngo_owner):
    signup = _accepted(shift, volunteer, ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        try:
            service.record_attendance(
                signup.id, attended=True, hours=Decimal("2.25"), actor=ngo_owner
            )
        except DomainError as refusal:
            assert refusal.field == "hours"
        else:
            raise AssertionError("20 hours on a 2-hour shift were accepted")
        db.session.rollback()
        confirmed = service.record_attendance(
            signup.id, attended=True, hours=Decimal("2"), actor=ngo_owner
        )
    assert confirmed.hours == Decimal("2")
