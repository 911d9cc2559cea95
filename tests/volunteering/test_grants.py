"""Wkład osobowy: grants with rate tables by kind of work, engagements assigned to them and the
report per period (HTML, CSV, PDF) on a known data set, with exact figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pdf import weasyprint_available
from app.volunteering.agreements.models import TimesheetEntry
from app.volunteering.grants import service
from app.volunteering.grants.models import Grant, GrantAssignment
from app.volunteering.models import OpportunityKind
from tests.volunteering.work import agreement_for as _agreement
from tests.volunteering.work import shift_at as _shift
from tests.volunteering.work import utc as _utc
from tests.volunteering.work import worked as _worked


@pytest.fixture
def data(make_opportunity, make_user, volunteer, organisation, ngo_owner):
    """Ola: 3 + 2.5 h on March shifts (auxiliary) and 1.75 h confirmed on a time sheet in
    April (specialist); Bartek: 3 h in March, 2 h on a shift starting 31 March 22:30 UTC, which
    is 1 April in Warsaw, and 4 h in July, after the grant (auxiliary)."""
    bartek = make_user("bartek@example.org", name='=HYPERLINK("http://x") Bartek')
    events = make_opportunity("Festyn sąsiedzki")
    phone = make_opportunity("Telefon do seniora", kind=OpportunityKind.FLEXIBLE)
    march_10 = _shift(events, _utc(2026, 3, 10, 9))
    march_20 = _shift(events, _utc(2026, 3, 20, 9))
    april_1 = _shift(events, _utc(2026, 3, 31, 22, 30))
    july = _shift(events, _utc(2026, 7, 2, 9))
    _worked(march_10, volunteer, "3")
    _worked(march_20, volunteer, "2.5")
    _worked(march_10, bartek, "3")
    _worked(april_1, bartek, "2")
    _worked(july, bartek, "4")
    ola_events = _agreement(events, volunteer, date(2026, 3, 1), date(2026, 3, 31))
    bartek_events = _agreement(events, bartek, date(2026, 3, 1), date(2026, 7, 31))
    ola_phone = _agreement(phone, volunteer, date(2026, 4, 1), date(2026, 5, 31))
    db.session.flush()
    for day, hours, confirmed in (
        (date(2026, 4, 5), "2", "1.75"),  # corrected by the organisation
        (date(2026, 4, 6), "3", None),  # not confirmed: not counted
        (date(2026, 4, 7), "1", "0"),  # confirmed as zero
    ):
        db.session.add(
            TimesheetEntry(
                agreement=ola_phone,
                day=day,
                hours=Decimal(hours),
                description="Rozmowy",
                confirmed_hours=None if confirmed is None else Decimal(confirmed),
            )
        )
    db.session.commit()
    grant = service.create_grant(
        organisation,
        name="Razem na Rubinkowie",
        competition="Otwarty konkurs ofert Gminy Miasta Toruń 2026",
        agreement_number="WSP.526.1.2026",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 6, 30),
    )
    auxiliary, specialist = grant.rates
    service.save_rate(
        grant,
        kind=specialist.kind,
        hourly_rate=Decimal("55.55"),
        source="GUS",
        rate_id=specialist.id,
    )
    for agreement, rate in (
        (ola_events, auxiliary),
        (bartek_events, auxiliary),
        (ola_phone, specialist),
    ):
        service.assign(grant, agreement_id=agreement.id, rate_id=rate.id, actor=ngo_owner)
    db.session.commit()
    return grant, (ola_events, bartek_events, ola_phone), bartek


def test_example_rates_and_their_sources(data):
    grant, _agreements, _bartek = data
    auxiliary, specialist = grant.rates
    assert (
        auxiliary.hourly_rate == Decimal("31.40")
        and "Minimalna stawka godzinowa" in auxiliary.source
    )
    assert specialist.hourly_rate == Decimal("55.55")
    assert auxiliary.kind.startswith("Praca pomocnicza") and specialist.kind.startswith(
        "Praca specjalistyczna"
    )


def test_report_totals_on_a_known_data_set(data):
    grant, (ola_events, bartek_events, ola_phone), _bartek = data
    whole = service.grant_report(grant)
    assert (whole.start, whole.end) == (date(2026, 3, 1), date(2026, 6, 30))
    lines = {line.agreement.id: line for line in whole.lines}
    assert lines[ola_events.id].hours == Decimal("5.5")
    assert lines[ola_events.id].value == Decimal("172.70")
    assert lines[ola_events.id].days == [date(2026, 3, 10), date(2026, 3, 20)]
    assert lines[bartek_events.id].hours == Decimal("5")  # July is after the grant
    assert lines[bartek_events.id].days == [date(2026, 3, 10), date(2026, 4, 1)]  # Warsaw day
    assert lines[bartek_events.id].value == Decimal("157.00")
    assert lines[ola_phone.id].hours == Decimal("1.75")
    assert lines[ola_phone.id].value == Decimal("97.21")  # 97.2125, per line to grosze
    assert whole.total_hours == Decimal("12.25")
    assert whole.total_value == Decimal("426.91")
    kinds = {rate.hourly_rate: (hours, value) for rate, hours, value in whole.by_kind()}
    assert kinds == {
        Decimal("31.40"): (Decimal("10.5"), Decimal("329.70")),
        Decimal("55.55"): (Decimal("1.75"), Decimal("97.21")),
    }
    march = service.grant_report(grant, date(2026, 3, 1), date(2026, 3, 31))
    assert march.total_hours == Decimal("8.5") and march.total_value == Decimal("266.90")
    # A period reaching past the grant is cut to it.
    wide = service.grant_report(grant, date(2026, 1, 1), date(2026, 12, 31))
    assert (wide.start, wide.end) == (date(2026, 3, 1), date(2026, 6, 30))
    assert wide.total_value == Decimal("426.91")


def test_report_pages_csv_and_pdf(client, auth, data, organisation, ngo_owner):
    grant, _agreements, _bartek = data
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}/dotacje/{grant.id}"
    page = client.get(f"{base}/raport")
    assert page.status_code == 200
    assert "Razem na Rubinkowie" in page.text and "426,91" in page.text and "12,25" in page.text
    assert "WSP.526.1.2026" in page.text
    bad = client.get(f"{base}/raport?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 400 and "Koniec okresu musi być po jego początku." in bad.text
    assert client.get(f"{base}/raport.csv?start=nie-data").status_code == 400
    csv_text = client.get(f"{base}/raport.csv?start=2026-03-01&end=2026-03-31").text
    rows = [row.split(";") for row in csv_text.lstrip("\ufeff").splitlines()]
    assert rows[0][:2] == ["wolontariusz", "porozumienie"]
    assert any(row[0].startswith("\"'=HYPERLINK") for row in rows)  # formula-safe
    assert rows[-1] == ["razem", "", "", "", "", "8,50", "", "266,90"]
    pdf = client.get(f"{base}/raport.pdf")
    if weasyprint_available():
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    else:
        assert pdf.status_code == 503


def test_the_organisation_manages_grants_rates_and_assignments(
    client, auth, organisation, ngo_owner, data
):
    grant, (ola_events, *_rest), _bartek = data
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}/dotacje"
    assert client.get(base).status_code == 200
    empty = client.post(
        base, data={"name": "", "period_start": "2026-01-01", "period_end": "2025-01-01"}
    )
    assert empty.status_code == 400 and "Podaj nazwę dotacji." in empty.text
    assert "Koniec okresu musi być po jego początku." in empty.text
    twin = client.post(
        base,
        data={
            "name": "Razem na Rubinkowie",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert twin.status_code == 400 and "Organizacja ma już dotację o tej nazwie." in twin.text
    made = client.post(
        base, data={"name": "Lato 2026", "period_start": "2026-06-01", "period_end": "2026-08-31"}
    )
    assert made.status_code == 303
    summer = db.session.scalar(sa.select(Grant).where(Grant.name == "Lato 2026"))
    page = client.get(f"{base}/{summer.id}")
    assert page.status_code == 200 and "31,40" in page.text
    bad_rate = client.post(
        f"{base}/{summer.id}/stawki", data={"kind": "Koordynacja", "hourly_rate": "dużo"}
    )
    assert bad_rate.status_code == 400 and "Podaj stawkę jako liczbę, np. 31,40." in bad_rate.text
    assert 'value="Koordynacja"' in bad_rate.text
    good_rate = client.post(
        f"{base}/{summer.id}/stawki",
        data={"kind": "Koordynacja", "hourly_rate": "48,20", "source": "cennik"},
    )
    assert good_rate.status_code == 303
    rate = next(r for r in summer.rates if r.kind == "Koordynacja")
    assert rate.hourly_rate == Decimal("48.20")
    # An engagement counted in one grant is refused by another (no hours settled twice).
    twice = client.post(
        f"{base}/{summer.id}/przypisania", data={"agreement": ola_events.id, "rate": rate.id}
    )
    assert twice.status_code == 409 and "Razem na Rubinkowie" in twice.text
    wrong = client.post(f"{base}/{summer.id}/przypisania", data={"agreement": "x", "rate": rate.id})
    assert wrong.status_code == 400 and "Wybierz porozumienie swojej organizacji." in wrong.text
    used = grant.rates[0]
    refused = client.post(f"{base}/{grant.id}/stawki/{used.id}/usun")
    assert refused.status_code == 409
    assignment = db.session.scalar(
        sa.select(GrantAssignment).where(GrantAssignment.agreement_id == ola_events.id)
    )
    assert client.post(f"{base}/{grant.id}/przypisania/{assignment.id}/usun").status_code == 303
    moved = client.post(
        f"{base}/{summer.id}/przypisania", data={"agreement": ola_events.id, "rate": rate.id}
    )
    assert moved.status_code == 303


def test_another_organisation_cannot_see_or_edit(
    client, auth, data, organisation, make_user, make_organisation
):
    grant, (ola_events, *_rest), _bartek = data
    stranger = make_user("obca@example.org", name="Obca Członkini")
    theirs = make_organisation("Stowarzyszenie Obce", owner=stranger)
    own_grant = service.create_grant(
        theirs,
        name="Ich dotacja",
        competition="",
        agreement_number="",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    db.session.commit()
    auth.login(stranger)
    ours = f"/wolontariat/organizacja/{organisation.slug}/dotacje"
    for url in (
        ours,
        f"{ours}/{grant.id}",
        f"{ours}/{grant.id}/raport",
        f"{ours}/{grant.id}/raport.csv",
        f"{ours}/{grant.id}/raport.pdf",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"{ours}/{grant.id}/stawki", data={"kind": "x", "hourly_rate": "1"}).status_code
        == 403
    )
    # Through their own organisation's URL: our grant is not found, our agreement not theirs.
    mine = f"/wolontariat/organizacja/{theirs.slug}/dotacje"
    assert client.get(f"{mine}/{grant.id}").status_code == 404
    assert client.get(f"{mine}/{grant.id}/raport.csv").status_code == 404
    rate = own_grant.rates[0]
    taken = client.post(
        f"{mine}/{own_grant.id}/przypisania", data={"agreement": ola_events.id, "rate": rate.id}
    )
    assert taken.status_code == 400 and "Wybierz porozumienie swojej organizacji." in taken.text
    assert "Razem na Rubinkowie" not in client.get(mine).text
