"""Volunteer stories in the mail and in moderation: the organisation hears of a story waiting
for it, the author hears whether it was published; a published story has its own page with a
"Zgłoś" link that feeds the city's moderation queue, where staff can hide it."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.moderation.models import ContentKind, ContentReport, Hiding
from app.volunteering.stories import VolunteerStory
from tests.volunteering.work import attended


def _story(client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation):
    attended(make_shift(make_opportunity("Kwesta"), hours=2), volunteer, ngo_owner)
    auth.login(volunteer)
    sent = client.post(
        "/wolontariat/historie/moje",
        data={"organisation": organisation.id, "title": "Moja kwesta", "body": "Było super."},
    )
    assert sent.status_code == 303
    auth.logout()
    return db.session.scalar(sa.select(VolunteerStory))


def _mails(outbox, recipient, words):
    return [m for m in outbox() if m.recipient == recipient and words in m.subject]


def test_mail_on_submission_approval_and_refusal(
    client, auth, make_opportunity, make_shift, make_user, volunteer, ngo_owner, organisation,
    outbox,
):  # fmt: skip
    story = _story(client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation)
    (waiting,) = _mails(outbox, ngo_owner.email, "czeka na zatwierdzenie")
    assert "Moja kwesta" in waiting.subject
    assert f"/wolontariat/organizacja/{organisation.slug}/historie" in waiting.body
    assert not _mails(outbox, volunteer.email, "czeka na zatwierdzenie")  # not the author
    auth.login(ngo_owner)
    decision = f"/wolontariat/organizacja/{organisation.slug}/historie/{story.id}"
    assert client.post(decision, data={"decision": "publish"}).status_code == 303
    (published,) = _mails(outbox, volunteer.email, "jest opublikowana")
    assert f"/wolontariat/historie/{story.id}" in published.body
    assert client.post(decision, data={"decision": "reject"}).status_code == 303  # taken down
    (refused,) = _mails(outbox, volunteer.email, "nie jest publikowana")
    assert "/wolontariat/historie/moje" in refused.body and "poprawić" in refused.body


def test_a_reported_story_is_hidden_by_staff_and_the_author_can_answer(
    client, auth, make_opportunity, make_shift, make_user, volunteer, ngo_owner, organisation,
    staff, outbox,
):  # fmt: skip
    story = _story(client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation)
    page_url = f"/wolontariat/historie/{story.id}"
    assert client.get(page_url).status_code == 404  # not published yet
    auth.login(ngo_owner)
    client.post(
        f"/wolontariat/organizacja/{organisation.slug}/historie/{story.id}",
        data={"decision": "publish"},
    )
    auth.logout()
    board = client.get("/wolontariat/historie").text
    report_link = f'href="/zgloszenia/nowe?adres={page_url}"'
    assert report_link in board and f'href="{page_url}"' in board
    page = client.get(page_url)
    assert page.status_code == 200 and "Moja kwesta" in page.text and report_link in page.text

    reporter = make_user("czytelnik@example.org", name="Czytelnik")
    auth.login(reporter)
    reported = client.post(
        "/zgloszenia/nowe",
        data={"path": page_url, "reason": "personal_data", "message": "Nazwisko podopiecznej."},
    )
    assert reported.status_code == 303
    report = db.session.scalar(sa.select(ContentReport))
    auth.login(staff)
    queue = client.get("/zgloszenia/").text
    assert page_url in queue and 'value="hide"' in queue
    hidden = client.post(
        f"/zgloszenia/{report.id}", data={"outcome": "hide", "response": "Dane podopiecznej."}
    )
    assert hidden.status_code == 303
    db.session.refresh(story)
    assert story.hidden_at is not None
    case = db.session.scalar(sa.select(Hiding))
    assert case.kind == ContentKind.STORY and case.content_id == story.id
    assert volunteer.email in [m.recipient for m in outbox() if "ukrył treść" in m.subject]
    auth.logout()
    # Gone for the public, the board and another organisation's member.
    assert client.get(page_url).status_code == 404
    assert "Moja kwesta" not in client.get("/wolontariat/historie").text
    # The author sees why and answers; staff restore it.
    auth.login(volunteer)
    own = client.get(page_url)
    assert own.status_code == 200 and "Ukryte przez Urząd Miasta" in own.text
    assert "Dane podopiecznej." in own.text
    answered = client.post(
        f"/zgloszenia/ukryte/{case.id}/odpowiedz", data={"answer": "Usunę nazwisko."}
    )
    assert answered.status_code == 303
    auth.login(ngo_owner)  # the organisation is not the author: it cannot answer for her
    assert client.get(f"/zgloszenia/ukryte/{case.id}/odpowiedz").status_code == 403
    auth.login(staff)
    client.post(f"/zgloszenia/ukryte/{case.id}", data={"action": "restore", "note": "Dobrze."})
    auth.logout()
    assert client.get(page_url).status_code == 200


def test_erasure_removes_the_story_and_its_case(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation, staff
):
    story = _story(client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation)
    from app.moderation.service import hide_content

    hide_content(story, "Do sprawdzenia.", staff)
    db.session.commit()
    auth.login(volunteer)
    assert client.post("/wolontariat/moje-dane/usun").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Hiding.id))) == 0
    auth.login(staff)
    assert client.get("/zgloszenia/ukryte").status_code == 200
