"""The bad inputs the fuzzing of the first wave turned into 500s, each a regression test; and what
hostile text must never do on the way out (CSV formulas, XML, redirects)."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

from app.extensions import db
from app.inputs import csv_cell, csv_uncell, parse_date, strip_controls

HUGE = "9" * 400


@pytest.mark.parametrize(
    "url",
    [
        "/wolontariat/?to=9999-12-31",
        "/wolontariat/?od=0001-01-01&do=9999-12-31",
        "/przestrzenie/sala/cal-sala-warsztatowa?tydzien=0001-01-01",
        "/przestrzenie/sala/cal-sala-warsztatowa?tydzien=9999-12-31",
        f"/przestrzenie/?capacity={HUGE}",
        "/przestrzenie/?capacity=2147483648",
        f"/przestrzenie/dopasuj?people={HUGE}&day=2027-01-05&start=10:00&end=12:00",
        "/przestrzenie/dopasuj?people=10&day=2027-01-05&start=10:00&end=12:00&count=2147483648",
        "/przestrzenie/sala/cal-sala-warsztatowa/rezerwuj?day=9999-12-31&people=" + HUGE,
        "/wolontariat/?q=a%00b",
        "/organizacje/?q=%00%01%1b",
        "/szukaj/?q=%00",
    ],
)
def test_far_dates_huge_numbers_and_control_characters_are_not_a_500(demo_client, url):
    assert demo_client.get(url).status_code in (200, 302, 400, 404, 422)


@pytest.mark.parametrize(
    "url", ["/wolontariat/oferty/99999999999999999999", "/wolontariat/oferty/2147483648"]
)
def test_ids_beyond_the_column_are_not_found(demo_client, url):
    assert demo_client.get(url).status_code == 404


def test_a_huge_number_in_a_form_is_a_form_error(demo_client, demo_auth):
    import sqlalchemy as sa

    from app.accounts.demo import DEMO_USERS
    from app.accounts.models import User

    member = db.session.scalar(sa.select(User).where(User.email == DEMO_USERS["ngo_owner"][0]))
    demo_auth.login(member)
    page = demo_client.get("/przestrzenie/sala/cal-sala-warsztatowa/rezerwuj")
    assert page.status_code in (200, 302)
    answer = demo_client.post(
        "/przestrzenie/sala/cal-sala-warsztatowa/rezerwuj",
        data={"people": "2147483648", "purpose": "Próba", "day": "2027-01-05"},
    )
    assert answer.status_code in (400, 422)
    assert "Ta liczba jest za duża." in answer.text


def test_nul_bytes_never_reach_the_database(demo_client, demo_auth, volunteer_in_demo):
    """PostgreSQL refuses NUL in text (it was a 500); the request arrives without it."""
    demo_auth.login(volunteer_in_demo)
    saved = demo_client.post(
        "/wolontariat/profil",
        data={"skills": "gotowanie\x00 i\x1b pieczenie", "languages": "polski\x00"},
    )
    assert saved.status_code in (200, 303)
    db.session.expire_all()
    import sqlalchemy as sa

    from app.volunteering.models import VolunteerProfile

    profile = db.session.scalar(
        sa.select(VolunteerProfile).where(VolunteerProfile.user_id == volunteer_in_demo.id)
    )
    assert profile.skills == "gotowanie i pieczenie"


@pytest.fixture
def volunteer_in_demo(demo_app):
    import sqlalchemy as sa

    from app.accounts.demo import DEMO_USERS
    from app.accounts.models import User

    return db.session.scalar(sa.select(User).where(User.email == DEMO_USERS["volunteer"][0]))


@pytest.mark.parametrize(
    "target",
    [
        "/%0d%0aSet-Cookie:x=1",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "/ok\r\n",
    ],
)
def test_redirect_targets_stay_on_the_site_and_on_one_line(client, make_user, target):
    user = make_user("ala@example.org")
    answer = client.post(
        "/konto/logowanie",
        query_string={"next": target},
        data={"email": user.email, "password": "Test-password-42"},
    )
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "\r" not in location and "\n" not in location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


def test_open_data_csv_neutralises_formulas_and_imports_back(client, make_organisation):
    make_organisation(
        '=HYPERLINK("http://evil.example","Fundacja")', phone="+48 600 100 200", krs="0000123456"
    )
    body = client.get("/organizacje/otwarte-dane.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    header, row = rows[0], rows[1]
    name = row[header.index("nazwa")] if "nazwa" in header else row[1]
    assert name.startswith("'=")
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert csv_uncell(name) == '=HYPERLINK("http://evil.example","Fundacja")'


def test_the_atom_feed_stays_valid_xml_with_hostile_titles(demo_client):
    body = demo_client.get("/wolontariat/nowe.atom").data
    ElementTree.fromstring(body)  # raises on invalid XML


def test_the_helpers():
    assert strip_controls("a\x00b\x1bc\td\ne\rf") == "abc\td\ne\rf"
    assert parse_date("9999-12-31") is None and parse_date("0001-01-01") is None
    assert (
        parse_date("2027-02-30") is None and parse_date(" 2027-02-28 ").isoformat() == "2027-02-28"
    )
    assert csv_cell("-5") == "'-5" and csv_cell(5) == 5 and csv_uncell("'-5") == "-5"
    assert csv_uncell("'tekst") == "'tekst"
