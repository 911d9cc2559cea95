"""The provider's calendar page (managers only, the URL masked), the htmx path, the hourly job
across its real calendar and ``flask --app wsgi sync-calendars``."""

from __future__ import annotations

from datetime import UTC, time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.calendars.imports import service, tasks
from app.calendars.imports.models import CalendarSource, ImportedBusy
from app.db import utcnow
from app.extensions import db
from app.jobs import huey, job_name, periodic_job_names
from app.timeutil import local_to_utc
from tests.calendars.imports.conftest import calendar, lesson

JOBS = "app.calendars.imports.tasks."


@pytest.fixture
def source(ics_server, provider, weekday_ahead):
    url = ics_server.serve(
        "/tajny-token-123/plan.ics", calendar(lesson("a", weekday_ahead, time(8), time(9)))
    )
    source, _ = service.add_source(
        provider, url=url, space=None, transparent_is_busy=False, user=None
    )
    db.session.commit()
    return source


def page_url(provider) -> str:
    return f"/przestrzenie/udostepniajacy/{provider.slug}/kalendarze"


def test_the_page_shows_status_with_the_url_masked(
    client, auth, provider, provider_manager, source
):
    auth.login(provider_manager)
    page = client.get(page_url(provider)).get_data(as_text=True)
    assert "127.0.0.1/…" in page
    assert "tajny-token-123" not in page
    assert "Ostatnio pobrano poprawnie" in page and "(HTTP 200)" in page
    assert "wszystkie przestrzenie" in page


@pytest.mark.parametrize("who", ["stranger", "other_manager", "staff", "anonymous"])
def test_only_the_providers_managers_reach_the_calendars(
    client, auth, make_user, make_provider, staff, provider, source, who
):
    if who == "stranger":
        auth.login(make_user())
    elif who == "other_manager":
        other = make_user()
        make_provider(managers=[other])
        auth.login(other)
    elif who == "staff":
        auth.login(staff)
    expected = 302 if who == "anonymous" else 403
    assert client.get(page_url(provider)).status_code == expected
    assert (
        client.post(
            page_url(provider), data={"url": "https://example.org/a.ics", "space": ""}
        ).status_code
        == expected
    )
    assert client.post(f"/przestrzenie/kalendarze/{source.id}/synchronizuj").status_code == expected
    assert client.post(f"/przestrzenie/kalendarze/{source.id}/usun").status_code == expected
    db.session.expire_all()
    assert db.session.get(CalendarSource, source.id) is not None
    assert db.session.scalar(sa.select(sa.func.count(CalendarSource.id))) == 1


def test_a_space_of_another_provider_cannot_be_chosen(
    client, auth, provider, provider_manager, make_provider, make_user, ics_server, weekday_ahead
):
    from app.spaces.models import Space, SpaceKind

    other = make_provider(managers=[make_user()])
    foreign = Space(provider=other, name="Obca sala", slug="obca-sala", kind=SpaceKind.ROOM)
    db.session.add(foreign)
    db.session.commit()
    url = ics_server.serve("/plan.ics", calendar(lesson("a", weekday_ahead, time(8), time(9))))
    auth.login(provider_manager)
    answer = client.post(
        page_url(provider), data={"url": url, "space": "obca-sala", "action": "add"}
    )
    assert answer.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(CalendarSource.id))) == 0


def test_adding_through_htmx_redirects_and_an_empty_url_is_refused(
    client, auth, provider, provider_manager, ics_server, weekday_ahead
):
    auth.login(provider_manager)
    answer = client.hx_post(page_url(provider), data={"url": "", "space": "", "action": "add"})
    assert answer.status_code == 422
    assert "Podaj adres kalendarza." in answer.get_data(as_text=True)
    url = ics_server.serve("/plan.ics", calendar(lesson("a", weekday_ahead, time(8), time(9))))
    answer = client.hx_post(page_url(provider), data={"url": url, "space": "", "action": "add"})
    assert answer.status_code == 200
    assert answer.headers["HX-Redirect"].endswith(page_url(provider))
    assert db.session.scalar(sa.select(sa.func.count(ImportedBusy.id))) == 1

    answer = client.hx_post(
        page_url(provider), data={"url": "ftp://example.org/a.ics", "space": "", "action": "add"}
    )
    assert answer.status_code == 422
    assert "Adres musi zaczynać się od https://" in answer.get_data(as_text=True)


def test_webcal_links_mean_https(app):
    from app.calendars.imports.guard import normalise_url

    assert normalise_url(" webcal://example.org/a.ics") == "https://example.org/a.ics"


def test_download_now_reports_failure_and_keeps_the_data(
    client, auth, provider, provider_manager, source, ics_server
):
    ics_server.serve("/tajny-token-123/plan.ics", "not found", status=404)
    auth.login(provider_manager)
    answer = client.post(f"/przestrzenie/kalendarze/{source.id}/synchronizuj")
    assert answer.status_code == 303
    page = client.get(answer.location).get_data(as_text=True)
    assert (
        "Nie udało się pobrać kalendarza 127.0.0.1/…: Serwer odpowiedział błędem. (HTTP 404)"
        in page
    )
    assert db.session.scalar(sa.select(sa.func.count(ImportedBusy.id))) == 1


def test_the_manage_page_links_to_the_calendars(
    client, auth, provider, provider_manager, make_space
):
    space = make_space()
    auth.login(provider_manager)
    page = client.get(f"/przestrzenie/sala/{space.slug}/zarzadzaj").get_data(as_text=True)
    assert f"{page_url(provider)}?przestrzen={space.slug}" in page
    form = client.get(f"{page_url(provider)}?przestrzen={space.slug}").get_data(as_text=True)
    assert f'<option selected value="{space.slug}">' in form


def _clock_change_sunday(month: int):
    from datetime import date

    year = utcnow().year + 1
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)


@pytest.mark.parametrize("month, hours", [(3, 23), (10, 25)], ids=["march", "october"])
def test_the_hourly_job_runs_at_17_past_every_warsaw_hour_across_the_clock_change(
    app, month, hours
):
    assert f"{JOBS}sync_due_calendars" in periodic_job_names()
    sunday = _clock_change_sunday(month)
    moment = local_to_utc(sunday, time(0))
    end = local_to_utc(sunday + timedelta(days=1), time(0))
    ran = []
    while moment < end:
        for job in huey.read_periodic(moment.replace(tzinfo=None)):
            if job_name(job).startswith(JOBS):
                with freeze_time(moment):
                    job.execute()
                ran.append(moment)
        moment += timedelta(minutes=1)
    assert len(ran) == hours
    assert all(m.astimezone(UTC).minute == 17 for m in ran)


def test_the_job_syncs_due_sources_only(app, source, ics_server, weekday_ahead):
    assert source.next_attempt_at > utcnow()  # just synchronised
    assert tasks.sync_due_calendars.call_local() == 0
    ics_server.serve(
        "/tajny-token-123/plan.ics",
        calendar(*(lesson(f"n{i}", weekday_ahead, time(10 + i), time(11 + i)) for i in range(2))),
    )
    source.next_attempt_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert (
        tasks.sync_due_calendars.call_local() == 1
    )  # the immediate queue runs the per-source job now
    db.session.expire_all()
    assert db.session.get(CalendarSource, source.id).events_found == 2


def test_sync_calendars_command(app, source, ics_server):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sync-calendars", "--all"])
    assert result.exit_code == 0, result.output
    assert f"#{source.id}: ok (HTTP 200, 1 busy)" in result.output
    ics_server.serve("/tajny-token-123/plan.ics", "oops", status=500)
    result = runner.invoke(args=["sync-calendars", "--source", str(source.id)])
    assert f"#{source.id}: failed (http_status, HTTP 500)" in result.output
    assert "1 sources, 1 failed" in result.output
    result = runner.invoke(args=["sync-calendars"])  # none due: it backs off
    assert "0 sources, 0 failed" in result.output


def test_the_same_calendar_twice_for_the_same_spaces_is_refused(
    client, auth, provider, provider_manager, source, make_space
):
    auth.login(provider_manager)
    data = {"url": source.url, "space": "", "action": "add"}
    answer = client.post(page_url(provider), data=data)
    assert answer.status_code == 400
    assert "Ten kalendarz jest już podłączony do tych przestrzeni." in answer.get_data(as_text=True)
    space = make_space()
    answer = client.post(page_url(provider), data={**data, "space": space.slug})
    assert answer.status_code == 303  # for one space it is another source
    assert db.session.scalar(sa.select(sa.func.count(CalendarSource.id))) == 2
