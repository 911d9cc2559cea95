"""Issue 10 item 3: "Odwołaj z powodem" or "Odrzuć z powodem" with nothing ticked asks first
(a page with its own form, so it works without JavaScript), and changes nothing until then."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingStatus, Recurrence
from tests.spaces.conftest import next_weekday
from tests.spaces.forms_in_page import form_fields


def weekly(space, organisation, user, count=3):
    series = service.create_request(
        space,
        organisation,
        user,
        service.BookingRequest(
            purpose="Próby",
            people=5,
            first_day=next_weekday(2),
            start_time=time(17),
            end_time=time(19),
            recurrence=Recurrence.WEEKLY,
            count=count,
        ),
    )
    db.session.commit()
    return series


def statuses(series_id):
    db.session.expire_all()
    return [
        b.status
        for b in db.session.scalars(
            sa.select(Booking).where(Booking.series_id == series_id).order_by(Booking.starts_at)
        )
    ]


def test_cancelling_with_nothing_ticked_asks_first(
    client, auth, make_space, organisation, ngo_owner
):
    series = weekly(make_space(), organisation, ngo_owner)
    auth.login(ngo_owner)
    url = f"/przestrzenie/rezerwacje/{series.id}/odwolaj"
    page = client.post(url, data={"reason": "Zmiana planów"})
    assert page.status_code == 200
    assert "Odwołać całą serię (3 terminów)?" in page.text or "(3 terminy)" in page.text
    assert statuses(series.id) == [BookingStatus.PENDING] * 3
    # The question's own form (what a browser without JavaScript posts) carries the reason.
    fields = form_fields(page.text, url)
    assert fields["reason"] == ["Zmiana planów"] and fields["whole_series"] == ["1"]
    done = client.post(url, data=fields)
    assert done.status_code == 303
    assert statuses(series.id) == [BookingStatus.CANCELLED] * 3
    assert "Odwołano." in client.get(done.headers["Location"]).text


def test_cancelling_ticked_dates_needs_no_question(
    client, auth, make_space, organisation, ngo_owner
):
    series = weekly(make_space(), organisation, ngo_owner)
    first = series.occurrences[0]
    auth.login(ngo_owner)
    response = client.hx_post(
        f"/przestrzenie/rezerwacje/{series.id}/odwolaj",
        data={"reason": "Choroba", "occurrence": [str(first.id)]},
    )
    assert response.status_code == 200 and "całą serię" not in response.text
    assert statuses(series.id) == [BookingStatus.CANCELLED, *[BookingStatus.PENDING] * 2]


def test_declining_with_nothing_ticked_asks_first_with_htmx(
    client, auth, make_space, organisation, ngo_owner, provider_manager
):
    series = weekly(make_space(), organisation, ngo_owner, count=2)
    auth.login(provider_manager)
    url = f"/przestrzenie/rezerwacje/{series.id}/odrzuc"
    page = client.hx_post(url, data={"reason": "Remont"})
    assert page.status_code == 200
    assert "Odrzucić całą serię (2 oczekując" in page.text
    assert f'hx-post="{url}"' in page.text
    assert statuses(series.id) == [BookingStatus.PENDING] * 2
    client.hx_post(url, data={"reason": "Remont", "whole_series": "1"})
    assert statuses(series.id) == [BookingStatus.DECLINED] * 2
