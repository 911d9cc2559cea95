"""Child protection (art. 21 of the act of 13 May 2016): offers with work with children are
flagged; before the first shift the organisation records that it checked the register for the
volunteer (date and who, never the result); its standards are linked from its profile."""

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
from app.volunteering.agreements.models import Agreement, RegisterCheck
from app.volunteering.models import OpportunityKind, OpportunityStatus


def _accepted(shift, volunteer, ngo_owner):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    return signup


def test_no_first_shift_with_children_without_a_register_check(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    shift = make_shift(make_opportunity("Świetlica", works_with_children=True))
    public = client.get(f"/wolontariat/oferty/{shift.opportunity_id}").text
    assert "Rejestrze Sprawców Przestępstw na Tle Seksualnym" in public
    signup = _accepted(shift, volunteer, ngo_owner)
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}"
    attendance = f"{base}/zgloszenia/{signup.id}/obecnosc"
    check_url = f"{base}/zgloszenia/{signup.id}/rejestr"
    applicants = client.get(f"{base}/oferty/{shift.opportunity_id}/zgloszenia").text
    assert "Rejestr sprawdzony dnia" in applicants
    with freeze_time(shift.ends_at + timedelta(days=2)):
        refused = client.post(attendance, data={"attended": "yes", "hours": "2"})
        assert refused.status_code == 409 and "art. 21" in refused.text
        late = to_local(shift.starts_at).date() + timedelta(days=1)
        assert client.post(check_url, data={"checked_on": late}).status_code == 303
        assert client.post(attendance, data={"attended": "yes", "hours": "2"}).status_code == 409
        future = to_local(shift.ends_at).date() + timedelta(days=5)
        assert client.post(check_url, data={"checked_on": future}).status_code == 422
        assert client.hx_post(check_url, data={"checked_on": ""}).status_code == 422
        on_time = to_local(shift.starts_at).date() - timedelta(days=1)
        assert client.post(check_url, data={"checked_on": on_time}).status_code == 303
        assert client.post(attendance, data={"attended": "yes", "hours": "2"}).status_code == 303
        applicants = client.get(f"{base}/oferty/{shift.opportunity_id}/zgloszenia").text
    assert "rejestr sprawdzony" in applicants and "Kasia Właścicielka" in applicants
    columns = set(RegisterCheck.__table__.columns.keys())
    assert columns == {
        "id",
        "organisation_id",
        "user_id",
        "checked_on",
        "checked_by_id",
        "recorded_at",
    }  # fmt: skip  - never a result


def test_offers_without_children_need_no_check(make_opportunity, make_shift, volunteer, ngo_owner):
    shift = make_shift(make_opportunity())
    signup = _accepted(shift, volunteer, ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)


def test_time_sheet_hours_with_children_need_the_check(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    opportunity = make_opportunity(
        "Korepetycje", kind=OpportunityKind.FLEXIBLE, works_with_children=True
    )
    _accepted(make_shift(opportunity, starts_in=timedelta(hours=1)), volunteer, ngo_owner)
    agreement = db.session.scalar(sa.select(Agreement))
    with pytest.raises(DomainError, match=r"art\. 21"):
        timesheets.log_hours(
            agreement.id,
            user=volunteer,
            day=to_local(agreement.created_at).date(),
            hours=Decimal(1),
            description="Matematyka",
        )


def test_standards_are_linked_from_the_profile_and_publishing_warns(
    client, auth, make_opportunity, make_shift, ngo_owner, organisation
):
    draft = make_opportunity("Półkolonie", status=OpportunityStatus.DRAFT, works_with_children=True)
    make_shift(draft)
    auth.login(ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}"
    warned = client.post(
        f"{base}/oferty/{draft.id}/status", data={"action": "publish"}, follow_redirects=True
    )
    assert "standardów ochrony małoletnich" in warned.text
    url = f"{base}/standardy-ochrony-maloletnich"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"url": "nie link"})
    assert bad.status_code == 400 and "pełny adres" in bad.text and "nie link" in bad.text
    assert client.hx_post(url, data={"url": ""}).status_code == 422
    saved = client.post(
        url, data={"url": "https://example.org/standardy.pdf", "adopted_on": "2024-08-15"}
    )
    assert saved.status_code == 303
    profile = client.get(f"/organizacje/{organisation.slug}")
    assert "https://example.org/standardy.pdf" in profile.text
    offer = client.get(f"/wolontariat/oferty/{draft.id}").text
    assert "https://example.org/standardy.pdf" in offer


def test_only_members_record_checks_and_standards(
    client, auth, make_opportunity, make_shift, make_user, make_organisation, volunteer,
    ngo_owner, organisation, staff,
):  # fmt: skip
    shift = make_shift(make_opportunity(works_with_children=True))
    signup = _accepted(shift, volunteer, ngo_owner)
    base = f"/wolontariat/organizacja/{organisation.slug}"
    check_url = f"{base}/zgloszenia/{signup.id}/rejestr"
    standards = f"{base}/standardy-ochrony-maloletnich"
    data = {"checked_on": "2026-01-01"}
    assert client.post(check_url, data=data).status_code == 302
    assert client.get(standards).status_code == 302
    outsider = make_user(name="Obcy")
    other = make_organisation("Inna", owner=outsider)
    auth.login(outsider)
    assert client.post(check_url, data=data).status_code == 403
    assert client.get(standards).status_code == 403
    foreign = f"/wolontariat/organizacja/{other.slug}/zgloszenia/{signup.id}/rejestr"
    assert client.post(foreign, data=data).status_code == 404
    auth.logout()
    auth.login(staff)
    assert client.post(check_url, data=data).status_code == 403
    assert client.get(standards).status_code == 200  # staff read, never save
    assert client.post(standards, data={"url": "https://example.org/s.pdf"}).status_code == 403
    auth.logout()
    auth.login(volunteer)
    assert client.post(check_url, data=data).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(RegisterCheck.id))) == 0


def test_account_download_lists_register_checks_without_a_result(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    from app.accounts.privacy import delete_account, export_personal_data
    from app.volunteering.agreements.child_protection import record_check

    shift = make_shift(make_opportunity(works_with_children=True))
    signup = _accepted(shift, volunteer, ngo_owner)
    day = to_local(shift.starts_at).date() - timedelta(days=5)
    with freeze_time(shift.starts_at - timedelta(days=4)):
        record_check(signup, day, actor=ngo_owner)
    exported = export_personal_data(volunteer)["volunteering_register_checks"]
    assert exported == [
        {"organisation_id": shift.opportunity.organisation_id, "checked_on": day.isoformat()}
    ]
    delete_account(volunteer)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(RegisterCheck.id))) == 0
