"""Downloading: size cap, timeouts, redirects, the SSRF guard, conditional GET, back-off, and a
broken file after a good one (the last good data stays and the provider is told)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.calendars.imports import service
from app.calendars.imports.guard import Allowlist, GuardError, check_url
from app.calendars.imports.models import CalendarSource, ImportedBusy
from app.db import utcnow
from app.extensions import db
from app.mail import OutboxMessage
from tests.calendars.imports.conftest import calendar, days_after, lesson


def good_calendar(day, lessons=3) -> str:
    return calendar(
        *(lesson(f"l{i}", days_after(day, i), time(8), time(9)) for i in range(lessons))
    )


def busy_count(source_id) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(ImportedBusy.id)).where(ImportedBusy.source_id == source_id)
    )


def added(provider, url, space=None) -> CalendarSource:
    source, _ = service.add_source(
        provider, url=url, space=space, transparent_is_busy=False, user=None
    )
    db.session.commit()
    return source


def test_an_oversized_file_is_refused_while_streaming(app, ics_server, weekday_ahead):
    app.config["CALENDAR_IMPORT_MAX_BYTES"] = 2000
    big = calendar(*(lesson(f"x{i}", weekday_ahead, time(8), time(9)) for i in range(40)))
    assert len(big) > 2000
    with_length = ics_server.serve("/big.ics", big)
    without_length = ics_server.serve("/big-chunked.ics", big, chunked=True)
    assert service.download(with_length, transparent_is_busy=False).error == "too_large"
    assert service.download(without_length, transparent_is_busy=False).error == "too_large"
    app.config["CALENDAR_IMPORT_MAX_BYTES"] = 10 * 1024 * 1024
    assert service.download(without_length, transparent_is_busy=False).ok


def test_a_server_that_does_not_answer_in_time(app, ics_server, weekday_ahead):
    url = ics_server.serve("/slow.ics", good_calendar(weekday_ahead), delay=1.5)
    outcome = service.download(url, transparent_is_busy=False)
    assert (outcome.ok, outcome.error) == (False, "timeout")


def test_redirects_are_followed_at_most_five_times_and_each_is_checked(
    app, ics_server, weekday_ahead
):
    target = ics_server.serve("/final.ics", good_calendar(weekday_ahead))
    ics_server.serve("/moved.ics", status=301, headers={"Location": "/final.ics"})
    outcome = service.download(ics_server.url("/moved.ics"), transparent_is_busy=False)
    assert outcome.ok and len(outcome.busy) == 3
    assert [p for p, _h in ics_server.requests] == ["/moved.ics", "/final.ics"]

    for hop in range(6):
        ics_server.serve(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    ics_server.serve("/hop6", good_calendar(weekday_ahead))
    assert service.download(ics_server.url("/hop0"), transparent_is_busy=False).error == (
        "too_many_redirects"
    )
    ics_server.serve("/hop1", status=302, headers={"Location": "/hop5"})  # 0→1→5→6: fine
    assert service.download(ics_server.url("/hop0"), transparent_is_busy=False).ok

    # A hop to the metadata service is refused before any connection is made.
    ics_server.serve(
        "/sneaky.ics", status=302, headers={"Location": "http://169.254.169.254/latest/"}
    )
    sneaky = service.download(ics_server.url("/sneaky.ics"), transparent_is_busy=False)
    assert sneaky.error == "forbidden_address"
    assert target


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/plan.ics",
        "http://127.1/plan.ics",
        "http://localhost/plan.ics",
        "http://[::1]/plan.ics",
        "http://[::ffff:127.0.0.1]/plan.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/plan.ics",
        "http://192.168.1.1/plan.ics",
        "http://100.64.0.1/plan.ics",
        "http://198.18.0.1/plan.ics",
        "http://[fc00::1]/plan.ics",
        "http://[fe80::1]/plan.ics",
        "http://0.0.0.0/plan.ics",
    ],
)
def test_the_guard_refuses_every_non_global_address(url):
    with pytest.raises(GuardError) as refused:
        check_url(url, Allowlist())
    assert refused.value.code == "forbidden_address"


@pytest.mark.parametrize(
    "url, code",
    [
        ("file:///etc/passwd", "bad_scheme"),
        ("ftp://example.org/a.ics", "bad_scheme"),
        ("gopher://127.0.0.1:6379/", "bad_scheme"),
        ("http://user:secret@example.org/a.ics", "bad_url"),
        ("http:///a.ics", "bad_url"),
    ],
)
def test_the_guard_refuses_other_schemes_and_credentials(url, code):
    with pytest.raises(GuardError) as refused:
        check_url(url, Allowlist())
    assert refused.value.code == code


def test_the_allowlist_takes_hosts_and_networks():
    allowlist = Allowlist.parse(" 127.0.0.1 , localhost, 10.1.0.0/16,")
    assert "127.0.0.1" in check_url("http://localhost:8000/a.ics", allowlist).addresses
    assert check_url("http://10.1.2.3/a.ics", allowlist).addresses == ("10.1.2.3",)
    with pytest.raises(GuardError):
        check_url("http://10.2.0.1/a.ics", allowlist)


def test_a_private_address_is_refused_at_registration_without_the_allowlist(
    app, client, auth, provider, provider_manager, ics_server, weekday_ahead
):
    app.config["CALENDAR_IMPORT_ALLOWLIST"] = ""
    url = ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    auth.login(provider_manager)
    answer = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze",
        data={"url": url, "space": "", "action": "add"},
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Ten adres prowadzi do sieci wewnętrznej" in page
    assert f'value="{url}"' in page  # the form keeps what was typed
    assert db.session.scalar(sa.select(sa.func.count(CalendarSource.id))) == 0
    assert ics_server.requests == []  # never connected

    answer = client.hx_post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze",
        data={"url": url, "space": "", "action": "preview"},
    )
    assert answer.status_code == 422
    assert "Ten adres prowadzi do sieci wewnętrznej" in answer.get_data(as_text=True)
    assert "<html" not in answer.get_data(as_text=True)


def test_every_fetch_is_checked_again(app, provider, ics_server, weekday_ahead):
    source = added(provider, ics_server.serve("/plan.ics", good_calendar(weekday_ahead)))
    app.config["CALENDAR_IMPORT_ALLOWLIST"] = ""
    service.sync_source(source.id)
    db.session.refresh(source)
    assert source.last_error == "forbidden_address"
    assert busy_count(source.id) == 3
    assert len(ics_server.requests) == 1  # only the registration


def test_conditional_get_keeps_the_data_on_304(app, provider, ics_server, weekday_ahead):
    url = ics_server.serve(
        "/plan.ics",
        good_calendar(weekday_ahead),
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
    )
    source = added(provider, url)
    assert (source.etag, source.last_modified) == ('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT")
    report = service.sync_source(source.id)
    assert report.outcome.status == 304
    _path, headers = ics_server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    db.session.refresh(source)
    assert (source.last_http_status, source.last_error, busy_count(source.id)) == (304, None, 3)


def test_server_errors_back_off_and_honour_retry_after(app, provider, ics_server, weekday_ahead):
    url = ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    source = added(provider, url)
    ics_server.serve("/plan.ics", "busy", status=503, headers={"Retry-After": "7200"})
    before = utcnow()
    service.sync_source(source.id)
    db.session.refresh(source)
    assert (source.last_http_status, source.last_error, source.failures) == (503, "http_status", 1)
    assert source.next_attempt_at >= before + timedelta(seconds=7200)
    assert source.id not in service.due_source_ids()
    assert source.id in service.due_source_ids(before + timedelta(hours=3))
    assert busy_count(source.id) == 3

    ics_server.serve("/plan.ics", "slow down", status=429)
    service.sync_source(source.id)
    db.session.refresh(source)
    assert (source.last_http_status, source.failures) == (429, 2)
    assert source.next_attempt_at >= utcnow() + timedelta(minutes=29)


def test_a_broken_file_after_a_good_one_keeps_the_good_data_and_tells_the_managers(
    app, client, auth, provider, provider_manager, make_space, ics_server, weekday_ahead
):
    space = make_space()
    url = ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    source = added(provider, url, space)
    kept = [
        (b.starts_at, b.ends_at)
        for b in db.session.scalars(sa.select(ImportedBusy).order_by(ImportedBusy.starts_at))
    ]
    good_since = source.last_success_at

    ics_server.serve("/plan.ics", "<html><body>Zaloguj się</body></html>")
    for _attempt in range(3):
        report = service.sync_source(source.id)
        assert report.outcome.error == "invalid_file"
    db.session.refresh(source)
    assert (source.failures, source.last_error, source.events_found) == (3, "invalid_file", 3)
    assert source.last_success_at == good_since
    assert [
        (b.starts_at, b.ends_at)
        for b in db.session.scalars(sa.select(ImportedBusy).order_by(ImportedBusy.starts_at))
    ] == kept

    mails = list(
        db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.topic == f"calendar-import-failing:{source.id}"
            )
        )
    )
    assert [m.recipient for m in mails] == [provider_manager.email]  # once, after the third
    assert "127.0.0.1/…" in mails[0].body and url not in mails[0].body
    assert "To nie jest poprawny plik kalendarza" in mails[0].body

    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze").get_data(
        as_text=True
    )
    assert "Ostatnie pobranie nie powiodło się: To nie jest poprawny plik kalendarza" in page
    assert "Blokujemy według ostatniej poprawnej wersji." in page
    assert "Nieudane próby z rzędu: 3." in page

    # A truncated download is broken too; a good one afterwards clears the failure.
    ics_server.serve("/plan.ics", good_calendar(weekday_ahead)[:-40])
    assert service.sync_source(source.id).outcome.error == "invalid_file"
    ics_server.serve("/plan.ics", good_calendar(weekday_ahead, lessons=2))
    assert service.sync_source(source.id).outcome.ok
    db.session.refresh(source)
    assert (source.failures, source.last_error, busy_count(source.id)) == (0, None, 2)


def test_https_is_verified_and_never_downgraded_to_http(
    app, monkeypatch, tls_ics_server, ics_server, weekday_ahead
):
    url = tls_ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    assert service.download(url, transparent_is_busy=False).error == "tls"  # self-signed

    monkeypatch.setenv("SSL_CERT_FILE", tls_ics_server.cert)  # now the client trusts it
    assert service.download(url, transparent_is_busy=False).ok
    plain = ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    tls_ics_server.serve("/to-http.ics", status=302, headers={"Location": plain})
    downgrade = service.download(tls_ics_server.url("/to-http.ics"), transparent_is_busy=False)
    assert (downgrade.error, downgrade.status) == ("insecure_redirect", 302)
    assert ics_server.requests == []


def test_the_connection_goes_to_the_checked_address_with_the_host_name_in_the_header(
    app, ics_server, weekday_ahead
):
    app.config["CALENDAR_IMPORT_ALLOWLIST"] = "localhost"
    ics_server.serve("/plan.ics", good_calendar(weekday_ahead))
    outcome = service.download(
        f"http://localhost:{ics_server.port}/plan.ics", transparent_is_busy=False
    )
    assert outcome.ok
    _path, headers = ics_server.requests[-1]
    assert headers["Host"] == f"localhost:{ics_server.port}"


def test_a_permanent_redirect_is_remembered_a_temporary_one_is_not(
    app, provider, ics_server, weekday_ahead
):
    ics_server.serve("/new.ics", good_calendar(weekday_ahead))
    ics_server.serve("/old.ics", status=301, headers={"Location": "/new.ics"})
    ics_server.serve("/today.ics", status=302, headers={"Location": "/new.ics"})
    temporary = added(provider, ics_server.url("/today.ics"))
    assert temporary.url.endswith("/today.ics")
    source = added(provider, ics_server.url("/old.ics"))
    assert source.url == ics_server.url("/new.ics")
    ics_server.requests.clear()
    service.sync_source(source.id)
    assert [p for p, _h in ics_server.requests] == ["/new.ics"]
