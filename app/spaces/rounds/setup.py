"""Setting a round up and changing it: the name, season, deadline, spaces and weekday
windows. A round is edited while it is a draft or open; once it is in allocation the board
works on what the applicants asked for, so nothing of it changes any more.

Once organisations have applied, a change may not take away what they applied for: no space
named in an application's room wishes (or given in an allocation of a reopened round) is removed, the season is only lengthened, a window is
only widened (an applicant's time range inside a window stays inside one), and the deadline is
only moved later. A change is one conditional step under the round's row lock (two managers
editing, or editing while another closes the applications, run one after the other) and is
audited with the fields it changed. When a round that organisations applied to changes, the
members of each applying organisation are mailed what changed, before and after (the mail is
written to the outbox in the edit's transaction and delivered after it commits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.domain import DomainError
from app.extensions import db
from app.spaces.models import Provider, Space
from app.spaces.rounds.models import (
    AllocationRound,
    RoundSpace,
    RoundStatus,
    RoundWindow,
    TermKind,
)
from app.timeutil import local_today

EDITABLE_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN)
FIELDS = (
    "name",
    "term_kind",
    "season_starts_on",
    "season_ends_on",
    "applications_close_on",
    "description",
)


@dataclass
class RoundSetup:
    name: str
    term_kind: TermKind
    season_starts_on: date
    season_ends_on: date
    applications_close_on: date | None
    description: str
    space_ids: list[int]
    windows: list[tuple[int, time, time]]

    @classmethod
    def of(cls, round_: AllocationRound, space_ids: list[int] | None = None) -> RoundSetup:
        return cls(
            name=round_.name,
            term_kind=round_.term_kind,
            season_starts_on=round_.season_starts_on,
            season_ends_on=round_.season_ends_on,
            applications_close_on=round_.applications_close_on,
            description=round_.description,
            space_ids=[s.id for s in round_.spaces] if space_ids is None else space_ids,
            windows=[(w.weekday, w.starts, w.ends) for w in round_.windows],
        )


def _checked_spaces(provider: Provider, setup: RoundSetup) -> list[int]:
    """The setup's own rules (as at creation); returns the chosen spaces of the provider."""
    if setup.season_ends_on < setup.season_starts_on:
        raise DomainError(
            _("Koniec sezonu musi być po jego początku."), status=422, field="season_ends_on"
        )
    own = {s.id for s in provider.spaces if s.active}
    chosen = [i for i in dict.fromkeys(setup.space_ids) if i in own]
    if not chosen:
        raise DomainError(_("Wybierz co najmniej jedną salę."), status=422, field="spaces")
    if not setup.windows:
        raise DomainError(
            _("Podaj co najmniej jedno okno czasowe naboru."), status=422, field="windows"
        )
    for _weekday, starts, ends in setup.windows:
        if starts >= ends:
            raise DomainError(
                _("Okno czasowe musi kończyć się po swoim początku."), status=422, field="windows"
            )
    return chosen


def create_round(provider: Provider, actor, setup: RoundSetup) -> AllocationRound:
    chosen = _checked_spaces(provider, setup)
    round_ = AllocationRound(
        provider=provider,
        name=setup.name.strip(),
        term_kind=setup.term_kind,
        season_starts_on=setup.season_starts_on,
        season_ends_on=setup.season_ends_on,
        applications_close_on=setup.applications_close_on,
        description=setup.description.strip(),
        created_by_id=actor.id if actor else None,
        round_spaces=[RoundSpace(space_id=i) for i in chosen],
        windows=[RoundWindow(weekday=w, starts=s, ends=e) for w, s, e in setup.windows],
    )
    db.session.add(round_)
    db.session.flush()
    audit.record("round.created", actor=actor, provider=provider.id, details=round_.name)
    return round_


def _inside(windows, weekday: int, starts: time, ends: time) -> bool:
    return any(w == weekday and s <= starts and ends <= e for w, s, e in windows)


def _keeps_applications(round_: AllocationRound, setup: RoundSetup, chosen: list[int]) -> None:
    """Refuse a change that takes away what organisations applied for."""
    activities = [a for application in round_.applications for a in application.activities]
    if not activities:
        return
    # A reopened round keeps its allocations: their rooms and slots count as asked for.
    allocations = [x for a in activities for x in a.allocations]
    wished = {w.space_id: w.space.name for a in activities for w in a.wishes}
    wished.update({x.space_id: x.space.name for x in allocations})
    removed = sorted(name for space_id, name in wished.items() if space_id not in chosen)
    if removed:
        raise DomainError(
            _(
                "Organizacje wskazały we wnioskach salę: %(names)s – nie można jej usunąć z "
                "naboru.",
                names=", ".join(removed),
            ),
            status=409,
            field="spaces",
        )
    if (
        setup.season_starts_on > round_.season_starts_on
        or setup.season_ends_on < round_.season_ends_on
    ):
        raise DomainError(
            _("Po złożeniu wniosków sezon można tylko wydłużyć."),
            status=409,
            field="season_starts_on",
        )
    old = [(w.weekday, w.starts, w.ends) for w in round_.windows]
    for activity in activities:
        slots = [(r.weekday, r.starts, r.ends) for r in activity.time_ranges]
        slots += [(x.weekday, x.start_time, x.end_time) for x in activity.allocations]
        for weekday, starts, ends in slots:
            if _inside(old, weekday, starts, ends) and not _inside(
                setup.windows, weekday, starts, ends
            ):
                raise DomainError(
                    _(
                        "Po złożeniu wniosków okna można tylko poszerzyć: zajęcia „%(activity)s” "
                        "mają termin poza nowymi oknami.",
                        activity=activity.name,
                    ),
                    status=409,
                    field="windows",
                )
    if round_.applications_close_on and (
        setup.applications_close_on is not None
        and setup.applications_close_on < round_.applications_close_on
    ):
        raise DomainError(
            _("Po złożeniu wniosków termin ich składania można tylko przesunąć na później."),
            status=409,
            field="applications_close_on",
        )


def edit_round(
    round_: AllocationRound, actor, setup: RoundSetup, *, today: date | None = None
) -> list[str]:
    """Change a draft or open round; returns the names of the fields changed (audited)."""
    today = today or local_today()
    # One change at a time, and not while the applications are being closed.
    db.session.execute(
        sa.select(AllocationRound.id).where(AllocationRound.id == round_.id).with_for_update()
    )
    db.session.refresh(round_)
    if round_.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("Nabór można zmieniać tylko jako szkic albo w czasie przyjmowania wniosków."),
            status=409,
        )
    chosen = _checked_spaces(round_.provider, setup)
    if (
        round_.status == RoundStatus.OPEN
        and setup.applications_close_on is not None
        and setup.applications_close_on < today
        and setup.applications_close_on != round_.applications_close_on
    ):
        raise DomainError(
            _("Termin składania wniosków nie może być w przeszłości."),
            status=422,
            field="applications_close_on",
        )
    _keeps_applications(round_, setup, chosen)
    before = RoundSetup.of(round_)
    changed = []
    for name in FIELDS:
        value = getattr(setup, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(before, name) != value:
            setattr(round_, name, value)
            changed.append(name)
    if sorted(before.space_ids) != sorted(chosen):
        keep = {rs.space_id: rs for rs in round_.round_spaces}
        round_.round_spaces = [keep.get(i) or RoundSpace(space_id=i) for i in chosen]
        changed.append("spaces")
    if sorted(before.windows) != sorted(setup.windows):
        round_.windows = [RoundWindow(weekday=w, starts=s, ends=e) for w, s, e in setup.windows]
        changed.append("windows")
    db.session.flush()
    if changed:
        audit.record(
            "round.edited",
            actor=actor,
            provider=round_.provider_id,
            details=f"{round_.name}: {', '.join(changed)}",
        )
        _mail_applicants(round_, before, RoundSetup.of(round_, space_ids=chosen), changed)
    return changed


def _mail_applicants(
    round_: AllocationRound, before: RoundSetup, after: RoundSetup, changed: list[str]
) -> None:
    """Tell each applying organisation's members what changed (nobody when none applied)."""
    if not round_.applications:
        return
    from app.spaces.rounds.mail import mail_applicants
    from app.spaces.rounds.service import TERM_LABELS, window_label

    ids = set(before.space_ids) | set(after.space_ids)
    names = dict(db.session.execute(sa.select(Space.id, Space.name).where(Space.id.in_(ids))).all())
    added = sorted(names[i] for i in after.space_ids if i not in before.space_ids)
    removed = sorted(names[i] for i in before.space_ids if i not in after.space_ids)

    def windows_text(windows) -> str:  # called while the mail renders, in its language
        return ", ".join(window_label(*w) for w in sorted(windows))

    mail_applicants(
        round_,
        _l("Zmiana naboru: %(round)s", round=round_.name),
        "spaces/rounds/mail/edited.txt",
        "round-edited",
        before=before,
        after=after,
        changed=changed,
        added=added,
        removed=removed,
        spaces=sorted(names[i] for i in after.space_ids),
        term_labels=TERM_LABELS,
        windows_text=windows_text,
    )
