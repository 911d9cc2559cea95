"""City staff hide an opportunity, a profile or a space with a reason; the owner sees it and
answers; staff restore or keep it hidden. Hidden content is gone for the public everywhere."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.extensions import db
from app.moderation.models import ContentReport, Hiding, HidingStatus, ReportStatus
from app.spaces.models import OpeningHours, Space
from app.volunteering.models import Opportunity, OpportunityKind, OpportunityStatus, Shift


@pytest.fixture
def opportunity(organisation):
    offer = Opportunity(
        organisation=organisation,
        title="Sprzątanie Wisły",
        description="Zbieramy śmieci nad rzeką.",
        sphere="ecology",
        kind=OpportunityKind.ONE_OFF,
        status=OpportunityStatus.PUBLISHED,
        published_at=utcnow(),
        district="rubinkowo",
    )
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    offer.shifts.append(Shift(starts_at=start, ends_at=start + timedelta(hours=2), capacity=5))
    db.session.add(offer)
    db.session.commit()
    return offer


@pytest.fixture
def space(provider):
    room = Space(provider=provider, name="Sala Widokowa", slug="sala-widokowa", capacity=20)
    room.district = "rubinkowo"
    for weekday in range(7):
        room.opening_hours.append(OpeningHours(weekday=weekday, opens=time(8), closes=time(20)))
    db.session.add(room)
    db.session.commit()
    return room


def hide(client, kind, content_id, reason="Nieprawdziwe informacje w opisie"):
    return client.post(f"/zgloszenia/ukryj/{kind}/{content_id}", data={"reason": reason})


def public_places(client, kind, content):
    """What the public sees of the content: page, list, search, open data (and feeds)."""
    if kind == "opportunity":
        return {
            "page": client.get(f"/wolontariat/oferty/{content.id}").status_code,
            "list": "Sprzątanie Wisły" in client.get("/wolontariat/").text,
            "search": "Sprzątanie Wisły" in client.get("/szukaj/?q=Wisły").text,
            "feed": "Sprzątanie Wisły" in client.get("/wolontariat/kalendarz.ics").text,
            "atom": "Sprzątanie Wisły" in client.get("/wolontariat/nowe.atom").text,
            "open data": "Sprzątanie Wisły"
            in client.get("/otwarte-dane/oferty-wolontariatu.json").text,
        }
    if kind == "organisation":
        name = content.name
        records = json.loads(client.get("/organizacje/otwarte-dane.json").text)["organisations"]
        return {
            "page": client.get(f"/organizacje/{content.slug}").status_code,
            "list": name in client.get("/organizacje/").text,
            "search": name in client.get(f"/szukaj/?q={name.split()[-1]}").text,
            "open data": any(r["name"] == name for r in records),
        }
    return {
        "page": client.get(f"/przestrzenie/sala/{content.slug}").status_code,
        "list": "Sala Widokowa" in client.get("/przestrzenie/").text,
        "search": "Sala Widokowa" in client.get("/szukaj/?q=Widokowa").text,
        "feed": client.get(f"/kalendarze/przestrzen/{content.slug}.ics").status_code,
        "open data": "Sala Widokowa" in client.get("/otwarte-dane/przestrzenie.json").text,
    }


VISIBLE = {
    "opportunity": {
        "page": 200,
        "list": True,
        "search": True,
        "feed": True,
        "atom": True,
        "open data": True,
    },
    "organisation": {"page": 200, "list": True, "search": True, "open data": True},
    "space": {"page": 200, "list": True, "search": True, "feed": 200, "open data": True},
}


def gone(kind):
    return {k: (False if isinstance(v, bool) else 404) for k, v in VISIBLE[kind].items()}


@pytest.mark.parametrize("kind", ["opportunity", "organisation", "space"])
def test_hide_answer_restore(
    kind, client, auth, staff, ngo_owner, provider_manager, volunteer, outbox, request
):
    content = request.getfixturevalue(kind)
    owner = provider_manager if kind == "space" else ngo_owner
    assert public_places(client, kind, content) == VISIBLE[kind]

    auth.login(staff)
    form = client.get(f"/zgloszenia/ukryj/{kind}/{content.id}")
    assert form.status_code == 200
    missing = hide(client, kind, content.id, reason="")
    assert missing.status_code == 400 and "Podaj powód" in missing.text
    assert hide(client, kind, content.id).status_code == 303
    db.session.refresh(content)
    assert content.hidden_at is not None

    # The public, a logged-in stranger: gone everywhere.
    client.post("/konto/wyloguj")
    assert public_places(client, kind, content) == gone(kind)
    auth.login(volunteer)
    assert public_places(client, kind, content)["page"] == 404

    # The owner and staff see the page with the banner and the reason.
    auth.login(owner)
    page = client.get(public_url(kind, content))
    assert page.status_code == 200 and "Ukryte przez Urząd Miasta" in page.text
    assert "Nieprawdziwe informacje w opisie" in page.text
    hidden_mail = [m for m in outbox() if "ukrył" in m.subject]
    assert [m.recipient for m in hidden_mail] == [owner.email]

    case = db.session.scalar(sa.select(Hiding))
    empty = client.post(f"/zgloszenia/ukryte/{case.id}/odpowiedz", data={"answer": " "})
    assert empty.status_code == 400 and "Napisz odpowiedź" in empty.text
    answered = client.post(
        f"/zgloszenia/ukryte/{case.id}/odpowiedz", data={"answer": "Poprawiliśmy opis."}
    )
    assert answered.status_code == 303
    db.session.refresh(case)
    assert case.status == HidingStatus.ANSWERED

    auth.login(staff)
    assert "Ukryte przez Urząd Miasta" in client.get(public_url(kind, content)).text
    queue = client.get("/zgloszenia/ukryte").text
    assert "Poprawiliśmy opis." in queue and "właściciel odpowiedział" in queue
    assert "Ukryte treści" in client.get("/urzad/").text
    kept = client.post(f"/zgloszenia/ukryte/{case.id}", data={"action": "keep", "note": ""})
    assert kept.status_code == 422 and "dlaczego treść pozostaje ukryta" in kept.text
    assert (
        client.post(f"/zgloszenia/ukryte/{case.id}", data={"action": "restore"}).status_code == 303
    )
    db.session.refresh(content)
    assert content.hidden_at is None
    assert [m.recipient for m in outbox() if "znowu widoczna" in m.subject] == [owner.email]

    client.post("/konto/wyloguj")
    assert public_places(client, kind, content) == VISIBLE[kind]
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["moderation.hidden", "moderation.answered", "moderation.restored"]


def public_url(kind, content):
    return {
        "opportunity": f"/wolontariat/oferty/{content.id}",
        "organisation": f"/organizacje/{getattr(content, 'slug', '')}",
        "space": f"/przestrzenie/sala/{getattr(content, 'slug', '')}",
    }[kind]


def test_staff_keep_it_hidden_and_the_owner_hears_why(
    client, auth, staff, ngo_owner, opportunity, outbox
):
    auth.login(staff)
    hide(client, "opportunity", opportunity.id)
    case = db.session.scalar(sa.select(Hiding))
    response = client.post(
        f"/zgloszenia/ukryte/{case.id}", data={"action": "keep", "note": "Opis nadal mylący."}
    )
    assert response.status_code == 303
    db.session.refresh(opportunity)
    assert opportunity.hidden_at is not None
    mail = [m for m in outbox() if "pozostaje ukryta" in m.subject]
    assert [m.recipient for m in mail] == [ngo_owner.email] and "Opis nadal mylący." in mail[0].body
    auth.login(ngo_owner)
    assert "Opis nadal mylący." in client.get(f"/wolontariat/oferty/{opportunity.id}").text
    # Hidden content takes no sign-ups, even from its own organisation.
    shift = opportunity.shifts[0]
    assert client.get(f"/wolontariat/terminy/{shift.id}/zapis").status_code in (403, 404)


def test_a_report_hides_what_it_reports(
    client, auth, staff, make_user, ngo_owner, opportunity, outbox
):
    reporter = make_user("zglaszajacy@example.org", name="Zgłaszający")
    auth.login(reporter)
    client.post(
        "/zgloszenia/nowe",
        data={
            "path": f"/wolontariat/oferty/{opportunity.id}",
            "reason": "spam",
            "message": "To reklama sklepu.",
        },
    )
    report = db.session.scalar(sa.select(ContentReport))
    auth.login(staff)
    queue = client.get("/zgloszenia/").text
    assert 'value="hide"' in queue
    response = client.post(
        f"/zgloszenia/{report.id}", data={"outcome": "hide", "response": "Reklama, nie oferta."}
    )
    assert response.status_code == 303
    db.session.refresh(opportunity)
    db.session.refresh(report)
    assert opportunity.hidden_at is not None and report.status == ReportStatus.HANDLED
    case = db.session.scalar(sa.select(Hiding))
    assert case.report_id == report.id and case.reason == "Reklama, nie oferta."
    recipients = sorted(m.recipient for m in outbox())
    assert recipients == sorted([reporter.email, ngo_owner.email])
    # Restored after the owner's answer: the reporter hears it too.
    client.post(f"/zgloszenia/ukryte/{case.id}", data={"action": "restore", "note": "Poprawione."})
    assert reporter.email in [m.recipient for m in outbox() if "znowu widoczna" in m.subject]


def test_only_staff_hide_and_decide(
    client, auth, ngo_owner, volunteer, provider_manager, opportunity, staff
):
    for user in (None, volunteer, ngo_owner, provider_manager):
        if user is None:
            client.post("/konto/wyloguj")
        else:
            auth.login(user)
        response = hide(client, "opportunity", opportunity.id)
        assert response.status_code in (302, 303, 403)
        assert client.get("/zgloszenia/ukryte").status_code in (302, 303, 403)
    db.session.refresh(opportunity)
    assert opportunity.hidden_at is None
    auth.login(staff)
    hide(client, "opportunity", opportunity.id)
    case = db.session.scalar(sa.select(Hiding))
    for user in (volunteer, ngo_owner):
        auth.login(user)
        assert (
            client.post(f"/zgloszenia/ukryte/{case.id}", data={"action": "restore"}).status_code
            == 403
        )
    # Only the owner answers: a stranger may not.
    auth.login(volunteer)
    answer = client.post(f"/zgloszenia/ukryte/{case.id}/odpowiedz", data={"answer": "Nie!"})
    assert answer.status_code == 403
    db.session.refresh(case)
    assert case.status == HidingStatus.HIDDEN and case.answer == ""
