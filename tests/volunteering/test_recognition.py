"""Recognition: milestones of confirmed hours and the opt-in gala list for city staff."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time

from app.extensions import db
from app.timeutil import to_local
from app.volunteering import recognition, service


def _hours(make_opportunity, make_shift, user, ngo_owner, hours):
    shift = make_shift(make_opportunity(), hours=hours)
    signup = service.sign_up(shift.id, user=user, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    db.session.commit()
    return shift


def test_milestones_and_gala_opt_in(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, make_user, staff
):
    shift = _hours(make_opportunity, make_shift, volunteer, ngo_owner, 12)
    assert recognition.confirmed_hours(volunteer.id) == Decimal(12)
    assert [m.reached for m in recognition.milestones(Decimal(12))] == [True, False, False]
    auth.login(volunteer)
    page = client.get("/wolontariat/wyroznienia").text
    assert "10 godzin – zdobyte" in page and "50 godzin – jeszcze przed Tobą" in page
    year = to_local(shift.starts_at).year
    assert recognition.gala_list(year) == []  # not opted in
    assert client.post("/wolontariat/wyroznienia", data={"gala_opt_in": "y"}).status_code == 303
    other = make_user(name="Mało Godzin")
    _hours(make_opportunity, make_shift, other, ngo_owner, 2)
    recognition.set_gala_opt_in(other, True)
    db.session.commit()
    assert recognition.gala_list(year) == [("Ola Wolontariuszka", Decimal(12))]
    assert client.get(f"/wolontariat/gala.csv?rok={year}").status_code == 403
    auth.logout()
    assert client.get("/wolontariat/gala.csv").status_code == 302
    auth.login(staff)
    csv_text = client.get(f"/wolontariat/gala.csv?rok={year}").text
    assert "Ola Wolontariuszka;12" in csv_text and "Mało Godzin" not in csv_text
    assert client.get("/wolontariat/gala.csv?rok=1800").status_code == 400
    assert client.get("/wolontariat/wyroznienia").status_code == 200


def test_account_download_and_deletion_cover_the_gala_choice(volunteer):
    from app.accounts.privacy import delete_account, export_personal_data
    from app.volunteering.recognition import VolunteerRecognition

    recognition.set_gala_opt_in(volunteer, True)
    assert export_personal_data(volunteer)["volunteering_recognition"] == {
        "gala_opt_in": True,
        "badges_public": False,
    }
    delete_account(volunteer)
    db.session.commit()
    assert db.session.scalar(db.select(VolunteerRecognition)) is None


def test_badges_are_shown_to_organisations_only_when_the_volunteer_opts_in(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    shift = _hours(make_opportunity, make_shift, volunteer, ngo_owner, 12)
    applicants = (
        f"/wolontariat/organizacja/{organisation.slug}/oferty/{shift.opportunity_id}/zgloszenia"
    )
    auth.login(ngo_owner)
    assert "odznaka: 10 godzin wolontariatu" not in client.get(applicants).text
    auth.login(volunteer)
    saved = client.post("/wolontariat/wyroznienia", data={"badges_public": "y"})
    assert saved.status_code == 303
    page = client.get("/wolontariat/wyroznienia").text
    assert 'id="badges_public" name="badges_public" value="y" checked' in page
    assert 'id="gala_opt_in" name="gala_opt_in" value="y">' in page  # still not in the gala
    auth.login(ngo_owner)
    assert "odznaka: 10 godzin wolontariatu" in client.get(applicants).text
    auth.login(volunteer)
    client.post("/wolontariat/wyroznienia", data={})
    auth.login(ngo_owner)
    assert "odznaka: 10 godzin wolontariatu" not in client.get(applicants).text
