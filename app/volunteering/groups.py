"""School volunteering clubs (szkolne koła wolontariatu): a teacher coordinator signs up a group
of pupils for one shift. All places are taken at once or none (one guarded UPDATE, never over
capacity; no waitlist for groups); each pupil's sign-up waits for the guardian's consent on the
paper form the coordinator collects, which the organisation marks received; hours and the
certificate are per pupil."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, utcnow
from app.domain import DomainError
from app.extensions import db
from app.timeutil import to_local
from app.volunteering.models import Shift, Signup, SignupStatus

MAX_GROUP = 30


class SchoolGroup(Base):
    __tablename__ = "volunteering_school_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    school: Mapped[str] = mapped_column(sa.String(200))
    shift_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteering_shifts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coordinator: Mapped[User | None] = relationship()
    shift: Mapped[Shift] = relationship()
    pupils: Mapped[list[Signup]] = relationship(
        primaryjoin="SchoolGroup.id == foreign(Signup.group_id)", order_by="Signup.id"
    )


@dataclass(frozen=True)
class Pupil:
    name: str
    birth_year: int
    guardian_name: str


def parse_pupils(text: str) -> list[Pupil]:
    """One pupil a line: ``name; birth year; parent or guardian``. Raises with the line number."""
    pupils = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not parts[0] or not parts[2] or not parts[1].isdigit():
            raise DomainError(
                _(
                    "Wiersz %(number)d: wpisz „imię i nazwisko; rok urodzenia; rodzic lub opiekun”.",
                    number=number,
                ),
                status=422,
                field="pupils",
            )
        pupils.append(Pupil(parts[0][:120], int(parts[1]), parts[2][:120]))
    if not pupils:
        raise DomainError(_("Wpisz co najmniej jednego ucznia."), status=422, field="pupils")
    if len(pupils) > MAX_GROUP:
        raise DomainError(
            _("Grupa może liczyć najwyżej %(max)d osób.", max=MAX_GROUP), status=422, field="pupils"
        )
    return pupils


def sign_up_group(
    shift_id: int, *, coordinator: User, school: str, pupils: list[Pupil], now=None
) -> SchoolGroup:
    from app.volunteering.service.signups import check_age, lock_shift, set_status

    now = now or utcnow()
    shift = lock_shift(shift_id)
    opportunity = shift.opportunity
    if not opportunity.is_public:
        raise DomainError(_("Zapisy na tę ofertę są zamknięte."))
    if shift.cancelled_at is not None or shift.starts_at <= now:
        raise DomainError(_("Ten termin już minął albo został odwołany."))
    day = to_local(shift.starts_at).date()
    for pupil in pupils:
        try:
            check_age(opportunity, pupil.birth_year, day)
        except DomainError as refusal:
            raise DomainError(
                f"{pupil.name}: {refusal.message}", status=422, field="pupils"
            ) from None
    wanted = len(pupils)
    taken = db.session.execute(
        sa.update(Shift)
        .where(Shift.id == shift.id, Shift.taken + wanted <= Shift.capacity)
        .values(taken=Shift.taken + wanted)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(shift)
    if taken.rowcount != 1:
        raise DomainError(
            ngettext(
                "Na ten termin zostało %(num)d wolne miejsce: grupa się nie zmieści.",
                "Na ten termin zostało %(num)d wolnych miejsc: grupa się nie zmieści.",
                shift.free_places,
            ),
            status=409,
        )
    group = SchoolGroup(coordinator=coordinator, school=school.strip()[:200], shift=shift)
    db.session.add(group)
    db.session.flush()
    for pupil in pupils:
        signup = Signup(
            shift=shift,
            guest_name=pupil.name,
            status=SignupStatus.PENDING,
            group_id=group.id,
            guardian_name=pupil.guardian_name,
            guardian_contact=_(
                "formularz papierowy (koordynator: %(name)s)", name=coordinator.name
            )[:254],
            pending_since=now,
            message=_("Szkolne koło wolontariatu: %(school)s", school=group.school)[:1000],
        )
        db.session.add(signup)
        set_status(signup, SignupStatus.PENDING, actor=coordinator, reason="group sign-up")
    db.session.flush()
    return group


def groups_of(user: User) -> list[SchoolGroup]:
    return list(
        db.session.scalars(
            sa.select(SchoolGroup)
            .where(SchoolGroup.coordinator_id == user.id)
            .order_by(SchoolGroup.id.desc())
        )
    )
