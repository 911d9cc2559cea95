"""Many people logging in at the same moment through the real login form.

On SQLite two simultaneous logins once gave a 500 (a read transaction could not be upgraded to
write the last-login time) and 30 at once failed in about 70 % of cases. Every POST now begins
its transaction with the write lock (app/unit_of_work.py), so they queue instead.
"""

from __future__ import annotations

import pytest

from tests.helpers import TEST_PASSWORD, Browser, race

LOGIN = "/konto/logowanie"


@pytest.mark.race
def test_thirty_concurrent_logins_all_succeed(app, live_server, make_user):
    emails = [make_user(f"osoba{number}@example.org").email for number in range(30)]
    browsers = [Browser(app, base_url=live_server.url) for _ in emails]
    for browser in browsers:
        browser.fetch_csrf(LOGIN)

    def log_in(browser, email):
        return lambda: browser.post(LOGIN, {"email": email, "password": TEST_PASSWORD})

    answers = race([log_in(b, email) for b, email in zip(browsers, emails, strict=True)])
    assert [answer.status for answer in answers] == [303] * 30
    for browser, email in zip(browsers, emails, strict=True):
        account = browser.get("/konto")
        assert account.status == 200, account.status  # logged in: not sent to the login form
        assert email in account.text


@pytest.mark.race
def test_the_same_person_in_two_tabs_logs_in_twice(app, live_server, make_user):
    email = make_user("dwie.karty@example.org").email
    tabs = [Browser(app, base_url=live_server.url) for _ in range(2)]
    for tab in tabs:
        tab.fetch_csrf(LOGIN)
    answers = race(
        [lambda tab=tab: tab.post(LOGIN, {"email": email, "password": TEST_PASSWORD})
         for tab in tabs]
    )  # fmt: skip
    assert [answer.status for answer in answers] == [303, 303]
    assert all(tab.get("/konto").status == 200 for tab in tabs)
