"""Volunteer stories: opt-in, written by the volunteer about an organisation that confirmed
their hours, public only after that organisation (or staff) approves, withdrawable."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.volunteering.stories import StoryStatus, VolunteerStory
from tests.volunteering.work import attended


def _worked(make_opportunity, make_shift, volunteer, ngo_owner):
    attended(make_shift(make_opportunity("Kwesta"), hours=2), volunteer, ngo_owner)


def test_story_is_public_only_after_approval_and_can_be_withdrawn(
    client, auth, make_opportunity, make_shift, make_user, make_organisation, volunteer,
    ngo_owner, organisation, staff,
):  # fmt: skip
    auth.login(volunteer)
    assert (
        "gdy organizacja potwierdzi Twoje godziny" in client.get("/wolontariat/historie/moje").text
    )
    _worked(make_opportunity, make_shift, volunteer, ngo_owner)
    other = make_organisation("Inna Fundacja", owner=make_user(name="Ktoś Inny"))
    url = "/wolontariat/historie/moje"
    empty = client.post(url, data={"organisation": organisation.id, "title": "", "body": ""})
    assert empty.status_code == 400 and "Podaj tytuł historii." in empty.text
    elsewhere = client.post(url, data={"organisation": other.id, "title": "T", "body": "B"})
    assert elsewhere.status_code == 400 and "potwierdziła Twoje godziny" in elsewhere.text
    body = "Pierwsza kwesta.\n\n<script>alert(1)</script> Było super!"
    sent = client.post(
        url, data={"organisation": organisation.id, "title": "Moja kwesta", "body": body}
    )
    assert sent.status_code == 303
    story = db.session.scalar(sa.select(VolunteerStory))
    assert story.status == StoryStatus.PENDING and story.author_name == "Ola"
    assert "Moja kwesta" not in client.get("/wolontariat/historie").text  # not yet
    decision = f"/wolontariat/organizacja/{organisation.slug}/historie/{story.id}"
    assert client.post(decision, data={"decision": "publish"}).status_code == 403
    auth.logout()

    auth.login(ngo_owner)
    queue = client.get(f"/wolontariat/organizacja/{organisation.slug}/historie").text
    assert "Moja kwesta" in queue and "&lt;script&gt;" in queue and "<script>alert" not in queue
    assert client.post(decision, data={"decision": "publish"}).status_code == 303
    auth.logout()
    board = client.get("/wolontariat/historie").text
    assert "Moja kwesta" in board and "Ola o organizacji Fundacja Razem" in board

    auth.login(staff)  # city staff can take a story down
    assert client.post(decision, data={"decision": "reject"}).status_code == 303
    assert "Moja kwesta" not in client.get("/wolontariat/historie").text
    auth.logout()

    auth.login(volunteer)
    assert client.post(f"/wolontariat/historie/{story.id}/wycofaj").status_code == 303
    db.session.expire_all()
    assert db.session.get(VolunteerStory, story.id).status == StoryStatus.WITHDRAWN
    auth.logout()
    auth.login(ngo_owner)
    assert client.post(decision, data={"decision": "publish"}).status_code == 409
    auth.logout()
    # Another organisation's member sees and decides nothing; nobody else withdraws it.
    auth.login(
        db.session.scalar(sa.select(type(volunteer)).where(type(volunteer).name == "Ktoś Inny"))
    )
    assert client.get(f"/wolontariat/organizacja/{organisation.slug}/historie").status_code == 403
    assert (
        client.post(
            f"/wolontariat/organizacja/{other.slug}/historie/{story.id}",
            data={"decision": "publish"},
        ).status_code
        == 404
    )
    assert client.post(f"/wolontariat/historie/{story.id}/wycofaj").status_code == 404


def test_erasing_volunteering_data_deletes_stories(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    _worked(make_opportunity, make_shift, volunteer, ngo_owner)
    auth.login(volunteer)
    client.post(
        "/wolontariat/historie/moje",
        data={"organisation": organisation.id, "title": "T", "body": "B"},
    )
    assert db.session.scalar(sa.select(sa.func.count(VolunteerStory.id))) == 1
    client.post("/wolontariat/moje-dane/usun")
    assert db.session.scalar(sa.select(sa.func.count(VolunteerStory.id))) == 0
