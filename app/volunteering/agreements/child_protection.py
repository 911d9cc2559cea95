"""Child protection (act of 13 May 2016 on counteracting threats of sexual crime, art. 21):
before admitting anyone to work with minors - volunteers too - the organisation checks the
register of sex offenders. We record only that it was checked, when and by whom; the result is
never stored. Since 2024 organisations also adopt standards of protecting minors, linked from
their profile.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.timeutil import to_local
from app.volunteering.agreements.models import ChildProtectionStandards, RegisterCheck
from app.volunteering.models import Signup


def standards_of(organisation_id: int) -> ChildProtectionStandards | None:
    return db.session.scalar(
        sa.select(ChildProtectionStandards).where(
            ChildProtectionStandards.organisation_id == organisation_id
        )
    )


def save_standards(organisation: Organisation, url: str, adopted_on, *, actor: User):
    standards = standards_of(organisation.id)
    if standards is None:
        standards = ChildProtectionStandards(organisation_id=organisation.id, url=url)
        db.session.add(standards)
    standards.url = url.strip()
    standards.adopted_on = adopted_on
    standards.updated_by_id = actor.id
    db.session.flush()
    return standards


def latest_check(organisation_id: int, user_id: int) -> RegisterCheck | None:
    return db.session.scalar(
        sa.select(RegisterCheck)
        .where(RegisterCheck.organisation_id == organisation_id, RegisterCheck.user_id == user_id)
        .order_by(RegisterCheck.checked_on.desc(), RegisterCheck.id.desc())
        .limit(1)
    )


def checked_by(organisation_id: int, user_id: int | None, day: date) -> bool:
    if user_id is None:
        return False
    return (
        db.session.scalar(
            sa.select(RegisterCheck.id)
            .where(
                RegisterCheck.organisation_id == organisation_id,
                RegisterCheck.user_id == user_id,
                RegisterCheck.checked_on <= day,
            )
            .limit(1)
        )
        is not None
    )


def record_check(signup: Signup, checked_on: date, *, actor: User, now=None) -> RegisterCheck:
    now = now or utcnow()
    if signup.user_id is None:
        raise DomainError(_("Rejestr sprawdza się dla osób z kontem w serwisie."))
    if signup.is_own(actor):
        raise DomainError(
            _(
                "Nie możesz zapisać sprawdzenia samej/samego siebie: zrobi to inna osoba z organizacji."
            ),
            status=403,
        )
    if checked_on > to_local(now).date():
        raise DomainError(
            _("Data sprawdzenia nie może być w przyszłości."), status=422, field="checked_on"
        )
    check = RegisterCheck(
        organisation_id=signup.shift.opportunity.organisation_id,
        user_id=signup.user_id,
        checked_on=checked_on,
        checked_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(check)
    db.session.flush()
    return check


def require_check(signup: Signup, day: date) -> None:
    """Before the first shift of an offer involving work with children."""
    opportunity = signup.shift.opportunity
    if not opportunity.works_with_children or signup.user_id is None:
        return
    if not checked_by(opportunity.organisation_id, signup.user_id, day):
        raise DomainError(
            _(
                "Ta oferta obejmuje pracę z dziećmi: przed pierwszym terminem organizacja musi sprawdzić wolontariusza w Rejestrze Sprawców Przestępstw na Tle Seksualnym (art. 21 ustawy z 13 maja 2016 r.) i zapisać datę sprawdzenia."
            ),
            status=409,
        )
