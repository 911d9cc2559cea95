"""A minor signs up and her guardian consents by the link from the e-mail (read from the
outbox), with JavaScript and without it. The sign-up is withdrawn at the end, so the shared
demo data is left as it was (a second run reuses the sign-up row and asks for consent again).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mail import OutboxMessage
from tests.browser import harness
from tests.browser.flows.volunteering import SIGN_UP, _my_signup_row, _withdraw

pytestmark = pytest.mark.browser

OFFER = "Sąsiedzkie sprzątanie skweru"
LINK = re.compile(r"(/wolontariat/zgoda/[A-Za-z0-9_\-]+)")


def _consent_link(app, recipient: str, seen: set[int]) -> str:
    with app.app_context():
        message = db.session.scalar(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.id.not_in(seen or {0}))
            .order_by(OutboxMessage.id.desc())
        )
        db.session.remove()
    assert message is not None, "no consent e-mail to the guardian"
    return LINK.search(message.body).group(1)


def _sent_to(app, recipient: str) -> set[int]:
    with app.app_context():
        ids = set(
            db.session.scalars(
                sa.select(OutboxMessage.id).where(OutboxMessage.recipient == recipient)
            )
        )
        db.session.remove()
    return ids


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_minor_signs_up_and_the_guardian_consents_by_link(new_context, demo_server, javascript):
    guardian_email = "marta.dabrowska@example.org"
    before = _sent_to(demo_server.app, guardian_email)
    pupil = new_context(javascript=javascript).new_page()
    harness.log_in(pupil, "volunteer3")
    pupil.goto("/wolontariat/")
    pupil.get_by_role("link", name=OFFER).first.click()
    pupil.wait_for_url(re.compile(r"/wolontariat/oferty/\d+"))
    rows = pupil.get_by_role("row").filter(has=pupil.get_by_role("link", name=SIGN_UP))
    with pupil.expect_navigation():
        rows.last.get_by_role("link", name=SIGN_UP).click()
    pupil.get_by_label("Imię i nazwisko rodzica lub opiekuna").fill("Marta Dąbrowska")
    pupil.get_by_label("E-mail rodzica lub opiekuna").fill(guardian_email)
    with pupil.expect_navigation():
        pupil.get_by_role("button", name="Zapisz się").click()
    assert pupil.get_by_text("Czeka na zgodę rodzica lub opiekuna").first.is_visible()

    link = _consent_link(demo_server.app, guardian_email, before)
    guardian = new_context(javascript=javascript).new_page()  # no account, no login
    guardian.goto(link)
    assert guardian.get_by_role(
        "heading", name="Zgoda rodzica lub opiekuna na wolontariat"
    ).is_visible()
    assert guardian.get_by_text("Zuzanna Dąbrowska").first.is_visible()
    assert guardian.get_by_role("heading", name="Porozumienie", exact=True).is_visible()
    with guardian.expect_navigation():
        guardian.get_by_role("button", name="Wyrażam zgodę").click()
    assert guardian.get_by_text("Dziękujemy: zgoda zapisana.").first.is_visible()
    # The link works once.
    guardian.goto(link)
    assert guardian.get_by_text("Zapisana odpowiedź: zgoda.").is_visible()

    pupil.goto("/wolontariat/moje")
    row = _my_signup_row(pupil, OFFER, "przyjęte")
    assert row.count() >= 1
    assert "czeka na zgodę" not in row.first.inner_text()
    _withdraw(pupil, OFFER, "przyjęte")
