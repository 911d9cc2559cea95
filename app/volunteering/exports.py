"""The organisation's CSV list of applicants."""

from __future__ import annotations

import csv
import io

from app.timeutil import to_local
from app.volunteering.models import Opportunity, SignupStatus

CSV_STATUS = {
    SignupStatus.PENDING: "oczekuje",
    SignupStatus.ACCEPTED: "przyjęte",
    SignupStatus.WAITLISTED: "lista rezerwowa",
    SignupStatus.DECLINED: "odrzucone",
    SignupStatus.CANCELLED: "rezygnacja",
}
HEADER = [
    "termin", "koniec", "imię i nazwisko", "e-mail", "telefon", "status", "pozycja rezerwowa",
    "zgoda opiekuna", "obecność", "godziny", "wiadomość",
]  # fmt: skip


def _safe(value: str) -> str:
    """Stop spreadsheet formula injection from volunteer-typed text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def applicants_csv(opportunity: Opportunity) -> str:
    """Every sign-up of every shift, semicolon-separated (what Polish spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for shift in opportunity.shifts:
        for signup in shift.signups:
            writer.writerow(
                [
                    to_local(shift.starts_at).strftime("%Y-%m-%d %H:%M"),
                    to_local(shift.ends_at).strftime("%Y-%m-%d %H:%M"),
                    _safe(signup.display_name),
                    _safe(signup.email or ""),
                    _safe(signup.guest_phone or ""),
                    CSV_STATUS[signup.status],
                    signup.waitlist_position or "",
                    _safe(signup.guardian_name or ""),
                    {True: "tak", False: "nie"}.get(signup.attended, ""),
                    str(signup.hours).replace(".", ",") if signup.hours is not None else "",
                    _safe(signup.message),
                ]
            )
    return out.getvalue()
