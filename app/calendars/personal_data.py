"""RODO: the person's private calendar links in the account's data download: what each shows,
when it was made and revoked, never the secret itself (the download may be left lying around).
Deleting the account deletes them (foreign-key cascade)."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.privacy import iso
from app.calendars.models import FeedToken
from app.extensions import db


def export_calendars(user: User) -> dict:
    tokens = db.session.scalars(
        sa.select(FeedToken).where(FeedToken.holder_id == user.id).order_by(FeedToken.id)
    )
    return {
        "feed_tokens": [
            {"scope": t.scope, "created_at": iso(t.created_at), "revoked_at": iso(t.revoked_at)}
            for t in tokens
        ]
    }
