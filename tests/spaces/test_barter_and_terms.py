"""Barter ledger per NGO–provider pair, and re-confirmation of standing bookings each term."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from click.testing import CliRunner

from app.extensions import db
from app.spaces import service
from app.spaces.models import Booking, BookingStatus, Recurrence, TermsKind
from tests.spaces.conftest import next_weekday


def test_barter_ledger_owed_delivered_outstanding(
    client,
    auth,
    make_space,
    make_booking,
    organisation,
    provider,
    provider_manager,
    ngo_owner,
    outbox,
):
    room = make_space(
        "Sala 12",
        terms=TermsKind.BARTER,
        barter_terms="1 h zajęć dla uczniów za 1 h sali",
        barter_hours_per_hour=Decimal("0.5"),
    )
    past = next_weekday(2) - timedelta(weeks=3)
    make_booking(room, organisation, past, time(16), time(20))  # 4 h used -> 2 h owed
    make_booking(room, organisation, next_weekday(2), time(16), time(18))  # upcoming 1 h
    make_booking(room, organisation, past, time(10), time(12), status=BookingStatus.CANCELLED)
    auth.login(provider_manager)
    url = f"/przestrzenie/barter/{provider.slug}/{organisation.slug}"
    bad = client.post(url, data={"day": past.isoformat(), "hours": "-1", "description": ""})
    assert bad.status_code == 400
    ok = client.post(
        url,
        data={
            "day": past.isoformat(),
            "hours": "1.5",
            "description": "Warsztaty plastyczne dla klasy 3b",
        },
    )
    assert ok.status_code == 303
    told = [m for m in outbox() if m.topic and m.topic.startswith("barter-delivery")]
    assert told[0].recipient == ngo_owner.email and "Do zrealizowania: 0,5" in told[0].body
    ledger = service.barter_ledger(provider, organisation)
    assert (ledger.owed, ledger.delivered, ledger.outstanding, ledger.upcoming) == (
        Decimal("2.00"),
        Decimal("1.50"),
        Decimal("0.50"),
        Decimal("1.00"),
    )
    # The NGO sees the same ledger but cannot record deliveries.
    auth.login(ngo_owner)
    page = client.get(url)
    assert page.status_code == 200 and "Warsztaty plastyczne" in page.text and "0,5" in page.text
    assert (
        client.post(
            url, data={"day": past.isoformat(), "hours": "9", "description": "x"}
        ).status_code
        == 403
    )
    auth.login(provider_manager)
    partners = client.get(f"/przestrzenie/udostepniajacy/{provider.slug}/barter")
    assert organisation.name in partners.text


def test_standing_bookings_are_reconfirmed_each_term(
    app, make_space, organisation, ngo_owner, provider_manager, outbox
):
    room = make_space(max_days_ahead=500, min_notice_hours=0)
    today = date.today()
    first = next_weekday(1)
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Koło robotyki",
            10,
            first,
            time(16),
            time(18),
            recurrence=Recurrence.WEEKLY,
            count=20,
        ),
    )
    service.approve(series.occurrences, provider_manager)
    series.confirmed_term = "2000-Z"  # confirmed for an old term
    db.session.commit()
    runner = CliRunner()
    result = runner.invoke(app.cli, ["spaces", "reconfirm", "--today", today.isoformat()])
    assert "asked: 1, released: 0" in result.output
    asked = [m for m in outbox() if m.topic and m.topic.startswith("reconfirm:")]
    assert len(asked) == 1 and ngo_owner.email == asked[0].recipient
    # Running again the same day asks nobody twice.
    again = runner.invoke(app.cli, ["spaces", "reconfirm", "--today", today.isoformat()])
    assert "asked: 0, released: 0" in again.output
    # Two weeks and a day later, unconfirmed future occurrences are released with notice.
    later = today + timedelta(days=service.RECONFIRM_DAYS + 1)
    released = runner.invoke(app.cli, ["spaces", "reconfirm", "--today", later.isoformat()])
    assert "released: 1" in released.output
    db.session.expire_all()
    statuses = [
        b.status for b in db.session.scalars(db.select(Booking).order_by(Booking.starts_at))
    ]
    assert BookingStatus.RELEASED in statuses
    assert any(
        m.topic.startswith("booking-released") and m.recipient == provider_manager.email
        for m in outbox()
    )


def test_confirming_keeps_the_booking(
    client, auth, make_space, organisation, ngo_owner, provider_manager
):
    room = make_space()
    series = service.create_request(
        room,
        organisation,
        ngo_owner,
        service.BookingRequest(
            "Chór",
            10,
            next_weekday(1),
            time(16),
            time(18),
            recurrence=Recurrence.WEEKLY,
            count=3,
        ),
    )
    service.approve(series.occurrences, provider_manager)
    series.confirmed_term = "2000-Z"
    db.session.commit()
    service.run_reconfirmation()
    auth.login(ngo_owner)
    page = client.get(f"/przestrzenie/rezerwacje/{series.id}")
    assert "Potwierdź stałą rezerwację" in page.text
    assert client.post(f"/przestrzenie/rezerwacje/{series.id}/potwierdz-semestr").status_code == 303
    db.session.expire_all()
    assert service.run_reconfirmation(today=date.today() + timedelta(days=30))["released"] == 0


def test_barter_surplus_is_a_credit_and_the_ratio_is_shown_in_polish_numbers(
    client, auth, make_space, make_booking, organisation, provider, provider_manager, ngo_owner
):
    """Issue 10 item 6: more delivered than owed read "0"; the NGO never saw the ratio."""
    room = make_space(
        "Sala 12",
        terms=TermsKind.BARTER,
        barter_terms="1,5 h warsztatów za godzinę sali",
        barter_hours_per_hour=Decimal("1.5"),
    )
    past = next_weekday(2) - timedelta(weeks=3)
    make_booking(room, organisation, past, time(16), time(18))  # 2 h used -> 3 h owed
    auth.login(provider_manager)
    url = f"/przestrzenie/barter/{provider.slug}/{organisation.slug}"
    client.post(url, data={"day": past.isoformat(), "hours": "4.5", "description": "Warsztaty"})
    auth.login(ngo_owner)
    page = client.get(url).text
    assert "Sala 12: 1,5 h zajęć za każdą godzinę korzystania." in page
    assert "1,5 h warsztatów za godzinę sali" in page
    assert "Nadwyżka (na poczet kolejnych rezerwacji)</dt><dd>1,5</dd>" in page
    assert "Do zrealizowania" not in page
    assert "<td>4,5</td>" in page


def test_provider_withdraws_a_double_entry_with_a_reason_and_the_ledger_follows(
    client, auth, make_space, make_booking, organisation, provider, provider_manager, ngo_owner
):
    """Issue 10 item 6: a double submit stayed in the ledger forever."""
    room = make_space("Sala 12", terms=TermsKind.BARTER, barter_hours_per_hour=Decimal("1"))
    past = next_weekday(2) - timedelta(weeks=3)
    make_booking(room, organisation, past, time(16), time(18))  # 2 h owed
    auth.login(provider_manager)
    url = f"/przestrzenie/barter/{provider.slug}/{organisation.slug}"
    entry = {"day": past.isoformat(), "hours": "2", "description": "Warsztaty"}
    client.post(url, data=entry)
    client.post(url, data=entry)  # the double submit
    assert service.barter_ledger(provider, organisation).delivered == Decimal("4")
    from app.spaces.models import BarterDelivery

    second = db.session.query(BarterDelivery).order_by(BarterDelivery.id.desc()).first()
    withdraw = f"{url}/{second.id}/wycofaj"
    refused = client.post(withdraw, data={"reason": " "})
    assert refused.status_code == 422 and "Podaj powód wycofania wpisu." in refused.text
    done = client.post(withdraw, data={"reason": "Zapisane dwa razy"}, follow_redirects=True)
    assert "Wpis wycofano." in done.text
    db.session.expire_all()
    ledger = service.barter_ledger(provider, organisation)
    assert (ledger.delivered, ledger.outstanding, ledger.credit) == (Decimal("2"), 0, 0)
    # Both sides see what was withdrawn, by whom and why; the NGO cannot withdraw.
    auth.login(ngo_owner)
    page = client.get(url).text
    assert "Zapisane dwa razy" in page and provider_manager.name in page and "<del>2</del>" in page
    assert client.post(withdraw, data={"reason": "x"}).status_code == 403
