"""The programme report's figures against the known data set (tests/staff/conftest.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from decimal import Decimal

from app.staff import pdf
from app.staff.service.report import Period, programme_report
from tests.staff.conftest import MARCH, utc

NOW = utc(2025, 6, 1)


def test_sector_figures(known_data):
    sector = programme_report(MARCH, now=NOW).sector
    assert (sector.in_base, sector.new, sector.verified, sector.verified_in_period) == (2, 1, 1, 1)
    assert [(c.code, c.count) for c in sector.by_sphere] == [
        ("social_assistance", 2),
        ("culture", 1),
    ]
    assert [(c.code, c.count) for c in sector.by_district] == [("rubinkowo", 2), ("mokre", 1)]
    assert sorted((c.code, c.count) for c in sector.by_legal_form) == [
        ("association", 1),
        ("foundation", 1),
    ]
    # A year later Gamma is in the base too; nobody was verified in 2026.
    later = programme_report(Period.year(2026), now=NOW).sector
    assert (later.in_base, later.new, later.verified, later.verified_in_period) == (3, 1, 1, 0)


def test_spaces_figures(known_data):
    spaces = programme_report(MARCH, now=NOW).spaces
    # Approved: 2 h + 3 h + 2 h in the room, 2 h of equipment; the April one is outside.
    assert (spaces.bookings, spaces.hours) == (4, Decimal("9.00"))
    assert (spaces.organisations_served, spaces.participants) == (2, 10 + 10 + 5 + 5)
    # The room held 9 h (the no-show too) of 16 open hours (four Mondays, one closed).
    assert spaces.utilisation == 9 / 16
    room = next(r for r in spaces.per_space if r.space == "Sala 1")
    assert (room.bookings, room.hours, room.open_hours) == (3, Decimal("7.00"), Decimal("16.00"))
    assert (room.utilisation, room.organisations, room.participants) == (9 / 16, 2, 25)
    equipment = next(r for r in spaces.per_space if r.space == "Rzutnik")
    assert (equipment.bookings, equipment.open_hours, equipment.utilisation) == (1, None, None)
    assert [(r.label, r.bookings, r.hours, r.organisations) for r in spaces.per_provider] == [
        ("Szkoła Podstawowa nr 99", 4, Decimal("9.00"), 2)
    ]
    assert [(r.label, r.hours) for r in spaces.per_district] == [
        ("Rubinkowo", Decimal("7.00")),
        ("Stare Miasto", Decimal("2.00")),
    ]
    assert [(t.terms, t.bookings, t.hours, t.share) for t in spaces.terms] == [
        ("free", 1, Decimal("2.00"), 2 / 9),
        ("fee", 0, Decimal("0.00"), 0.0),
        ("barter", 3, Decimal("7.00"), 7 / 9),
    ]
    # 7 barter hours x 0.5 owed; 1.5 h delivered (the withdrawn entry does not count).
    assert (spaces.barter_owed, spaces.barter_delivered) == (Decimal("3.50"), Decimal("1.50"))
    assert (spaces.no_shows, spaces.late_cancellations, spaces.declined) == (1, 1, 2)
    assert [(r.reason, r.count) for r in spaces.decline_reasons] == [
        ("Sala zajęta przez szkołę", 2)
    ]


def test_volunteering_figures(known_data):
    v = programme_report(MARCH, now=NOW).volunteering
    assert (v.opportunities_published, v.applications, v.acceptances) == (1, 5, 3)
    assert (v.hours, v.volunteers, v.minors) == (Decimal("6.50"), 3, 1)
    assert [(r.code, r.hours, r.volunteers) for r in v.hours_by_sphere] == [
        ("social_assistance", Decimal("5.00"), 2),
        ("culture", Decimal("1.50"), 1),
    ]
    assert [(r.label, r.hours) for r in v.hours_by_district] == [
        ("Rubinkowo", Decimal("5.00")),
        ("online", Decimal("1.50")),
    ]
    assert [(m.month, m.hours, m.volunteers) for m in v.hours_by_month] == [
        (date(2025, 3, 1), Decimal("6.50"), 3)
    ]
    assert v.certificates == 0  # none downloaded in March 2025
    assert (v.rate, v.value) == (None, Decimal("198.25"))  # March 2025: 6.5 h × 30.50 zł
    assert (v.median_response_hours, v.answered_share, v.responses_counted) == (6.0, 0.75, 4)
    # Alfa: 6 h and 24 h, one still unanswered; Beta: 2 h. The guest's sign-up waited for nobody.
    assert [(r.organisation, r.counted, r.median_hours, r.answered_share)
            for r in v.responses_by_organisation] == [
        ("Fundacja Alfa", 3, 15.0, 2 / 3),
        ("Stowarzyszenie Beta", 1, 2.0, 1.0),
    ]  # fmt: skip


def test_certificates_issued_are_counted_once_per_volunteer_and_organisation(
    known_data, client, auth
):
    import sqlalchemy as sa

    from app.audit.models import AuditEvent
    from app.db import utcnow
    from app.extensions import db
    from app.timeutil import local_today
    from app.volunteering.models import Signup

    signup = db.session.scalar(
        sa.select(Signup)
        .where(Signup.hours_confirmed_at.is_not(None), Signup.user_id.is_not(None))
        .order_by(Signup.id)
    )
    slug = signup.shift.opportunity.organisation.slug
    auth.login(signup.user)
    for _ in range(2):
        assert client.get(f"/wolontariat/zaswiadczenie/{slug}").status_code == 200
    events = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert events.count("volunteering.certificate_issued") == 2
    today = local_today()  # the report's days are Warsaw days (at 23:30 UTC it is tomorrow)
    report = programme_report(Period(today.replace(month=1, day=1), today), now=utcnow())
    assert report.volunteering.certificates == 1


def test_a_period_without_data_is_all_zeros(known_data):
    report = programme_report(Period(date(2020, 1, 1), date(2020, 2, 29)), now=NOW)
    assert (report.sector.in_base, report.spaces.bookings, report.volunteering.hours) == (
        0,
        0,
        Decimal("0.00"),
    )
    assert report.spaces.utilisation == 0.0
    assert [m.month for m in report.volunteering.hours_by_month] == [
        date(2020, 1, 1),
        date(2020, 2, 1),
    ]


def test_report_page_has_charts_tables_and_csv(known_data, client, auth, staff):
    auth.login(staff)
    page = client.get("/urzad/sprawozdanie?od=2025-03-01&do=2025-03-31")
    assert page.status_code == 200
    html = page.text
    assert "Okres: od 1 marca 2025 do 31 marca 2025" in html
    assert html.count('<svg class="bar-chart"') == html.count("Dane w tabeli poniżej")
    assert html.count("<caption>") >= 12
    assert "Sala zajęta przez szkołę" in html and "56,2%" in html
    assert 'media="print"' in html and " style=" not in html
    response = client.get("/urzad/sprawozdanie/spaces.csv?od=2025-03-01&do=2025-03-31")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert ["Godziny użytkowania", "9"] in rows
    assert ["Przestrzeń", "Godziny", "Rezerwacje", "Udostępniający", "Osiedle",
            "Godziny otwarcia", "Wykorzystanie", "Organizacje", "Uczestnicy"] in rows  # fmt: skip
    sector = client.get("/urzad/sprawozdanie/sector.csv?od=2025-03-01&do=2025-03-31").text
    assert "Organizacje w bazie;2" in sector
    volunteering = client.get("/urzad/sprawozdanie/volunteering.csv?od=2025-03-01&do=2025-03-31")
    assert "Potwierdzone godziny;6,5" in volunteering.text


def test_report_fragment_for_htmx(known_data, client, auth, staff):
    auth.login(staff)
    response = client.hx_get("/urzad/sprawozdanie?od=2025-03-01&do=2025-03-31")
    assert response.status_code == 200
    assert "<html" not in response.text and "Okres: od" in response.text
    assert response.headers["Vary"] == "HX-Request" or "HX-Request" in response.headers["Vary"]


def test_bad_dates_get_a_message_not_an_error(client, auth, staff):
    auth.login(staff)
    for query, message in [
        ("od=2025-13-01&do=2025-12-31", "Podaj daty w formacie RRRR-MM-DD."),
        ("od=jutro", "Podaj daty w formacie RRRR-MM-DD."),
        ("od=2025-05-01&do=2025-01-01", "Data końcowa nie może być wcześniejsza niż początkowa."),
        ("od=2000-01-01&do=2025-01-01", "Sprawozdanie obejmuje najwyżej pięć lat."),
    ]:
        response = client.get(f"/urzad/sprawozdanie?{query}")
        assert response.status_code == 400, query
        assert message in response.text
        assert client.get(f"/urzad/sprawozdanie/spaces.csv?{query}").status_code == 400
    assert client.get("/urzad/sprawozdanie/nothing.csv").status_code == 404
    fragment = client.hx_get("/urzad/sprawozdanie?od=2025-05-01&do=2025-01-01")
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert "Data końcowa nie może być wcześniejsza niż początkowa." in fragment.text
    assert 'value="2025-05-01"' in fragment.text


def test_the_current_year_by_default(client, auth, staff):
    auth.login(staff)
    response = client.get("/urzad/sprawozdanie")
    assert response.status_code == 200
    assert 'name="od" value="' in response.text


def test_the_whole_report_as_pdf(known_data, client, auth, staff):
    auth.login(staff)
    response = client.get("/urzad/sprawozdanie.pdf?od=2025-03-01&do=2025-03-31")
    if not pdf.available():
        assert response.status_code == 503 and "Drukuj" in response.text
        return
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "sprawozdanie-2025-03-01-2025-03-31.pdf" in response.headers["Content-Disposition"]
    assert client.get("/urzad/sprawozdanie.pdf?od=zle").status_code == 400
    page = client.get("/urzad/sprawozdanie?od=2025-03-01&do=2025-03-31").text
    assert 'href="/urzad/sprawozdanie.pdf?od=2025-03-01&amp;do=2025-03-31"' in page


def test_report_csv_is_formula_safe(known_data, client, auth, staff):
    from app.extensions import db
    from app.spaces.models import Booking, BookingStatus

    declined = db.session.scalars(
        db.select(Booking).where(Booking.status == BookingStatus.DECLINED)
    ).all()
    for booking in declined:
        booking.status_reason = '=HYPERLINK("http://evil.example")'
    db.session.commit()
    auth.login(staff)
    body = client.get("/urzad/sprawozdanie/spaces.csv?od=2025-03-01&do=2025-03-31").text
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert ['\'=HYPERLINK("http://evil.example")', "2"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_providers_own_events_count_as_use_but_not_as_an_organisation(known_data):
    """Own-use bookings (no organisation, issue 16 item 4) are hours of use, not one more
    organisation served."""
    from app.extensions import db
    from app.spaces.models import Booking, BookingSeries, BookingStatus, Space
    from tests.staff.conftest import at

    room = db.session.scalar(db.select(Space).where(Space.slug == "sp99-sala"))
    own = BookingSeries(space=room, organisation=None, own_use=True, purpose="Dzień otwarty",
                        people=40, first_day=date(2025, 3, 3), start_time=time(18),
                        end_time=time(19))  # fmt: skip
    db.session.add(own)
    db.session.add(Booking.for_slot(room, at(3, 18), at(3, 19), BookingStatus.APPROVED,
                                    series=own))  # fmt: skip
    db.session.flush()
    spaces = programme_report(MARCH, now=NOW).spaces
    assert spaces.bookings == 5
    assert spaces.organisations_served == 2
