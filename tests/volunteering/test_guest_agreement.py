"""A guest (micro-volunteering without an account) gets the agreement concluded with the
sign-up form in the confirmation e-mail too: a signed link to the printable page and its PDF,
sent through the outbox after the sign-up commits."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.pdf import weasyprint_available
from app.volunteering.agreements.models import Agreement
from app.volunteering.models import OpportunityKind, Signup
from app.volunteering.service import signup_token


def _guest_signs_up(client, make_opportunity, make_shift, name="Ewa Gość"):
    micro = make_shift(make_opportunity("Sprzątanie skweru", kind=OpportunityKind.MICRO), hours=1)
    data = {"name": name, "email": "ewa@example.org", "adult": "y", "agreement": "y"}
    assert client.post(f"/wolontariat/terminy/{micro.id}/zapis", data=data).status_code == 303
    return db.session.scalar(sa.select(Signup).where(Signup.guest_name == name))


def test_the_confirmation_mail_links_the_guest_s_agreement(
    client, make_opportunity, make_shift, outbox
):
    signup = _guest_signs_up(client, make_opportunity, make_shift)
    (mail,) = [m for m in outbox() if m.recipient == "ewa@example.org"]
    assert "zaakceptowałaś/zaakceptowałeś przy zapisie" in mail.body
    link = re.search(r"https?://\S+/wolontariat/porozumienie/(\S+)", mail.body)
    assert link is not None, mail.body
    token = link.group(1)
    page = client.get(f"/wolontariat/porozumienie/{token}")
    assert page.status_code == 200
    assert "Porozumienie o wykonywaniu świadczeń wolontariusza" in page.text
    assert "Ewa Gość" in page.text and "Sprzątanie skweru" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    pdf = client.get(f"/wolontariat/porozumienie/{token}.pdf")
    if weasyprint_available():
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    else:
        assert pdf.status_code == 503
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.guest_signup_id == signup.id)
    )
    assert agreement.volunteer_accepted_at is not None


def test_a_forged_or_foreign_token_shows_nothing(client, make_opportunity, make_shift, outbox):
    signup = _guest_signs_up(client, make_opportunity, make_shift)
    assert client.get("/wolontariat/porozumienie/nie-token").status_code == 404
    # A link made for another purpose (the cancel link of the same mail) does not open it.
    cancel = signup_token(signup, "cancel")
    assert client.get(f"/wolontariat/porozumienie/{cancel}").status_code == 404
    assert client.get(f"/wolontariat/porozumienie/{cancel}.pdf").status_code == 404
    # Once the sign-up is anonymised (retention), the link is dead.
    token = signup_token(signup, "agreement")
    signup.anonymised_at = utcnow()
    db.session.commit()
    assert client.get(f"/wolontariat/porozumienie/{token}").status_code == 404


def test_account_holders_keep_their_own_agreement_link(
    client, auth, make_opportunity, make_shift, volunteer, outbox
):
    micro = make_shift(make_opportunity("Sprzątanie skweru", kind=OpportunityKind.MICRO), hours=1)
    auth.login(volunteer)
    answer = client.post(f"/wolontariat/terminy/{micro.id}/zapis", data={"birth_year": "1990"})
    assert answer.status_code == 303, answer.text[:500]
    signup = db.session.scalar(sa.select(Signup))
    assert "/wolontariat/porozumienie/" not in outbox()[0].body
    token = signup_token(signup, "agreement")
    assert client.get(f"/wolontariat/porozumienie/{token}").status_code == 404
