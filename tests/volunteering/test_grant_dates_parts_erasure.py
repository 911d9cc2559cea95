"""Wkład osobowy beyond one grant and one year: the minimum hourly rate in force on the day of
the work (across 31 December), an engagement split in parts over grants (never more than its
confirmed hours), and totals that do not change when the volunteer erases their data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.domain import DomainError
from app.extensions import db
from app.volunteering.agreements.models import Agreement, KeptSignup, TimesheetEntry
from app.volunteering.grants import service
from app.volunteering.grants.models import GrantAssignment
from app.volunteering.minimum_rate import minimum_hourly_rate
from app.volunteering.models import Signup
from app.volunteering.service.reports import hours_report
from tests.volunteering.work import agreement_for, shift_at, utc, worked


def test_the_minimum_hourly_rate_in_force_on_a_day():
    assert minimum_hourly_rate(date(2025, 12, 31)) == Decimal("30.50")
    assert minimum_hourly_rate(date(2026, 1, 1)) == Decimal("31.40")
    assert minimum_hourly_rate(date(2026, 12, 31)) == Decimal("31.40")
    assert minimum_hourly_rate(date(2024, 6, 30)) == Decimal("27.70")
    assert minimum_hourly_rate(date(2024, 7, 1)) == Decimal("28.10")
    assert minimum_hourly_rate(date(2023, 12, 31)) is None


def _grant(organisation, name, start, end):
    return service.create_grant(
        organisation,
        name=name,
        competition="",
        agreement_number="",
        period_start=start,
        period_end=end,
    )


@pytest.fixture
def new_year(make_opportunity, volunteer, organisation, ngo_owner):
    """Ola works 3 h on 31 December 2025, 2 h on a shift starting 31 Dec 23:30 UTC (1 January
    2026 in Warsaw) and 1.5 h on her time sheet on 2 January 2026."""
    events = make_opportunity("Sylwester dla seniorów")
    worked(shift_at(events, utc(2025, 12, 31, 9)), volunteer, "3")
    worked(shift_at(events, utc(2025, 12, 31, 23, 30)), volunteer, "2")
    agreement = agreement_for(events, volunteer, date(2025, 12, 1), date(2026, 1, 31))
    db.session.flush()
    db.session.add(
        TimesheetEntry(
            agreement=agreement,
            day=date(2026, 1, 2),
            hours=Decimal("1.5"),
            description="Sprzątanie",
            confirmed_hours=Decimal("1.5"),
        )
    )
    grant = _grant(organisation, "Zima 2025/2026", date(2025, 12, 1), date(2026, 1, 31))
    auxiliary = grant.rates[0]
    service.assign(grant, agreement_id=agreement.id, rate_id=auxiliary.id, actor=ngo_owner)
    db.session.commit()
    return grant, agreement


def test_each_day_is_valued_at_the_rate_in_force_that_day(new_year):
    grant, _agreement = new_year
    auxiliary = grant.rates[0]
    assert auxiliary.minimum_rate and "obowiązująca w dniu wykonania pracy" in auxiliary.source
    report = service.grant_report(grant)
    (line,) = report.lines
    assert line.days == [date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)]
    assert line.hours == Decimal("6.5")
    assert line.rates == [Decimal("30.50"), Decimal("31.40")]
    # 3 × 30.50 + (2 + 1.5) × 31.40 = 91.50 + 109.90
    assert line.value == Decimal("201.40") and report.total_value == Decimal("201.40")
    december = service.grant_report(grant, date(2025, 12, 1), date(2025, 12, 31))
    assert december.total_value == Decimal("91.50")
    january = service.grant_report(grant, date(2026, 1, 1), date(2026, 1, 31))
    assert january.total_value == Decimal("109.90")
    rows = [row.split(";") for row in service.report_csv(report).splitlines()]
    assert rows[1][6] == "30,50 / 31,40" and rows[-1][-1] == "201,40"
    # A fixed rate stays fixed, whatever the day.
    service.save_rate(
        grant, kind=auxiliary.kind, hourly_rate=Decimal("25"), source="ASOS", rate_id=auxiliary.id
    )
    assert service.grant_report(grant).total_value == Decimal("162.50")


def test_the_organisation_s_hours_report_values_days_by_date(new_year, organisation):
    report = hours_report(organisation, date(2025, 12, 1), date(2026, 1, 31), None)
    assert report.total_hours == Decimal("6.5") and report.total_value == Decimal("201.40")
    fixed = hours_report(organisation, date(2025, 12, 1), date(2026, 1, 31), Decimal("30"))
    assert fixed.total_value == Decimal("195.00")


def test_the_rate_form_switches_the_minimum_rate(client, auth, new_year, organisation, ngo_owner):
    grant, _agreement = new_year
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}/dotacje/{grant.id}"
    page = client.get(base)
    assert "minimalna stawka godzinowa w dniu pracy" in page.text
    saved = client.post(
        f"{base}/stawki",
        data={
            "kind": "Dyżur",
            "hourly_rate": "31,40",
            "source": "stawka minimalna",
            "minimum_rate": "y",
        },
    )
    assert saved.status_code == 303
    assert next(rate for rate in grant.rates if rate.kind == "Dyżur").minimum_rate


# --- an engagement in parts over several grants ---------------------------------------------


@pytest.fixture
def ten_hours(make_opportunity, volunteer, organisation):
    """Ola: 4 h in March, 6 h in May 2026 (10 confirmed hours); two grants over the year."""
    events = make_opportunity("Festyn sąsiedzki")
    worked(shift_at(events, utc(2026, 3, 10, 9)), volunteer, "4")
    worked(shift_at(events, utc(2026, 5, 10, 9)), volunteer, "6")
    agreement = agreement_for(events, volunteer, date(2026, 3, 1), date(2026, 5, 31))
    grants = [
        _grant(organisation, name, date(2026, 1, 1), date(2026, 12, 31))
        for name in ("Miejska", "Wojewódzka", "Trzecia")
    ]
    db.session.commit()
    return agreement, grants


def _part(grant, agreement, actor, hours, rate=0):
    return service.assign(
        grant,
        agreement_id=agreement.id,
        rate_id=grant.rates[rate].id,
        actor=actor,
        hours=None if hours is None else Decimal(hours),
    )


def test_parts_of_an_engagement_in_several_grants(ten_hours, ngo_owner):
    agreement, (city, region, third) = ten_hours
    _part(city, agreement, ngo_owner, 6)
    _part(region, agreement, ngo_owner, 4, rate=1)
    db.session.commit()
    # The parts take the hours in time order: the city's 6 h are March's 4 and 2 of May's.
    (city_line,) = service.grant_report(city).lines
    assert city_line.hours == Decimal(6)
    assert city_line.days == [date(2026, 3, 10), date(2026, 5, 10)]
    (region_line,) = service.grant_report(region).lines
    assert region_line.hours == Decimal(4) and region_line.days == [date(2026, 5, 10)]
    assert region_line.value == Decimal("220.00")  # 4 h × 55.00
    with pytest.raises(DomainError) as over:
        _part(third, agreement, ngo_owner, "0.5")
    assert over.value.status == 422 and "potwierdzono 10,00 godz." in over.value.message
    with pytest.raises(DomainError) as whole:
        _part(third, agreement, ngo_owner, None)
    assert whole.value.status == 409 and "Miejska" in whole.value.message
    # Lowering a part in its own grant frees hours for another.
    _part(city, agreement, ngo_owner, 5)
    _part(third, agreement, ngo_owner, 1)
    db.session.commit()
    totals = [service.grant_report(grant).total_hours for grant in (city, region, third)]
    assert totals == [Decimal(5), Decimal(4), Decimal(1)]


def test_parts_through_the_grant_page(client, auth, ten_hours, organisation, ngo_owner):
    agreement, (city, region, _third) = ten_hours
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}/dotacje"
    first = client.post(
        f"{base}/{city.id}/przypisania",
        data={"agreement": agreement.id, "rate": city.rates[0].id, "hours": "7,5"},
    )
    assert first.status_code == 303
    assert "część: 7,5 godz." in client.get(f"{base}/{city.id}").text
    refused = client.post(
        f"{base}/{region.id}/przypisania",
        data={"agreement": agreement.id, "rate": region.rates[0].id, "hours": "3"},
    )
    assert refused.status_code == 400
    assert "w innych dotacjach jest już 7,50 godz." in refused.text
    assert 'value="3"' in refused.text
    bad = client.post(
        f"{base}/{region.id}/przypisania",
        data={"agreement": agreement.id, "rate": region.rates[0].id, "hours": "0"},
    )
    assert bad.status_code == 400 and "Podaj liczbę godzin większą od zera." in bad.text
    assert db.session.scalar(sa.select(sa.func.count(GrantAssignment.id))) == 1
    second = client.post(
        f"{base}/{region.id}/przypisania",
        data={"agreement": agreement.id, "rate": region.rates[0].id, "hours": "2,5"},
    )
    assert second.status_code == 303
    assert service.grant_report(region).total_hours == Decimal("2.5")


# --- erasure keeps the anonymous hours ------------------------------------------------------


def test_totals_are_equal_before_and_after_the_volunteer_erases_their_data(
    client, auth, make_opportunity, volunteer, organisation, ngo_owner
):
    events = make_opportunity("Zbiórka żywności")
    worked(shift_at(events, utc(2026, 3, 10, 9)), volunteer, "4")
    worked(shift_at(events, utc(2026, 4, 10, 9)), volunteer, "2.5")
    concluded = agreement_for(
        events, volunteer, date(2026, 3, 1), date(2026, 4, 30), concluded=True
    )
    phone = make_opportunity("Telefon do seniora")
    worked(shift_at(phone, utc(2026, 3, 12, 9)), volunteer, "1.5")
    # Never accepted online, but counted in a grant: a settlement document, kept too.
    assigned = agreement_for(phone, volunteer, date(2026, 3, 1), date(2026, 3, 31))
    grant = _grant(organisation, "Razem 2026", date(2026, 1, 1), date(2026, 12, 31))
    db.session.flush()
    for agreement in (concluded, assigned):
        service.assign(grant, agreement_id=agreement.id, rate_id=grant.rates[0].id, actor=ngo_owner)
    db.session.commit()

    def totals():
        report = service.grant_report(grant)
        hours = hours_report(organisation, date(2026, 1, 1), date(2026, 12, 31), None)
        return report.total_hours, report.total_value, hours.total_hours, hours.total_value

    before = totals()
    assert before == (Decimal(8), Decimal("251.20"), Decimal(8), Decimal("251.20"))
    auth.login(volunteer)
    assert client.post("/wolontariat/moje-dane/usun").status_code == 303
    db.session.expire_all()
    assert totals() == before
    # No personal data left on the sign-ups; the hours hang on the kept agreements.
    signups = db.session.scalars(sa.select(Signup)).all()
    assert {(s.user_id, s.guest_name, s.guest_email) for s in signups} == {(None, None, None)}
    assert db.session.scalar(sa.select(sa.func.count(KeptSignup.signup_id))) == 3
    assert {a.user_id for a in db.session.scalars(sa.select(Agreement))} == {None}
