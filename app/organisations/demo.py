"""Demo organisations (fictional) with their members."""

from __future__ import annotations

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.organisations.models import MemberRole, Membership, Organisation

DEMO_ORGANISATIONS = [
    # slug, name, KRS, verified, members
    (
        "fundacja-razem-dla-seniora",
        "Fundacja Razem dla Seniora",
        "0000612345",
        True,
        [("ngo_owner", MemberRole.OWNER), ("ngo_editor", MemberRole.EDITOR)],
    ),
    (
        "stowarzyszenie-rubinkowo-sasiedzi",
        "Stowarzyszenie Rubinkowo Sąsiedzi",
        "0000723456",
        True,
        [("ngo_owner2", MemberRole.OWNER)],
    ),
    ("torunski-klub-sportowy-wisla", "Toruński Klub Sportowy „Wisła”", "0000534567", False, []),
    ("fundacja-mlodzi-na-skarpie", "Fundacja Młodzi na Skarpie", "0000845678", True, []),
]


def load(users: dict) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for slug, name, krs, verified, members in DEMO_ORGANISATIONS:
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            organisation = Organisation(
                slug=slug, name=name, krs=krs, verified_at=utcnow() if verified else None
            )
            db.session.add(organisation)
            for key, role in members:
                organisation.memberships.append(Membership(user=users[key], role=role))
        organisations[slug] = organisation
    db.session.flush()
    return organisations
