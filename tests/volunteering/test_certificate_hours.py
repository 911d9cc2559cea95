"""The certificate (and the hours report, the milestones) count confirmed time-sheet hours,
and never the same day's work twice when the shift's attendance already counts it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.pdf import weasyprint_available
from app.timeutil import to_local
from app.volunteering import service
from app.volunteering.agreements.models import Agreement, TimesheetEntry
from app.volunteering.models import OpportunityKind, Signup
from app.volunteering.recognition import confirmed_hours


def test_certificate_counts_time_sheet_hours_once(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    opportunity = make_opportunity("Telefon do seniora", kind=OpportunityKind.FLEXIBLE)
    shift = make_shift(opportunity, starts_in=timedelta(hours=1))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    agreement = db.session.scalar(sa.select(Agreement))
    signup = db.session.get(Signup, signup.id)
    signup.attended, signup.hours, signup.hours_confirmed_at = True, Decimal(2), utcnow()
    shift_day = to_local(shift.starts_at).date()
    for day, hours in ((shift_day, "2"), (shift_day - timedelta(days=1), "1.5")):
        db.session.add(
            TimesheetEntry(
                agreement=agreement,
                day=day,
                hours=Decimal(hours),
                description="Rozmowy",
                confirmed_hours=Decimal(hours),
                confirmed_at=utcnow(),
            )
        )
    db.session.commit()

    entries = service.confirmed_work(volunteer, organisation)
    assert [(e.day, e.hours, e.timesheet) for e in entries] == [
        (shift_day - timedelta(days=1), Decimal("1.5"), True),
        (shift_day, Decimal(2), False),  # the shift; the same day's time sheet is not added
    ]
    assert confirmed_hours(volunteer.id) == Decimal("3.5")
    report = service.hours_report(
        organisation, shift_day - timedelta(days=7), shift_day + timedelta(days=1), Decimal(10)
    )
    assert report.total_hours == Decimal("3.5") and report.total_value == Decimal("35.00")

    auth.login(volunteer)
    page = client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}")
    assert page.status_code == 200
    assert "w łącznym wymiarze 3,5 godz." in page.text and "(karta pracy)" in page.text
    assert f"/wolontariat/zaswiadczenie/{organisation.slug}" in client.get("/wolontariat/moje").text
    # The same document as a PDF (WeasyPrint; the printable page where it is missing).
    assert f'href="/wolontariat/zaswiadczenie/{organisation.slug}.pdf"' in page.text
    pdf = client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}.pdf")
    if weasyprint_available():
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    else:
        assert pdf.status_code == 503
    auth.logout()
    auth.login(ngo_owner)  # no work of his own for the organisation: no certificate
    assert client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}.pdf").status_code == 404


def test_certificate_with_time_sheet_hours_only(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    opportunity = make_opportunity("Korepetycje online", kind=OpportunityKind.FLEXIBLE)
    shift = make_shift(opportunity, starts_in=timedelta(hours=1))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    agreement = db.session.scalar(sa.select(Agreement))
    db.session.add(
        TimesheetEntry(
            agreement=agreement,
            day=to_local(utcnow()).date(),
            hours=Decimal(3),
            description="Matematyka",
            confirmed_hours=Decimal("2.25"),
            confirmed_at=utcnow(),
            correction_note="Jedna lekcja krótsza",
        )
    )
    db.session.commit()
    auth.login(volunteer)
    assert f"/wolontariat/zaswiadczenie/{organisation.slug}" in client.get("/wolontariat/moje").text
    page = client.get(f"/wolontariat/zaswiadczenie/{organisation.slug}")
    assert page.status_code == 200 and "w łącznym wymiarze 2,25 godz." in page.text
