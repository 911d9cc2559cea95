"""Time sheets (karta pracy): the volunteer logs hours for flexible and remote offers, the
organisation confirms or corrects them, and a day never holds more than 24 hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.domain import DomainError
from app.extensions import db
from app.timeutil import to_local
from app.volunteering import service
from app.volunteering.agreements import timesheets
from app.volunteering.agreements.models import Agreement, TimesheetEntry
from app.volunteering.models import OpportunityKind


@pytest.fixture
def engagement(make_opportunity, make_shift, volunteer, ngo_owner):
    opportunity = make_opportunity("Telefon do seniora", kind=OpportunityKind.FLEXIBLE)
    shift = make_shift(opportunity, starts_in=timedelta(hours=1))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    return db.session.scalar(sa.select(Agreement))


def _url(agreement):
    return f"/wolontariat/porozumienia/{agreement.id}/karta-pracy"


def test_volunteer_logs_hours_and_the_organisation_confirms_or_corrects(
    client, auth, engagement, volunteer, ngo_owner, organisation
):
    today = to_local(engagement.created_at).date()
    auth.login(volunteer)
    assert client.get(_url(engagement)).status_code == 200
    empty = client.post(_url(engagement), data={"day": today, "hours": "2"})
    assert empty.status_code == 400 and "Opisz, co zostało zrobione." in empty.text
    hx = client.hx_post(_url(engagement), data={"day": today, "hours": "30", "description": "x"})
    assert hx.status_code == 422 and "od 0,25 do 24" in hx.text
    done = client.post(
        _url(engagement), data={"day": today, "hours": "2", "description": "Rozmowy z p. Janiną"}
    )
    assert done.status_code == 303
    client.post(_url(engagement), data={"day": today, "hours": "1.5", "description": "Zakupy"})
    page = client.get(_url(engagement)).text
    assert "Rozmowy z p. Janiną" in page and "czeka na organizację" in page
    auth.logout()

    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}/karty-pracy"
    listing = client.get(base).text
    assert "Rozmowy z p. Janiną" in listing and "Ola Wolontariuszka" in listing
    first, second = db.session.scalars(sa.select(TimesheetEntry).order_by(TimesheetEntry.id))
    assert client.post(f"{base}/{first.id}", data={"hours": "2"}).status_code == 303
    no_reason = client.post(f"{base}/{second.id}", data={"hours": "1"})
    assert no_reason.status_code == 422 and "napisz krótko dlaczego" in no_reason.text
    fixed = client.post(f"{base}/{second.id}", data={"hours": "1", "note": "Zakupy trwały godzinę"})
    assert fixed.status_code == 303
    assert client.post(f"{base}/{first.id}", data={}).status_code == 409  # already confirmed
    db.session.expire_all()
    assert timesheets.confirmed_total(db.session.get(Agreement, engagement.id)) == Decimal("3")
    auth.logout()
    auth.login(volunteer)
    assert "poprawione na 1 godz." in client.get(_url(engagement)).text


def test_a_day_never_holds_more_than_24_hours(engagement, volunteer, make_opportunity, ngo_owner):
    today = to_local(engagement.created_at).date()
    timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(20), description="Dyżur"
    )
    with pytest.raises(DomainError, match="najwyżej 4") as refused:
        timesheets.log_hours(
            engagement.id, user=volunteer, day=today, hours=Decimal(5), description="Jeszcze"
        )
    assert refused.value.status == 422
    with pytest.raises(DomainError, match="nie na zapas"):
        timesheets.log_hours(
            engagement.id,
            user=volunteer,
            day=today + timedelta(days=1),
            hours=Decimal(1),
            description="Jutro",
        )
    with pytest.raises(DomainError, match="sprzed porozumienia"):
        timesheets.log_hours(
            engagement.id,
            user=volunteer,
            day=today - timedelta(days=3),
            hours=Decimal(1),
            description="Wcześniej",
        )
    # A correction upwards is held to the same limit.
    entry = db.session.scalar(sa.select(TimesheetEntry))
    timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(4), description="Wieczór"
    )
    with pytest.raises(DomainError, match="doba ma 24 godziny"):
        timesheets.confirm(entry.id, hours=Decimal(21), note="więcej", actor=ngo_owner)


def test_confirmed_shift_hours_count_towards_the_day(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    online = make_opportunity("Korepetycje online", is_online=True)
    shift = make_shift(online, starts_in=timedelta(hours=1), hours=10)
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    agreement = db.session.scalar(sa.select(Agreement))
    with freeze_time(shift.ends_at + timedelta(minutes=5)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
        day = to_local(shift.starts_at).date()
        with pytest.raises(DomainError, match=r"masz już 10 godz\."):
            timesheets.log_hours(
                agreement.id, user=volunteer, day=day, hours=Decimal(15), description="Za dużo"
            )


def test_one_off_offers_keep_no_timesheet(make_opportunity, make_shift, volunteer, ngo_owner):
    shift = make_shift(make_opportunity(), starts_in=timedelta(hours=1))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    agreement = db.session.scalar(sa.select(Agreement))
    with pytest.raises(DomainError, match="elastycznych i zdalnych"):
        timesheets.log_hours(
            agreement.id,
            user=volunteer,
            day=to_local(agreement.created_at).date(),
            hours=Decimal(1),
            description="x",
        )


def test_only_the_parties_touch_the_timesheet(
    client, auth, engagement, volunteer, make_user, make_organisation, organisation, staff
):
    today = to_local(engagement.created_at).date()
    entry = timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(1), description="Rozmowa"
    )
    db.session.commit()
    base = f"/wolontariat/organizacja/{organisation.slug}/karty-pracy"
    assert client.get(_url(engagement)).status_code == 302
    assert client.get(base).status_code == 302
    assert client.post(f"{base}/{entry.id}", data={}).status_code == 302
    auth.login(make_user(name="Ktoś Inny"))
    assert client.get(_url(engagement)).status_code == 404
    data = {"day": today, "hours": "1", "description": "cudze"}
    assert client.post(_url(engagement), data=data).status_code == 404
    auth.logout()
    outsider = make_user(name="Członek Innej")
    other = make_organisation("Inna", owner=outsider)
    auth.login(outsider)
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/{entry.id}", data={}).status_code == 403
    foreign = f"/wolontariat/organizacja/{other.slug}/karty-pracy/{entry.id}"
    assert client.post(foreign, data={}).status_code == 404
    assert "Rozmowa" not in client.get(f"/wolontariat/organizacja/{other.slug}/karty-pracy").text
    auth.logout()
    auth.login(staff)
    assert client.get(base).status_code == 200
    assert client.post(f"{base}/{entry.id}", data={}).status_code == 403
    db.session.expire_all()
    assert db.session.get(TimesheetEntry, entry.id).confirmed_at is None


def test_the_account_download_has_the_timesheet(engagement, volunteer):
    from app.accounts.privacy import export_personal_data

    today = to_local(engagement.created_at).date()
    timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(1), description="Rozmowa"
    )
    exported = export_personal_data(volunteer)["volunteering_agreements"][0]["timesheet"]
    assert exported == [
        {
            "day": today.isoformat(),
            "hours": "1.00",
            "description": "Rozmowa",
            "confirmed_hours": None,
        }
    ]


def test_confirmed_time_sheet_hours_count_in_the_hours_report(
    client, auth, engagement, volunteer, ngo_owner, organisation
):
    today = to_local(engagement.created_at).date()
    first = timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(2), description="Rozmowy"
    )
    second = timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(3), description="Zakupy"
    )
    timesheets.log_hours(
        engagement.id, user=volunteer, day=today, hours=Decimal(4), description="Niepotwierdzone"
    )
    timesheets.confirm(first.id, hours=None, note="", actor=ngo_owner)
    timesheets.confirm(second.id, hours=Decimal(0), note="Nie nasze zadanie", actor=ngo_owner)
    db.session.commit()
    report = service.hours_report(organisation, today, today, Decimal("30"))
    assert report.total_hours == Decimal(2) and report.volunteers == 1
    assert report.people[0].name == "Ola Wolontariuszka" and report.people[0].days == [today]
    assert report.total_value == Decimal("60.00")
