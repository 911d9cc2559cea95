"""One private calendar link per person: rotated by its holder alone, dead when the person's role
ends (leaving, removal, account deletion), never guessable."""

from __future__ import annotations

import re

import pytest

from app.calendars.service import feed_token
from app.extensions import db
from app.organisations.models import Membership
from app.spaces.models import ProviderManager
from tests.helpers import TEST_PASSWORD


def links_on(page_text: str) -> dict[str, str]:
    """Calendar title -> its https feed URL path, from the calendar page."""
    found = {}
    for title, path in re.findall(
        r'<h2 class="card-title"[^>]*>([^<]+)</h2>.*?value="https?://[^/"]+(/[^"]+\.ics)"',
        page_text,
        re.S,
    ):
        found[title.strip()] = path
    return found


@pytest.fixture
def colleague(make_user, organisation):
    user = make_user("kolega@example.org", name="Kolega Redaktor")
    organisation.memberships.append(Membership(user=user, role="editor"))
    db.session.commit()
    return user


def test_every_member_has_an_own_link_and_rotation_breaks_only_theirs(
    client, auth, organisation, ngo_owner, colleague
):
    auth.login(ngo_owner)
    mine = links_on(client.get("/kalendarze/").text)[organisation.name]
    auth.logout()
    auth.login(colleague)
    theirs = links_on(client.get("/kalendarze/").text)[organisation.name]
    assert mine != theirs
    assert client.get(mine).status_code == 200 and client.get(theirs).status_code == 200

    rotated = client.post(
        "/kalendarze/nowy-link", data={"scope": f"organisation:{organisation.id}"}
    )
    assert rotated.status_code == 303
    page = client.get("/kalendarze/")
    assert "Utworzono nowy link. Stary przestał działać." in page.text
    renewed = links_on(page.text)[organisation.name]
    assert renewed != theirs
    assert client.get(theirs).status_code == 404  # the old URL
    assert client.get(renewed).status_code == 200
    assert client.get(mine).status_code == 200  # the colleague's link is untouched


def test_leaving_the_organisation_ends_the_link(client, auth, organisation, ngo_owner, colleague):
    auth.login(colleague)
    link = links_on(client.get("/kalendarze/").text)[organisation.name]
    membership = db.session.scalar(sa_select_membership(organisation.id, colleague.id))
    left = client.post(f"/organizacje/{organisation.slug}/czlonkowie/{membership.id}/usun")
    assert left.status_code == 303
    assert client.get(link).status_code == 404
    # Joining again later does not bring the old link back.
    organisation.memberships.append(Membership(user=colleague, role="editor"))
    db.session.commit()
    assert client.get(link).status_code == 404


def test_an_owner_removing_a_member_ends_that_members_link(
    client, auth, organisation, ngo_owner, colleague
):
    link = f"/kalendarze/prywatny/{feed_token(f'organisation:{organisation.id}', colleague.id)}.ics"
    own = f"/kalendarze/prywatny/{feed_token(f'organisation:{organisation.id}', ngo_owner.id)}.ics"
    db.session.commit()
    auth.login(ngo_owner)
    membership = db.session.scalar(sa_select_membership(organisation.id, colleague.id))
    client.post(f"/organizacje/{organisation.slug}/czlonkowie/{membership.id}/usun")
    assert client.get(link).status_code == 404
    assert client.get(own).status_code == 200


def test_a_link_stops_when_the_role_is_gone_whatever_removed_it(
    client, organisation, colleague, provider, provider_manager
):
    """The feed checks the holder's role on every request, so even a membership removed outside
    the service (a database fix, a future code path) takes the link with it."""
    org_link = (
        f"/kalendarze/prywatny/{feed_token(f'organisation:{organisation.id}', colleague.id)}.ics"
    )
    provider_link = (
        f"/kalendarze/prywatny/{feed_token(f'provider:{provider.id}', provider_manager.id)}.ics"
    )
    db.session.commit()
    assert client.get(org_link).status_code == 200
    assert client.get(provider_link).status_code == 200
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == colleague.id))
    db.session.execute(
        ProviderManager.__table__.delete().where(ProviderManager.user_id == provider_manager.id)
    )
    db.session.commit()
    assert client.get(org_link).status_code == 404
    assert client.get(provider_link).status_code == 404


def test_removing_a_manager_ends_their_provider_link(
    client, auth, staff, provider, provider_manager, make_user
):
    other = make_user("wicedyrektor@example.org", name="Wicedyrektor")
    provider.managers.append(ProviderManager(user=other))
    db.session.commit()
    link = f"/kalendarze/prywatny/{feed_token(f'provider:{provider.id}', provider_manager.id)}.ics"
    kept = f"/kalendarze/prywatny/{feed_token(f'provider:{provider.id}', other.id)}.ics"
    db.session.commit()
    auth.login(staff)
    removed = client.post(
        f"/przestrzenie/udostepniajacy/{provider.slug}/zarzadzajacy/{provider_manager.id}/usun"
    )
    assert removed.status_code == 303
    assert client.get(link).status_code == 404
    assert client.get(kept).status_code == 200


def test_deleting_the_account_ends_every_link(client, auth, organisation, colleague):
    auth.login(colleague)
    links = links_on(client.get("/kalendarze/").text)
    assert len(links) == 2  # own volunteering calendar and the organisation's bookings
    deleted = client.post("/konto/usun", data={"password": TEST_PASSWORD, "confirm": "y"})
    assert deleted.status_code in (302, 303), deleted.text
    for link in links.values():
        assert client.get(link).status_code == 404


def test_volunteers_rotate_their_own_link_and_nobody_elses(client, auth, volunteer, make_user):
    auth.login(volunteer)
    page = client.get("/kalendarze/")
    old = links_on(page.text)["Mój wolontariat"]
    assert client.get(old).status_code == 200
    client.post("/kalendarze/nowy-link", data={"scope": f"volunteer:{volunteer.id}"})
    new = links_on(client.get("/kalendarze/").text)["Mój wolontariat"]
    assert new != old and client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # The sign-ups page shows the same, new link.
    assert new in client.get("/wolontariat/moje").text
    stranger = make_user("obcy@example.org")
    for scope in (f"volunteer:{stranger.id}", "organisation:1", "provider:1", "nonsense"):
        assert client.post("/kalendarze/nowy-link", data={"scope": scope}).status_code == 403


@pytest.mark.parametrize(
    "language, phrases",
    [
        (
            "pl",
            ["Subskrybuj w aplikacji kalendarza", "Dodaj do Google Calendar", "co kilka godzin"],
        ),
        ("en", ["Subscribe in your calendar app", "Add to Google Calendar", "every few hours"]),
        ("uk", ["Google Calendar", "Thunderbird", "Apple"]),
    ],
)
def test_the_calendar_page_subscribes_in_one_step(client, auth, volunteer, language, phrases):
    auth.login(volunteer)
    page = client.get("/kalendarze/", headers={"Accept-Language": language}).text
    for phrase in phrases:
        assert phrase in page
    assert 'href="webcal://' in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert "https://outlook.live.com/calendar/0/addfromweb?url=http" in page
    assert 'data-copy="' in page


def test_the_space_page_offers_its_public_feed(client, provider):
    from app.spaces.models import Space

    db.session.add(Space(provider=provider, name="Sala 2", slug="sala-2", capacity=10))
    db.session.commit()
    page = client.get("/przestrzenie/sala/sala-2").text
    assert 'href="webcal://localhost/kalendarze/przestrzen/sala-2.ics"' in page


def sa_select_membership(organisation_id: int, user_id: int):
    import sqlalchemy as sa

    return sa.select(Membership).where(
        Membership.organisation_id == organisation_id, Membership.user_id == user_id
    )
