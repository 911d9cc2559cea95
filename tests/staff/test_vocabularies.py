"""Staff manage the districts, equipment and accessibility vocabularies; every use reads them."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.vocabularies.models import Term


def term(vocabulary, code) -> Term:
    return db.session.scalar(
        sa.select(Term).where(Term.vocabulary == vocabulary, Term.code == code)
    )


def test_the_migration_seeds_the_old_lists(app):
    from app.vocabularies import names

    assert (
        len(names("district")) == 21
        and names("district")["grebocin-nad-struga"] == "Grębocin nad Strugą"
    )
    assert term("equipment", "projector").name_en == "Projector"
    assert term("accessibility", "lift").name_uk == "Ліфт"


def test_staff_add_rename_translate_retire(client, auth, staff, provider_manager, make_space):
    auth.login(staff)
    page = client.get("/urzad/slowniki")
    assert page.status_code == 200 and "Rubinkowo" in page.text and "Rzutnik" in page.text
    bad = client.post(
        "/urzad/slowniki", data={"vocabulary": "equipment", "code": "Zła Nazwa", "name": "Mikrofon"}
    )
    assert bad.status_code == 422 and "małe litery" in bad.text and 'value="Mikrofon"' in bad.text
    taken = client.post(
        "/urzad/slowniki",
        data={"vocabulary": "equipment", "code": "projector", "name": "Rzutnik 2"},
    )
    assert taken.status_code == 422 and "już jest na liście" in taken.text
    added = client.post(
        "/urzad/slowniki",
        data={
            "vocabulary": "equipment",
            "code": "microphone",
            "name": "Mikrofon",
            "name_en": "Microphone",
        },
    )
    assert added.status_code == 303
    microphone = term("equipment", "microphone")
    # The new entry is offered in the space form at once; a retired one is not.
    space = make_space("Sala Prób", features=["projector"])
    rubinkowo = term("district", "rubinkowo")
    client.post(
        f"/urzad/slowniki/{rubinkowo.id}",
        data={"action": "save", "name": "Rubinkowo I", "name_en": "", "name_uk": "Рубінково"},
    )
    projector = term("equipment", "projector")
    client.post(f"/urzad/slowniki/{projector.id}", data={"action": "retire"})
    auth.login(provider_manager)
    form = client.get(f"/przestrzenie/sala/{space.slug}/opis").text
    assert 'value="microphone"' in form and 'value="projector"' not in form
    # What uses a retired entry keeps its name; a renamed district shows its new name.
    assert "Rzutnik" in client.get(f"/przestrzenie/sala/{space.slug}").text
    assert "Rubinkowo I" in client.get("/przestrzenie/").text
    client.post("/jezyk", data={"lang": "uk"})
    assert "Рубінково" in client.get("/przestrzenie/").text
    client.post("/jezyk", data={"lang": "pl"})

    auth.login(staff)
    empty = client.post(f"/urzad/slowniki/{microphone.id}", data={"action": "save", "name": " "})
    assert empty.status_code == 422 and "Podaj polską nazwę" in empty.text
    in_use = client.post(f"/urzad/slowniki/{projector.id}", data={"action": "delete"})
    assert in_use.status_code == 409
    assert term("equipment", "projector") is not None
    assert (
        client.post(f"/urzad/slowniki/{microphone.id}", data={"action": "delete"}).status_code
        == 303
    )
    assert term("equipment", "microphone") is None
    assert (
        client.post(f"/urzad/slowniki/{projector.id}", data={"action": "restore"}).status_code
        == 303
    )
    assert term("equipment", "projector").retired_at is None
    assert set(db.session.scalars(sa.select(AuditEvent.action))) == {"vocabulary.changed"}


def test_only_staff_manage_vocabularies(client, auth, provider_manager, ngo_owner):
    lift = term("accessibility", "lift")
    for user in (provider_manager, ngo_owner):
        auth.login(user)
        assert client.get("/urzad/slowniki").status_code == 403
        assert (
            client.post(f"/urzad/slowniki/{lift.id}", data={"action": "retire"}).status_code == 403
        )
    db.session.refresh(lift)
    assert lift.retired_at is None


def test_one_query_per_request(client, app):
    """Every use on a page reads the vocabularies from one query, cached on the request."""
    from sqlalchemy import event

    statements = []

    def count(conn, cursor, statement, *args):
        if "vocabulary_terms" in statement:
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/przestrzenie/").status_code == 200
        assert client.get("/organizacje/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 2


def _migration(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / f"migrations/versions/{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_the_tests_reseed_what_the_migrations_seeded(app):
    """PostgreSQL tests empty every table and put the vocabularies back from app.vocabularies.seed:
    it must hold what migrations 0026 (terms) and 0028 (district names, neighbours) insert."""
    from app.vocabularies import seed
    from app.vocabularies.models import DistrictNeighbour

    first, names = _migration("0026_vocabularies"), _migration("0028_staff5")
    for name in ("EQUIPMENT", "ACCESSIBILITY"):
        assert getattr(first, name) == getattr(seed, name)
    assert [(code, pl) for code, pl, _en, _uk in seed.DISTRICTS] == first.DISTRICTS
    assert names.DISTRICTS == seed.DISTRICTS and names.NEIGHBOURS == seed.NEIGHBOURS
    assert len(db.session.scalars(sa.select(Term)).all()) == len(seed.rows())
    pairs = db.session.scalars(sa.select(sa.func.count()).select_from(DistrictNeighbour)).one()
    assert pairs == len(seed.NEIGHBOURS) == 33
