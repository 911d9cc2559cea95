"""Organisation profiles: creating, editing by members only, projects, offers, verification,
and the "last updated" / stale flag."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.db import utcnow
from app.extensions import db
from app.organisations import service
from app.organisations.models import MemberRole, Membership, Organisation
from tests.helpers import Browser, race
from tests.organisations.conftest import profile_form


def test_profile_page_shows_public_profile(client, make_organisation_profile):
    organisation = make_organisation_profile(
        "Fundacja Złota Jesień",
        krs="0000111222",
        areas=["seniors"],
        competences=["praca z seniorami"],
        districts=["rubinkowo"],
        offers=[("space", "Sala na spotkania")],
        projects=["Senior w sieci"],
        short_description="Wspieramy seniorów.",
    )
    page = client.get(f"/organizacje/{organisation.slug}").text
    for text in (
        "Fundacja Złota Jesień",
        "0000111222",
        "Działalność na rzecz osób w wieku emerytalnym",
        "praca z seniorami",
        "Rubinkowo",
        "Sala na spotkania",
        "Senior w sieci",
        "Ostatnia aktualizacja profilu",
    ):
        assert text in page
    assert "Edytuj profil" not in page
    assert client.get("/organizacje/nie-ma-takiej").status_code == 404


def test_logged_in_user_creates_organisation_and_becomes_owner(client, auth, volunteer):
    auth.login(volunteer)
    response = client.post(
        "/organizacje/nowa",
        data={"name": "Stowarzyszenie Nowe", "legal_form": "association", "krs": "0000999888"},
    )
    assert response.status_code == 303
    organisation = db.session.scalar(
        sa.select(Organisation).where(Organisation.krs == "0000999888")
    )
    assert organisation.slug == "stowarzyszenie-nowe"
    assert organisation.memberships[0].user_id == volunteer.id
    assert organisation.memberships[0].role == MemberRole.OWNER
    assert not organisation.is_verified


def test_duplicate_krs_points_to_the_existing_profile(
    client, auth, volunteer, make_organisation_profile
):
    existing = make_organisation_profile("Fundacja Stara", krs="0000999888")
    auth.login(volunteer)
    response = client.post(
        "/organizacje/nowa",
        data={"name": "Fundacja Nowa", "legal_form": "foundation", "krs": "0000999888"},
    )
    assert response.status_code == 400
    assert "już w bazie" in response.text
    assert f"/organizacje/{existing.slug}" in response.text
    assert 'value="Fundacja Nowa"' in response.text


def test_member_edits_profile_and_last_updated_moves(
    client, auth, ngo_owner, make_organisation_profile
):
    with freeze_time("2025-01-10 12:00:00"):
        organisation = make_organisation_profile("Fundacja Razem", owner=ngo_owner)
    auth.login(ngo_owner)
    response = client.post(
        f"/organizacje/{organisation.slug}/edycja",
        data=profile_form(
            organisation,
            nip="526-025-02-74",
            areas=["seniors", "health"],
            districts=["mokre", "podgorz"],
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/organizacje/{organisation.slug}"
    db.session.refresh(organisation)
    assert organisation.nip == "5260250274"
    assert sorted(organisation.area_codes) == ["health", "seniors"]
    assert organisation.district_codes == ["mokre", "podgorz"]
    assert organisation.tag_list == ["szachy", "rękodzieło"]
    assert utcnow() - organisation.profile_updated_at < timedelta(minutes=5)


def test_invalid_profile_is_shown_again_with_errors_and_values(
    client, auth, ngo_owner, make_organisation_profile
):
    organisation = make_organisation_profile("Fundacja Razem", owner=ngo_owner)
    auth.login(ngo_owner)
    data = profile_form(organisation, nip="5260250275", regon="123", postcode="87100")
    response = client.post(f"/organizacje/{organisation.slug}/edycja", data=data)
    assert response.status_code == 400
    assert "błędną cyfrę kontrolną" in response.text
    assert "REGON ma 9 albo 14 cyfr" in response.text
    assert 'value="5260250275"' in response.text
    fragment = client.hx_post(f"/organizacje/{organisation.slug}/edycja", data=data)
    assert fragment.status_code == 422
    assert "<html" not in fragment.text and "error-summary" in fragment.text


def test_member_of_one_organisation_cannot_edit_another(
    client, auth, make_user, make_organisation_profile
):
    owner_a = make_user("a@example.org")
    a = make_organisation_profile("Fundacja A", owner=owner_a)
    b = make_organisation_profile("Fundacja B", owner=make_user("b@example.org"))
    auth.login(owner_a)
    assert client.get(f"/organizacje/{a.slug}/edycja").status_code == 200
    assert client.get(f"/organizacje/{b.slug}/edycja").status_code == 403
    response = client.post(f"/organizacje/{b.slug}/edycja", data=profile_form(b, name="Przejęta"))
    assert response.status_code == 403
    db.session.refresh(b)
    assert b.name == "Fundacja B"
    assert (
        client.post(
            f"/organizacje/{b.slug}/projekty/nowy", data={"title": "X", "year_start": "2024"}
        ).status_code
        == 403
    )


def test_anonymous_visitor_is_sent_to_login(client, make_organisation_profile):
    organisation = make_organisation_profile("Fundacja A")
    response = client.get(f"/organizacje/{organisation.slug}/edycja")
    assert response.status_code == 302
    assert "/konto/logowanie" in response.headers["Location"]


def test_editor_adds_edits_and_deletes_projects_and_offers(
    client, auth, make_user, make_organisation_profile
):
    editor = make_user()
    organisation = make_organisation_profile("Fundacja A", owner=make_user(), editors=[editor])
    auth.login(editor)
    slug = organisation.slug
    response = client.post(
        f"/organizacje/{slug}/projekty/nowy",
        data={"title": "Czysta Wisła", "year_start": "2023", "year_end": "2025",
              "funder": "grant Gminy Miasta Toruń", "link": "", "description": "Sprzątamy."},
    )  # fmt: skip
    assert response.status_code == 303
    project = organisation.projects[0]
    assert (project.title, project.years) == ("Czysta Wisła", "2023–2025")
    bad = client.post(
        f"/organizacje/{slug}/projekty/{project.id}",
        data={"title": "Czysta Wisła", "year_start": "2025", "year_end": "2020"},
    )
    assert bad.status_code == 400 and "nie może być wcześniejszy" in bad.text
    client.post(
        f"/organizacje/{slug}/oferty/nowa",
        data={"kind": "service", "title": "Porady księgowe", "description": "Raz w tygodniu."},
    )
    db.session.expire_all()
    assert [o.title for o in organisation.offers] == ["Porady księgowe"]
    assert (
        client.post(
            f"/organizacje/{slug}/oferty/nowa", data={"kind": "zzz", "title": "X"}
        ).status_code
        == 400
    )
    client.post(f"/organizacje/{slug}/projekty/{project.id}/usun")
    client.post(f"/organizacje/{slug}/oferty/{organisation.offers[0].id}/usun")
    db.session.expire_all()
    assert organisation.projects == [] and organisation.offers == []


def test_project_of_another_organisation_is_not_found(
    client, auth, make_user, make_organisation_profile
):
    owner = make_user()
    mine = make_organisation_profile("Fundacja A", owner=owner)
    other = make_organisation_profile("Fundacja B", owner=make_user(), projects=["Cudzy projekt"])
    auth.login(owner)
    project_id = other.projects[0].id
    assert client.get(f"/organizacje/{mine.slug}/projekty/{project_id}").status_code == 404
    assert client.post(f"/organizacje/{mine.slug}/projekty/{project_id}/usun").status_code == 404


def test_only_staff_verify_organisations(client, auth, staff, ngo_owner, make_organisation_profile):
    organisation = make_organisation_profile("Fundacja A", owner=ngo_owner)
    url = f"/urzad/weryfikacja/{organisation.slug}"
    auth.login(ngo_owner)
    assert client.post(url, data={"action": "approve"}).status_code == 403
    # The old one-click route is gone: verification goes through the request flow.
    auth.login(staff)
    old = client.post(f"/organizacje/{organisation.slug}/weryfikacja", data={"verified": "1"})
    assert old.status_code in (404, 405)
    db.session.refresh(organisation)
    assert not organisation.is_verified
    client.post(url, data={"action": "approve"})
    db.session.refresh(organisation)
    assert organisation.is_verified
    assert (
        "zweryfikowana przez Urząd Miasta" in client.get(f"/organizacje/{organisation.slug}").text
    )


def test_stale_profile_is_flagged_to_members_only(
    client, auth, ngo_owner, make_organisation_profile
):
    organisation = make_organisation_profile("Fundacja A", owner=ngo_owner)
    organisation.profile_updated_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert "nie był aktualizowany" not in client.get(f"/organizacje/{organisation.slug}").text
    auth.login(ngo_owner)
    assert "nie był aktualizowany" in client.get(f"/organizacje/{organisation.slug}").text
    assert "wymaga aktualizacji" in client.get("/organizacje/moje").text


def test_stale_owners_are_emailed_once_per_stale_period(
    app, outbox, make_user, make_organisation_profile
):
    owner = make_user("owner@example.org")
    fresh = make_organisation_profile("Fundacja Świeża", owner=make_user())
    stale = make_organisation_profile("Fundacja Zapomniana", owner=owner)
    stale.profile_updated_at = utcnow() - timedelta(days=370)
    db.session.commit()
    with app.test_request_context():
        assert service.notify_stale_owners() == 1
        assert service.notify_stale_owners() == 0
    [message] = outbox()
    assert message.recipient == "owner@example.org"
    assert "Fundacja Zapomniana" in message.subject
    assert f"/organizacje/{stale.slug}/edycja" in message.body
    assert fresh.stale_notified_at is None


def test_staff_manage_the_competence_list(
    client, auth, staff, volunteer, make_organisation_profile
):
    auth.login(volunteer)
    assert client.get("/organizacje/kompetencje").status_code == 403
    auth.login(staff)
    assert client.post("/organizacje/kompetencje", data={"name": "księgowość"}).status_code == 303
    again = client.post("/organizacje/kompetencje", data={"name": "księgowość"})
    assert again.status_code == 400 and "już jest na liście" in again.text
    competence = service.competence_by_name("księgowość")
    organisation = make_organisation_profile("Fundacja A", competences=["księgowość"])
    client.post(
        f"/organizacje/kompetencje/{competence.id}",
        data={"name": "rachunkowość", "action": "rename"},
    )
    db.session.expire_all()
    assert [c.name for c in organisation.competences] == ["rachunkowość"]
    client.post(f"/organizacje/kompetencje/{competence.id}", data={"action": "delete"})
    db.session.expire_all()
    assert organisation.competences == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0


@pytest.mark.race
def test_ten_concurrent_profile_saves_all_succeed(
    app, live_server, make_user, make_organisation_profile
):
    """Ten members save the profile at the same moment (half used to fail on SQLite): each is
    answered 303, and the profile holds one whole submission, never a mix of two."""
    editors = [make_user() for _ in range(10)]
    organisation = make_organisation_profile(
        "Fundacja Razem", owner=editors[0], editors=editors[1:]
    )
    url = f"/organizacje/{organisation.slug}/edycja"
    areas = ["seniors", "health", "charity", "disability", "employment"]
    forms = [
        profile_form(organisation, short_description=f"Wersja {number}.",
                     areas=[areas[number % 5]], districts=["rubinkowo"])
        for number in range(10)
    ]  # fmt: skip
    browsers = [Browser(app, editor, base_url=live_server.url) for editor in editors]
    answers = race(
        [lambda b=b, form=form: b.post(url, form) for b, form in zip(browsers, forms, strict=True)]
    )
    assert [answer.status for answer in answers] == [303] * 10
    db.session.commit()  # a fresh snapshot: the saves ran in other transactions
    db.session.refresh(organisation)
    number = int(organisation.short_description.split()[1].rstrip("."))
    assert organisation.area_codes == [areas[number % 5]]
    # The next save is the one stored.
    last = Browser(app, editors[3], base_url=live_server.url)
    assert last.post(url, profile_form(organisation, short_description="Ostatnia.")).status == 303
    db.session.commit()
    db.session.refresh(organisation)
    assert organisation.short_description == "Ostatnia."


@pytest.mark.race
def test_two_profiles_of_the_same_name_created_at_once_get_their_own_slugs(
    app, live_server, make_user
):
    """On PostgreSQL both pick the same free slug; the unique index refuses the second, which
    takes the next one instead of being told its (empty) KRS is taken."""
    browsers = [Browser(app, make_user(), base_url=live_server.url) for _ in range(4)]
    form = {"name": "Fundacja Bliźniacza", "legal_form": "foundation", "krs": ""}
    answers = race([lambda b=b: b.post("/organizacje/nowa", form) for b in browsers])
    assert [answer.status for answer in answers] == [303] * 4
    db.session.commit()
    slugs = db.session.scalars(sa.select(Organisation.slug).order_by(Organisation.slug)).all()
    assert slugs == [
        "fundacja-blizniacza", "fundacja-blizniacza-2", "fundacja-blizniacza-3",
        "fundacja-blizniacza-4",
    ]  # fmt: skip
