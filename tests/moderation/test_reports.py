"""Anyone reports a page; staff answer; the reporter is told the outcome."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.mail import OutboxMessage
from app.moderation.models import ContentReport, ReportStatus


def report(client, path="/organizacje/fundacja-razem", **data):
    form = {"path": path, "reason": "wrong", "message": "Nieaktualny telefon", **data}
    return client.post("/zgloszenia/nowe", data=form)


def test_every_page_links_to_the_report_form(client):
    page = client.get("/przestrzenie/")
    assert 'href="/zgloszenia/nowe?adres=/przestrzenie/"' in page.text
    form = client.get("/zgloszenia/nowe?adres=/przestrzenie/")
    assert form.status_code == 200 and 'value="/przestrzenie/"' in form.text
    assert 'value="/"' in client.get("/zgloszenia/nowe?adres=https://evil.example/").text


def test_a_guest_reports_and_staff_answer(client, auth, staff):
    response = report(client, email="gosc@example.org")
    assert (
        response.status_code == 303
        and response.headers["Location"] == "/organizacje/fundacja-razem"
    )
    saved = db.session.scalar(sa.select(ContentReport))
    assert (saved.reason, saved.reporter_email, saved.reporter_id) == (
        "wrong",
        "gosc@example.org",
        None,
    )
    auth.login(staff)
    assert 'Zgłoszenia treści</a> <span class="badge">1</span>' in client.get("/urzad/").text
    queue = client.get("/zgloszenia/")
    assert "Nieaktualny telefon" in queue.text and "gość (zostawił adres)" in queue.text
    url = f"/zgloszenia/{saved.id}"
    refused = client.post(url, data={"outcome": "handled", "response": ""})
    assert refused.status_code == 422 and "Napisz odpowiedź" in refused.text
    assert client.hx_post(url, data={"outcome": "handled", "response": ""}).status_code == 422
    done = client.post(url, data={"outcome": "handled", "response": "Poprosiliśmy o poprawkę."})
    assert done.status_code == 303
    db.session.refresh(saved)
    assert saved.status == ReportStatus.HANDLED and saved.reporter_email is None
    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "gosc@example.org")
    )
    assert mail is not None and "Poprosiliśmy o poprawkę." in mail.body
    assert client.post(url, data={"outcome": "dismissed", "response": "x"}).status_code == 409
    assert client.post(url, data={"outcome": "open", "response": "x"}).status_code == 400
    assert (
        client.post("/zgloszenia/999", data={"outcome": "handled", "response": "x"}).status_code
        == 404
    )


def test_a_logged_in_reporter_is_told_by_account(client, auth, volunteer, staff):
    auth.login(volunteer)
    report(client, email="ignored@example.org")
    saved = db.session.scalar(sa.select(ContentReport))
    assert saved.reporter_id == volunteer.id and saved.reporter_email is None
    auth.login(staff)
    client.post(
        f"/zgloszenia/{saved.id}", data={"outcome": "dismissed", "response": "Dane są poprawne."}
    )
    assert db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == volunteer.email)
    )


def test_bad_reports_are_refused_with_messages(client):
    response = report(client, reason="", message="")
    assert response.status_code == 400
    assert "Wybierz powód zgłoszenia." in response.text and "Opisz, co zgłaszasz." in response.text
    assert 'value="/organizacje/fundacja-razem"' in response.text
    fragment = client.hx_post(
        "/zgloszenia/nowe", data={"path": "/", "reason": "nonsense", "message": "x"}
    )
    assert fragment.status_code == 422
    assert report(client, email="nie-adres").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ContentReport.id))) == 0


def test_the_queue_is_for_staff_only(client, auth, volunteer):
    assert "/konto/logowanie" in client.get("/zgloszenia/").headers["Location"]
    assert "/konto/logowanie" in client.post("/zgloszenia/1", data={}).headers["Location"]
    auth.login(volunteer)
    assert client.get("/zgloszenia/").status_code == 403
    assert client.post("/zgloszenia/1", data={"outcome": "handled"}).status_code == 403


def test_reports_are_rate_limited(app, client):
    app.config["RATELIMIT_ENABLED"] = True
    from app.extensions import limiter

    limiter.enabled = True
    limiter.reset()  # the memory storage outlives the app (one run per database)
    try:
        statuses = [report(client).status_code for _ in range(11)]
    finally:
        limiter.enabled = False
        limiter.reset()
    assert statuses[:10] == [303] * 10 and statuses[10] == 429
