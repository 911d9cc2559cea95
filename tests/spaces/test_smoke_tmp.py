def test_pages(client, make_space, organisation, auth, ngo_owner):
    space = make_space()
    assert client.get("/przestrzenie/").status_code == 200
    assert client.get(f"/przestrzenie/sala/{space.slug}").status_code == 200
    auth.login(ngo_owner)
    r = client.get(f"/przestrzenie/sala/{space.slug}/rezerwuj")
    assert r.status_code == 200, r.text
    assert client.get("/przestrzenie/moje-rezerwacje").status_code == 200
    assert (
        client.get(
            "/przestrzenie/dopasuj?day=2026-12-10&start=10:00&end=12:00&people=5"
        ).status_code
        == 200
    )
    assert client.get(f"/kalendarze/przestrzen/{space.slug}.ics").status_code == 200
    assert client.get("/kalendarze/").status_code == 200
