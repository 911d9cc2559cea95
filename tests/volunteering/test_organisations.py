"""Organisation members: opportunities and shifts, applicants, answers, attendance, CSV, hours
report, unanswered reminders; and an organisation sees only its own applicants."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_today, to_local
from app.volunteering import service
from app.volunteering.models import Opportunity, OpportunityStatus, Shift, Signup, SignupStatus


def _base(organisation):
    return f"/wolontariat/organizacja/{organisation.slug}"


def test_create_publish_and_add_shift(client, auth, organisation, ngo_owner):
    auth.login(ngo_owner)
    assert client.get(f"{_base(organisation)}/oferty/nowa").status_code == 200
    bad = client.post(f"{_base(organisation)}/oferty/nowa", data={"title": "Pomoc w ogrodzie"})
    assert bad.status_code == 400 and "Pomoc w ogrodzie" in bad.text and "Opisz zadanie" in bad.text
    response = client.post(
        f"{_base(organisation)}/oferty/nowa",
        data={
            "title": "Pomoc w ogrodzie społecznym",
            "description": "Pielenie i podlewanie.",
            "sphere": "ecology_animals",
            "kind": "regular",
            "tags": ["intergenerational", "neighbourhood"],
            "district": "na-skarpie",
            "requires_approval": "y",
        },
    )
    assert response.status_code == 303
    opportunity = db.session.scalar(sa.select(Opportunity))
    assert opportunity.status == OpportunityStatus.DRAFT
    assert opportunity.tag_codes == ["intergenerational", "neighbourhood"]
    day = (local_today() + timedelta(days=5)).isoformat()
    added = client.post(
        f"{_base(organisation)}/oferty/{opportunity.id}/terminy",
        data={"day": day, "start": "10:00", "end": "13:00", "capacity": "4"},
    )
    assert added.status_code == 303
    wrong = client.post(
        f"{_base(organisation)}/oferty/{opportunity.id}/terminy",
        data={"day": day, "start": "13:00", "end": "10:00", "capacity": "4"},
    )
    assert wrong.status_code == 400 and "Koniec musi być po początku" in wrong.text
    shift = db.session.scalar(sa.select(Shift))
    assert shift.duration_hours == Decimal("3.00")
    client.post(f"{_base(organisation)}/oferty/{opportunity.id}/status", data={"action": "publish"})
    db.session.refresh(opportunity)
    assert opportunity.status == OpportunityStatus.PUBLISHED and opportunity.published_at
    assert "Pomoc w ogrodzie społecznym" in client.get("/wolontariat/").text


def test_other_organisations_cannot_see_or_touch_applicants(
    client,
    auth,
    make_opportunity,
    make_shift,
    make_organisation,
    make_user,
    volunteer,
    organisation,
):
    shift = make_shift(make_opportunity())
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    stranger = make_user()
    other = make_organisation(owner=stranger)
    auth.login(stranger)
    opportunity_id = shift.opportunity_id
    # Not a member of the first organisation: 403 on its pages.
    assert (
        client.get(f"{_base(organisation)}/oferty/{opportunity_id}/zgloszenia").status_code == 403
    )
    assert (
        client.get(f"{_base(organisation)}/oferty/{opportunity_id}/zgloszenia.csv").status_code
        == 403
    )
    # Through its own organisation's URLs: another organisation's objects are 404.
    assert client.get(f"{_base(other)}/oferty/{opportunity_id}/zgloszenia").status_code == 404
    response = client.post(
        f"{_base(other)}/zgloszenia/{signup.id}/decyzja", data={"decision": "decline"}
    )
    assert response.status_code == 404
    db.session.refresh(signup)
    assert signup.status == SignupStatus.PENDING
    # A volunteer is not a member either.
    auth.login(volunteer)
    assert client.get(f"{_base(organisation)}/").status_code == 403


def test_applicants_accept_decline_and_csv(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner, outbox
):
    shift = make_shift(make_opportunity("Wydawanie posiłków"), capacity=1)
    first = service.sign_up(shift.id, user=make_user(name="Ewa Pierwsza"), birth_year=1990)
    second = service.sign_up(
        shift.id, user=make_user(name="=Zła Formuła"), birth_year=1990, message="-2+3"
    )
    auth.login(ngo_owner)
    page = client.get(f"{_base(organisation)}/oferty/{shift.opportunity_id}/zgloszenia")
    assert "Ewa Pierwsza" in page.text and "lista rezerwowa" in page.text
    response = client.post(
        f"{_base(organisation)}/zgloszenia/{first.id}/decyzja",
        data={"decision": "decline", "message": "Przepraszamy, komplet."},
    )
    assert response.status_code == 303
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == SignupStatus.DECLINED and first.responded_at is not None
    assert second.status == SignupStatus.PENDING  # promoted into the freed place
    assert any("Przepraszamy, komplet." in m.body for m in outbox())
    client.post(
        f"{_base(organisation)}/zgloszenia/{second.id}/decyzja", data={"decision": "accept"}
    )
    db.session.refresh(second)
    assert second.status == SignupStatus.ACCEPTED

    exported = client.get(f"{_base(organisation)}/oferty/{shift.opportunity_id}/zgloszenia.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][2] == "imię i nazwisko"
    names = {row[2]: row for row in rows[1:]}
    assert names["Ewa Pierwsza"][5] == "odrzucone"
    assert "'=Zła Formuła" in names  # no formula injection
    assert names["'=Zła Formuła"][10] == "'-2+3"


def test_attendance_and_hours_report(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner, app
):
    shift = make_shift(make_opportunity("Bieg charytatywny"), hours=3)
    people = [make_user() for _ in range(2)]
    signups = [service.sign_up(shift.id, user=p, birth_year=1990) for p in people]
    for signup in signups:
        service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    auth.login(ngo_owner)
    early = client.post(
        f"{_base(organisation)}/zgloszenia/{signups[0].id}/obecnosc", data={"attended": "yes"}
    )
    assert early.status_code == 422
    assert "Obecność i godziny można potwierdzić dopiero po terminie." in early.text
    db.session.refresh(signups[0])
    assert signups[0].hours is None  # not before the shift has ended
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        client.post(
            f"{_base(organisation)}/zgloszenia/{signups[0].id}/obecnosc", data={"attended": "yes"}
        )
        client.post(
            f"{_base(organisation)}/zgloszenia/{signups[1].id}/obecnosc",
            data={"attended": "yes", "hours": "2.5"},
        )
    db.session.refresh(signups[0])
    db.session.refresh(signups[1])
    assert signups[0].hours == Decimal("3.00") and signups[1].hours == Decimal("2.50")
    day = to_local(shift.starts_at).date()
    auth.login(ngo_owner)  # a fresh session after the time travel
    report = client.get(
        f"{_base(organisation)}/godziny?start={day - timedelta(days=1)}&end={day + timedelta(days=1)}&rate=40"
    )
    assert report.status_code == 200, report.headers.get("Location")
    assert "5,5" in report.text and "220,00" in report.text
    result = service.hours_report(organisation, day, day, Decimal("31.40"))
    assert result.total_hours == Decimal("5.50") and result.volunteers == 2
    assert result.total_value == Decimal("172.70")


def test_unanswered_applications_remind_once(
    app, make_opportunity, make_shift, make_user, organisation, outbox
):
    shift = make_shift(make_opportunity(), starts_in=timedelta(days=10))
    service.sign_up(shift.id, user=make_user(), birth_year=1990)
    db.session.commit()  # the job runs in its own transactions
    assert service.send_unanswered_reminders() == 0
    later = utcnow() + timedelta(days=3, hours=1)
    assert service.send_unanswered_reminders(now=later) == 1
    assert service.send_unanswered_reminders(now=later) == 0
    reminder = outbox()[-1]
    assert reminder.recipient == "wlasciciel@example.org"
    assert "czeka na odpowiedź" in reminder.body
    figures = service.responsiveness(organisation.id, now=later)
    assert figures.answered_share == 0 and figures.median_hours is None


def test_cancelling_a_shift_tells_everyone(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner, outbox
):
    shift = make_shift(make_opportunity(), capacity=1)
    signups = [service.sign_up(shift.id, user=make_user(), birth_year=1990) for _ in range(2)]
    auth.login(ngo_owner)
    client.post(f"{_base(organisation)}/terminy/{shift.id}/odwolaj", data={"reason": "Deszcz."})
    db.session.refresh(shift)
    assert shift.cancelled_at is not None and shift.taken == 0 and shift.sequence == 1
    assert {db.session.get(Signup, s.id).status for s in signups} == {SignupStatus.CANCELLED}
    assert sum("Termin odwołany" in m.subject for m in outbox()) == 2


def test_capacity_change_via_form(
    client, auth, make_opportunity, make_shift, make_user, organisation, ngo_owner
):
    shift = make_shift(make_opportunity(), capacity=1)
    waiting = [service.sign_up(shift.id, user=make_user(), birth_year=1990) for _ in range(2)][1]
    auth.login(ngo_owner)
    client.post(f"{_base(organisation)}/terminy/{shift.id}/miejsca", data={"capacity": "2"})
    db.session.refresh(waiting)
    assert waiting.status == SignupStatus.PENDING
    response = client.post(
        f"{_base(organisation)}/terminy/{shift.id}/miejsca", data={"capacity": "1"}
    )
    assert response.status_code == 422
    assert "nie można zmniejszyć liczby miejsc" in response.text
    db.session.refresh(shift)
    assert shift.capacity == 2
