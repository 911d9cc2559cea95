"""Reports: made by anyone, answered by city staff; the reporter is told the outcome."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app import audit
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.mail import send_mail
from app.moderation.models import ContentReport, ReportReason, ReportStatus
from app.moderation.service import hiding
from app.moderation.service.hiding import (  # noqa: F401
    answer,
    answered_count,
    content_at,
    current_hiding,
    hidings_to_decide,
    keep_hidden,
    restore,
)
from app.moderation.service.hiding import hide as hide_content  # noqa: F401


def open_reports() -> list[ContentReport]:
    return list(
        db.session.scalars(
            sa.select(ContentReport)
            .where(ContentReport.status == ReportStatus.OPEN)
            .order_by(ContentReport.created_at, ContentReport.id)
        )
    )


def open_count() -> int:
    query = sa.select(sa.func.count(ContentReport.id))
    return db.session.scalar(query.where(ContentReport.status == ReportStatus.OPEN)) or 0


def make_report(path: str, reason: str, message: str, *, user=None, email: str | None = None):
    report = ContentReport(
        path=path[:500],
        reason=ReportReason(reason),
        message=message.strip()[:5000],
        reporter_id=user.id if user is not None and user.is_authenticated else None,
        reporter_email=(email or "").strip() or None,
    )
    db.session.add(report)
    db.session.flush()
    return report


def close_report(
    report: ContentReport, status: ReportStatus, response: str, staff, *, hide: bool = False
) -> None:
    """Answer a report; ``hide``: also hide the reported content, the answer being the reason
    its owner sees."""
    if report.status != ReportStatus.OPEN:
        raise DomainError(_l("To zgłoszenie jest już zamknięte."), status=409)
    response = response.strip()
    if not response:
        raise DomainError(
            _l("Napisz odpowiedź: zgłaszający ją dostanie."), status=422, field="response"
        )
    if hide:
        content = hiding.content_at(report.path)
        if content is None:
            raise DomainError(_l("Tej strony nie da się ukryć."), status=409)
        hiding.hide(content, response, staff, report=report)
        status = ReportStatus.HANDLED
    report.status, report.response = status, response[:1000]
    report.handled_at, report.handled_by_id = utcnow(), staff.id
    audit.record("moderation.report_closed", actor=staff, details=f"{report.path} – {status}"[:300])
    recipient = report.reporter.email if report.reporter else report.reporter_email
    locale = report.reporter.locale if report.reporter else None
    if recipient:
        send_mail(
            recipient,
            _l("Twoje zgłoszenie w serwisie Wspólnie"),
            "moderation/mail/outcome.txt",
            locale=locale,
            topic=f"content-report:{report.id}",
            report=report,
            link=url_for("pages.home", _external=True).rstrip("/") + report.path,
        )
    report.reporter_email = None  # no longer needed
    db.session.flush()
