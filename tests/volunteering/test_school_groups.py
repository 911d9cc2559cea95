"""School volunteering clubs: a teacher signs up a group of pupils for a shift, all places at
once or none (never over capacity, also when coordinators race for the last places), each
pupil waiting for the guardian's paper consent, hours and a certificate per pupil."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.volunteering import service
from app.volunteering.agreements import guardians
from app.volunteering.groups import SchoolGroup
from app.volunteering.models import Shift, Signup, SignupStatus
from tests.helpers import Browser, race

YEAR = utcnow().year


def _pupils(*names):
    return "\n".join(f"{name}; {YEAR - 14}; Rodzic {name}" for name in names)


def test_a_teacher_signs_up_a_group_and_gets_consent_forms(
    client, auth, make_opportunity, make_shift, make_user, ngo_owner, organisation
):
    shift = make_shift(make_opportunity("Sprzątanie parku"), capacity=5)
    teacher = make_user(name="Pani Nauczycielka")
    url = f"/wolontariat/terminy/{shift.id}/zapis-grupy"
    assert client.get(url).status_code == 302  # log in first
    auth.login(teacher)
    assert "Zapisz grupę szkolną" in client.get(f"/wolontariat/oferty/{shift.opportunity_id}").text
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"school": "SP 7", "pupils": "Jan Nowak, 2011"})
    assert bad.status_code == 400 and "Wiersz 1" in bad.text and "Jan Nowak, 2011" in bad.text
    too_young = client.hx_post(url, data={"school": "SP 7", "pupils": f"Ala; {YEAR - 9}; Mama"})
    assert too_young.status_code == 422 and "Ala:" in too_young.text
    done = client.post(
        url, data={"school": "SP 7 – koło wolontariatu", "pupils": _pupils("Jan", "Ola", "Piotr")}
    )
    assert done.status_code == 303
    group = db.session.scalar(sa.select(SchoolGroup))
    page = client.get(f"/wolontariat/grupy/{group.id}").text
    assert page.count("Zgoda rodzica lub opiekuna prawnego") == 3 and "Rodzic Ola" in page
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).taken == 3
    too_many = client.post(url, data={"school": "SP 7", "pupils": _pupils("A", "B", "C")})
    assert too_many.status_code == 409 and "grupa się nie zmieści" in too_many.text
    auth.logout()

    # The organisation marks each paper consent, accepts, confirms hours; a certificate per pupil.
    pupil = group.pupils[0]
    with pytest.raises(DomainError, match="czeka na zgodę"):
        service.decide(pupil.id, accept=True, message="", actor=ngo_owner)
    db.session.rollback()
    pupil = db.session.get(Signup, pupil.id)
    guardians.record_paper(pupil, actor=ngo_owner)
    service.decide(pupil.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(pupil.id, attended=True, hours=None, actor=ngo_owner)
    db.session.commit()
    auth.login(teacher)
    certificate = client.get(f"/wolontariat/grupy/{group.id}/zaswiadczenie/{pupil.id}")
    assert certificate.status_code == 200 and "Jan" in certificate.text
    assert (
        "Na podstawie art. 44 ustawy" in certificate.text
        and "SP 7 – koło wolontariatu" in certificate.text
    )
    other = group.pupils[1]
    assert client.get(f"/wolontariat/grupy/{group.id}/zaswiadczenie/{other.id}").status_code == 404


def test_only_the_coordinator_sees_the_group(client, auth, make_opportunity, make_shift, make_user):
    from app.volunteering.groups import Pupil, sign_up_group

    shift = make_shift(make_opportunity(), capacity=4)
    teacher = make_user(name="Nauczyciel")
    group = sign_up_group(
        shift.id, coordinator=teacher, school="SP 1", pupils=[Pupil("Jan", YEAR - 14, "Mama")]
    )
    db.session.commit()
    url = f"/wolontariat/grupy/{group.id}"
    assert client.get(url).status_code == 302
    auth.login(make_user(name="Inny nauczyciel"))
    assert client.get(url).status_code == 404
    pupil = group.pupils[0]
    assert client.get(f"{url}/zaswiadczenie/{pupil.id}").status_code == 404


@pytest.fixture
def app_config() -> dict:
    return {"JOBS_BACKEND": "memory"}


@pytest.mark.race
def test_coordinators_racing_for_the_last_places_never_exceed_capacity(
    app, live_server, make_opportunity, make_shift, make_user
):
    shift = make_shift(make_opportunity(), capacity=7)
    service.sign_up(shift.id, user=make_user(), birth_year=1990)  # 6 places left
    teachers = [make_user(name=f"Nauczyciel {n}") for n in range(8)]
    browsers = [Browser(app, teacher, base_url=live_server.url) for teacher in teachers]
    db.session.commit()
    url = f"/wolontariat/terminy/{shift.id}/zapis-grupy"
    data = {"school": "SP", "pupils": _pupils("A", "B", "C", "D")}  # 4 pupils each
    answers = race([lambda b=b: b.post(url, data) for b in browsers])
    statuses = sorted(a.status for a in answers)
    assert statuses == [303] + [409] * 7, [(a.status, a.text[:200]) for a in answers]
    db.session.rollback()
    shift = db.session.get(Shift, shift.id)
    assert shift.taken == 5 <= shift.capacity
    pupils = db.session.scalars(sa.select(Signup).where(Signup.group_id.is_not(None))).all()
    assert len(pupils) == 4 and {p.status for p in pupils} == {SignupStatus.PENDING}
    assert db.session.scalar(sa.select(sa.func.count(SchoolGroup.id))) == 1
