"""For the city website: the embeddable listing and the Atom feed of new opportunities."""

from __future__ import annotations

from xml.etree import ElementTree

from app.volunteering.models import OpportunityStatus

ATOM = "{http://www.w3.org/2005/Atom}"


def test_embed_is_frameable_sets_no_cookies_and_filters(client, make_opportunity, make_shift):
    make_shift(make_opportunity("Pomoc seniorom na Rubinkowie", sphere="seniors"))
    make_shift(make_opportunity("Mecz na Bielanach", sphere="sport", district="bielany"))
    response = client.get("/embed/wolontariat?area=seniors&district=rubinkowo")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert "Pomoc seniorom na Rubinkowie" in response.text
    assert "Mecz na Bielanach" not in response.text
    assert (
        'target="_blank"' in response.text
        and "http://localhost/wolontariat/oferty/" in response.text
    )
    assert "csrf" not in response.text


def test_other_pages_are_not_frameable(client):
    assert (
        "frame-ancestors 'self'" in client.get("/wolontariat/").headers["Content-Security-Policy"]
    )


def test_atom_feed_lists_published_opportunities(client, make_opportunity, make_shift):
    make_shift(make_opportunity("Zbiórka karmy dla schroniska", sphere="ecology_animals"))
    make_opportunity("Szkic", status=OpportunityStatus.DRAFT)
    response = client.get("/wolontariat/nowe.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Zbiórka karmy dla schroniska"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith("http://localhost/wolontariat/oferty/")
