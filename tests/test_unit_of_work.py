"""One unit of work per request: commit after success, roll back on an error status or an
exception, side effects (mail) only after commit; one way to answer htmx outcomes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import flash, request

from app.accounts.models import User
from app.domain import DomainError
from app.extensions import db
from app.mail import OutboxMessage, send_mail
from app.rendering import render, see_other
from app.unit_of_work import transaction


@pytest.fixture
def routes(app):
    """Routes that change something, then succeed or fail in each way a view can."""

    def rename_and_mail(user_id: int) -> User:
        user = db.session.get(User, user_id)
        user.name = request.form["name"]
        send_mail(user.email, "Zmiana", "accounts/mail/confirm_email.txt", user=user, link="x")
        return user

    @app.post("/_test/<int:user_id>/ok")
    def ok(user_id):
        rename_and_mail(user_id)
        flash("Zapisano.", "success")
        return see_other("/konto")

    @app.post("/_test/<int:user_id>/invalid")
    def invalid(user_id):
        rename_and_mail(user_id)
        return "form with errors", 422

    @app.post("/_test/<int:user_id>/refused")
    def refused(user_id):
        rename_and_mail(user_id)
        raise DomainError("Ten termin jest już zajęty.", status=409)

    @app.post("/_test/<int:user_id>/crash")
    def crash(user_id):
        rename_and_mail(user_id)
        raise RuntimeError("boom")

    @app.post("/_test/<int:user_id>/fragment")
    def fragment(user_id):
        rename_and_mail(user_id)
        flash("Dodano opiekuna.", "success")
        return render("errors/error.html", "content", code=200, title="t", message="m")

    @app.post("/_test/<int:user_id>/login-then-crash")
    def login_then_crash(user_id):
        from flask_login import login_user

        login_user(db.session.get(User, user_id))
        raise RuntimeError("the commit would have failed")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _state(user_id):
    db.session.expire_all()
    name = db.session.get(User, user_id).name
    mails = list(db.session.scalars(sa.select(OutboxMessage)))
    return name, mails


def test_a_successful_view_is_committed_and_its_mail_delivered_after(routes, client, make_user):
    user = make_user(name="Przed")
    response = client.post(f"/_test/{user.id}/ok", data={"name": "Po"})
    assert response.status_code == 303
    name, mails = _state(user.id)
    assert name == "Po"
    assert len(mails) == 1 and mails[0].sent_at is not None and mails[0].attempts == 1


@pytest.mark.parametrize(("path", "status"), [("invalid", 422), ("refused", 409), ("crash", 500)])
def test_a_failed_view_rolls_back_and_sends_no_mail(routes, client, make_user, path, status):
    user = make_user(name="Przed")
    response = client.post(f"/_test/{user.id}/{path}", data={"name": "Po"})
    assert response.status_code == status
    name, mails = _state(user.id)
    assert name == "Przed"
    assert mails == []  # nobody is told about a change that did not happen


def test_a_failed_request_does_not_keep_its_session_changes(routes, client, make_user):
    user = make_user()
    assert client.post(f"/_test/{user.id}/login-then-crash").status_code == 500
    assert client.get("/konto").status_code == 302  # not logged in


def test_a_refusal_is_shown_where_the_htmx_user_is(routes, client, make_user):
    user = make_user(name="Przed")
    response = client.hx_post(f"/_test/{user.id}/refused", data={"name": "Po"})
    # A status htmx swaps, nothing but the message region replaced, the precise reason in it.
    assert response.status_code == 409
    assert response.headers["HX-Reswap"] == "none"
    assert 'id="flash-messages"' in response.text and 'hx-swap-oob="innerHTML"' in response.text
    assert "Ten termin jest już zajęty." in response.text
    assert _state(user.id)[0] == "Przed"


def test_a_refusal_on_a_page_is_the_error_page_with_the_reason(routes, client, make_user):
    user = make_user()
    response = client.post(f"/_test/{user.id}/refused", data={"name": "Po"})
    assert response.status_code == 409
    assert "Ten termin jest już zajęty." in response.text and "<html" in response.text


def test_htmx_success_redirects_the_client_and_the_flash_waits_for_that_page(
    routes, client, make_user
):
    user = make_user()
    response = client.hx_post(f"/_test/{user.id}/ok", data={"name": "Po"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/konto"
    auth_page = client.get("/")
    assert "Zapisano." in auth_page.text


def test_a_flash_after_an_htmx_post_comes_with_that_fragment(routes, client, make_user):
    user = make_user()
    response = client.hx_post(f"/_test/{user.id}/fragment", data={"name": "Po"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text and "Dodano opiekuna." in response.text
    # ...and not again on the next, unrelated page.
    assert "Dodano opiekuna." not in client.get("/").text


def test_transaction_commits_or_rolls_back_outside_requests(app, make_user):
    user = make_user(name="Przed")
    with transaction():
        db.session.get(User, user.id).name = "Po"
    with pytest.raises(RuntimeError), transaction():
        db.session.get(User, user.id).name = "Nigdy"
        raise RuntimeError
    assert _state(user.id)[0] == "Po"


def test_a_service_cannot_commit_inside_a_request(routes, app):
    with app.test_request_context("/", method="POST"):
        from flask import g

        g.unit_of_work = True
        with pytest.raises(RuntimeError, match="the request is the unit of work"), transaction():
            pass


@pytest.fixture
def counting_routes(app):
    """A GET that reads, then writes (as a one-click e-mail link does), with and without
    @writes."""
    import time

    from app.unit_of_work import writes

    def read_then_write(user_id):
        # PostgreSQL: the row lock serialises; SQLite has no row locks, BEGIN IMMEDIATE does.
        user = db.session.get(User, user_id, with_for_update=True)
        time.sleep(0.02)  # others write meanwhile
        user.name = f"{user.name}+"
        return "ok"

    app.add_url_rule("/_test/<int:user_id>/marked", "marked", writes(read_then_write))
    app.add_url_rule(
        "/_test/<int:user_id>/plain", "plain", lambda user_id: read_then_write(user_id)
    )
    return app


def test_a_get_that_writes_queues_for_the_lock_instead_of_failing(counting_routes, make_user):
    from tests.helpers import Browser, LiveServer, race

    counting_routes.config["SERVER_NAME"] = None
    user_id = make_user(name="x").id
    db.session.commit()
    with LiveServer(counting_routes) as server:
        browser = Browser(counting_routes, base_url=server.url)
        statuses = race([lambda: browser.get(f"/_test/{user_id}/marked").status] * 12)
    assert statuses == [200] * 12
    assert _state(user_id)[0] == "x" + "+" * 12  # no lost update either


def test_a_get_fragment_names_the_page_it_shows(client):
    """htmx moves a fragment's <title> into the tab: after search-as-you-type the title names
    the new query, not the old one."""
    response = client.hx_get("/szukaj/?q=seniorzy")
    assert response.status_code == 200 and "<html" not in response.text
    title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "seniorzy" in title and title.endswith("Wspólnie – Toruń")
