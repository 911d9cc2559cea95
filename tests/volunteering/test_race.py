"""Many volunteers press "Zapisz się" for the last places at the same moment, over real HTTP
against a threaded server, on SQLite and PostgreSQL: capacity is never exceeded."""

from __future__ import annotations

import hashlib
import os
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.volunteering import service
from app.volunteering.models import Shift, Signup, SignupEvent, SignupStatus

pytestmark = pytest.mark.race

RACERS = 24


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _logged_in_headers(app, user) -> dict[str, str]:
    """A browser's session cookie and CSRF header for ``user``, minted as Flask would."""
    raw_csrf = hashlib.sha1(os.urandom(64)).hexdigest()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.get_id(), "_fresh": True, "csrf_token": raw_csrf}
    )
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw_csrf)
    return {
        "Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}",
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def test_concurrent_signups_for_the_last_places(
    app, live_server, make_opportunity, make_shift, make_user
):
    shift = make_shift(make_opportunity(), capacity=5)
    for _ in range(2):  # two places already taken: three are left
        service.sign_up(shift.id, user=make_user(), birth_year=1990)
    racers = [make_user() for _ in range(RACERS)]
    requests = [_logged_in_headers(app, user) for user in racers]
    db.session.commit()

    url = f"{live_server.url}/wolontariat/terminy/{shift.id}/zapis"
    body = urllib.parse.urlencode({"birth_year": "1990"}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    locations: list = []

    def race(headers):
        barrier.wait()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            locations.append(error.headers.get("Location"))

    threads = [threading.Thread(target=race, args=(h,)) for h in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses.count(302) == RACERS, (
        statuses,
        locations,
    )  # everyone got an answer, nobody a 500
    db.session.rollback()  # end the read snapshot taken before the race
    shift = db.session.get(Shift, shift.id)
    assert shift.taken == shift.capacity == 5, locations
    racer_ids = [u.id for u in racers]
    rows = db.session.scalars(sa.select(Signup).where(Signup.user_id.in_(racer_ids))).all()
    assert len(rows) == RACERS  # nothing lost, nothing doubled
    holding = [s for s in rows if s.status == SignupStatus.PENDING]
    waiting = [s for s in rows if s.status == SignupStatus.WAITLISTED]
    assert len(holding) == 3
    assert len(waiting) == RACERS - 3
    assert sorted(s.waitlist_position for s in waiting) == list(range(1, RACERS - 3 + 1))
    # Every sign-up has exactly one history entry: nothing half-written.
    events = db.session.scalar(
        sa.select(sa.func.count(SignupEvent.id)).where(
            SignupEvent.signup_id.in_([s.id for s in rows])
        )
    )
    assert events == RACERS


def test_concurrent_cancellations_promote_each_waiter_once(
    app, live_server, make_opportunity, make_shift, make_user
):
    shift = make_shift(make_opportunity(), capacity=6)
    holders = [make_user() for _ in range(6)]
    held = [service.sign_up(shift.id, user=u, birth_year=1990) for u in holders]
    waiters = [service.sign_up(shift.id, user=make_user(), birth_year=1990) for _ in range(3)]
    headers = [_logged_in_headers(app, u) for u in holders]
    db.session.commit()
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(len(holders))
    codes: list[int] = []

    def cancel(signup_id, header):
        barrier.wait()
        url = f"{live_server.url}/wolontariat/zgloszenia/{signup_id}/rezygnacja"
        request = urllib.request.Request(url, data=b"", headers=header, method="POST")
        try:
            with opener.open(request, timeout=60) as response:
                codes.append(response.status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)

    threads = [
        threading.Thread(target=cancel, args=(s.id, h)) for s, h in zip(held, headers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert codes.count(303) == len(holders), codes
    db.session.rollback()  # end the read snapshot taken before the race
    assert db.session.get(Shift, shift.id).taken == 3
    assert {db.session.get(Signup, w.id).status for w in waiters} == {SignupStatus.PENDING}
