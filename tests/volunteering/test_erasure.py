"""A volunteer erasing their data (/wolontariat/moje-dane/usun, and account deletion): what
happens to agreements, guardian consents, time sheets, register checks, opinions and
recognition (docs/rodo.md, "Volunteer agreements")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.retention import purge_personal_data
from app.db import utcnow
from app.extensions import db
from app.volunteering import service
from app.volunteering.agreements.models import (
    Agreement,
    GuardianConsent,
    Opinion,
    RegisterCheck,
    TimesheetEntry,
)
from app.volunteering.models import Signup


def _engagement(make_opportunity, make_shift, volunteer, ngo_owner, title, *, concluded):
    shift = make_shift(make_opportunity(title))
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.flush()
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.opportunity_id == shift.opportunity_id)
    )
    if concluded:
        agreement.volunteer_accepted_at = agreement.organisation_accepted_at = utcnow()
        agreement.volunteer_accepted_version = agreement.template_version
    signup = db.session.get(Signup, signup.id)
    db.session.add(
        GuardianConsent(
            signup=signup,
            guardian_name="Anna Opiekunka",
            guardian_email="anna@example.org",
            token_hash=f"{title:x<64}"[:64],
            decision=None,
        )
    )
    db.session.add(
        TimesheetEntry(
            agreement=agreement,
            day=date.today(),
            hours=Decimal(1),
            description="Pomoc p. Janinie",
            confirmed_hours=Decimal(1),
        )
    )
    db.session.commit()
    return agreement.id


def test_erasing_volunteering_data_keeps_concluded_agreements_unlinked(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    kept = _engagement(make_opportunity, make_shift, volunteer, ngo_owner, "Kwesta", concluded=True)
    dropped = _engagement(
        make_opportunity, make_shift, volunteer, ngo_owner, "Festyn", concluded=False
    )
    db.session.add(
        RegisterCheck(
            organisation_id=organisation.id,
            user_id=volunteer.id,
            checked_on=date.today(),
            checked_by_id=ngo_owner.id,
        )
    )
    db.session.add(
        Opinion(
            organisation=organisation,
            user_id=volunteer.id,
            volunteer_name=volunteer.name,
            request_note="Do CV",
        )
    )
    db.session.commit()

    auth.login(volunteer)
    page = client.get("/wolontariat/moje-dane/usun")
    assert "5 pełnych lat" in page.text
    assert client.post("/wolontariat/moje-dane/usun").status_code == 303
    db.session.expire_all()

    agreement = db.session.get(Agreement, kept)
    assert agreement.user_id is None and agreement.volunteer_name == "Ola Wolontariuszka"
    assert agreement.anonymised_at is None and agreement.sections
    assert (
        db.session.scalar(
            sa.select(TimesheetEntry.description).where(TimesheetEntry.agreement_id == kept)
        )
        == "Pomoc p. Janinie"
    )
    consents = db.session.scalars(sa.select(GuardianConsent)).all()
    assert [(c.guardian_name, c.guardian_email, c.token_hash) for c in consents] == [
        ("Anna Opiekunka", None, None)
    ]
    assert db.session.get(Agreement, dropped) is None  # never concluded
    assert db.session.scalar(sa.select(sa.func.count(TimesheetEntry.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(RegisterCheck.id))) == 0
    opinion = db.session.scalar(sa.select(Opinion))
    assert opinion.user_id is None and opinion.volunteer_name == "" and opinion.request_note == ""
    # The volunteer no longer sees it; the organisation still does (its document).
    assert client.get(f"/wolontariat/porozumienia/{kept}").status_code == 404
    auth.logout()
    auth.login(ngo_owner)
    org_page = client.get(f"/wolontariat/organizacja/{organisation.slug}/porozumienia/{kept}")
    assert org_page.status_code == 200 and "Ola Wolontariuszka" in org_page.text

    # Within the retention period the purge keeps it; 5 full years after the end it goes.
    purge_personal_data(now=utcnow())
    db.session.expire_all()
    assert db.session.get(Agreement, kept).volunteer_name == "Ola Wolontariuszka"
    end = db.session.get(Agreement, kept).period_end
    later = datetime(end.year + 6, 1, 2, 12, tzinfo=UTC)
    assert purge_personal_data(now=later)["volunteering_agreements"] == 1
    db.session.expire_all()
    agreement = db.session.get(Agreement, kept)
    assert agreement.volunteer_name == "" and agreement.anonymised_at is not None
    assert db.session.scalar(
        sa.select(TimesheetEntry.hours).where(TimesheetEntry.agreement_id == kept)
    ) == Decimal(1)
    assert (
        db.session.scalar(
            sa.select(TimesheetEntry.description).where(TimesheetEntry.agreement_id == kept)
        )
        == ""
    )
    assert db.session.scalar(sa.select(sa.func.count(GuardianConsent.id))) == 0
    assert purge_personal_data(now=later + timedelta(days=1))["volunteering_agreements"] == 0


def test_account_deletion_does_the_same(make_opportunity, make_shift, volunteer, ngo_owner):
    from app.accounts.privacy import delete_account

    kept = _engagement(make_opportunity, make_shift, volunteer, ngo_owner, "Kwesta", concluded=True)
    delete_account(volunteer)
    db.session.commit()
    db.session.expire_all()
    agreement = db.session.get(Agreement, kept)
    assert agreement.user_id is None and agreement.volunteer_name == "Ola Wolontariuszka"
