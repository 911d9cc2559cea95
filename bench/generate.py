"""A whole city (or a whole country) of data for benchmarks: organisations, volunteering
opportunities with shifts and sign-ups, providers with spaces and bookings, users, and the search
index over all of it, valid under the current schema and its constraints.

    .venv/bin/python bench/generate.py --scale city --db sqlite:///instance/city.sqlite
    .venv/bin/python bench/generate.py --scale national --db postgresql://postgres@127.0.0.1:5432/wsp_national

The target database is dropped and built again by the real migrations. Rows are written in bulk:
COPY on PostgreSQL, executemany on SQLite, in batches, with a progress bar on stderr. A fixed seed
gives the same data every time. Bookings never overlap within a room (each room has four slots a
day three hours apart, a booking lasts two hours and the longest buffer is 45 minutes), so the
exclusion constraint holds; shifts and sign-ups keep ``taken <= capacity``.

``generate(session, scale)`` is what ``bench/run``, ``bench/bench_matching_spaces.py`` and the
tests call; ``SCALES`` says how many rows of each kind.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402


@dataclass(frozen=True)
class Scale:
    organisations: int
    opportunities: int
    shifts: int
    providers: int
    spaces: int
    bookings: int
    users: int


SCALES = {
    "tiny": Scale(
        organisations=40,
        opportunities=40,
        shifts=200,
        providers=4,
        spaces=12,
        bookings=300,
        users=60,
    ),
    "city": Scale(
        organisations=2_000,
        opportunities=2_000,
        shifts=20_000,
        providers=30,
        spaces=300,
        bookings=50_000,
        users=20_000,
    ),
    "national": Scale(
        organisations=100_000,
        opportunities=50_000,
        shifts=200_000,
        providers=1_000,
        spaces=10_000,
        bookings=1_000_000,
        users=500_000,
    ),
}

# Every generated account has this password (one hash, computed once).
PASSWORD = "bench-password-1"
# Bookings start this many days before the day of generation, so feeds and reports have a past.
PAST_DAYS = 14
SLOT_HOURS = (8, 11, 14, 17)  # Warsaw wall-clock starts; two hours each, buffers ≤ 45 min
BATCH = 5_000

PREFIXES = ("Fundacja", "Stowarzyszenie", "Klub", "Towarzystwo", "Stowarzyszenie Przyjaciół",
            "Fundacja Wspierania", "Uczniowski Klub Sportowy", "Koło Gospodyń")  # fmt: skip
NAME_WORDS = (
    "Złota Jesień", "Młodzi", "Razem", "Zielony Toruń", "Czysta Wisła", "Dom Otwarty", "Bez Barier",
    "Krok Dalej", "Nowy Start", "Pamięć Miasta", "Sąsiedzi", "Kompas", "Przystań", "Wspólna Sprawa",
    "Dobre Serce", "Nadzieja", "Horyzont", "Most", "Iskra", "Kopernik", "Piernik", "Barbakan",
    "Ogrody", "Szachy", "Teatr", "Chór", "Rowerowy", "Biegowy", "Seniorzy", "Dzieciaki",
)  # fmt: skip
TASKS = ("Pomoc przy zbiórce żywności", "Spacery z seniorami", "Korepetycje dla dzieci",
         "Sprzątanie brzegu Wisły", "Obsługa festynu", "Wsparcie w świetlicy", "Opieka nad zwierzętami",
         "Warsztaty teatralne", "Dyżur w punkcie pomocy", "Malowanie schroniska")  # fmt: skip
ROOM_NAMES = ("Sala", "Aula", "Pracownia", "Świetlica", "Sala gimnastyczna", "Klub")
PROVIDER_KINDS = ("school", "activity_centre", "city_unit", "ngo")


class Progress:
    """A one-line progress bar per table on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()

    def advance(self, count: int) -> None:
        self.done += count
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r  {self.label:<22} [{bar:<30}] {self.done:>9,}/{self.total:,} {elapsed:5.1f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _complete(table: sa.Table, rows: list[dict]) -> list[str]:
    """Fill the Python-side defaults of columns the rows leave out (COPY does not run them) and
    turn enums into their values; returns the column names to write."""
    columns = list(rows[0])
    for column in table.columns:
        if column.name in rows[0] or column.default is None or column.server_default is not None:
            continue
        default = column.default
        if default.is_scalar:
            value = default.arg
        elif default.is_callable:
            value = default.arg(None)
        else:
            continue
        value = getattr(value, "value", value)
        for row in rows:
            row[column.name] = value
        columns.append(column.name)
    return columns


def bulk(session, model, rows: list[dict], progress: Progress | None = None) -> None:
    """Write ``rows`` into ``model``'s table: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    table = model.__table__ if hasattr(model, "__table__") else model
    columns = _complete(table, rows)
    if session.get_bind().dialect.name == "postgresql":
        cursor = session.connection().connection.driver_connection.cursor()
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([getattr(row[c], "value", row[c]) for c in columns])
    else:
        for start in range(0, len(rows), BATCH):
            session.execute(sa.insert(table), rows[start : start + BATCH])
    if progress:
        progress.advance(len(rows))


def batches(label: str, total: int):
    """(progress, range) pairs covering 1..total in BATCH steps."""
    progress = Progress(label, total)
    for start in range(1, total + 1, BATCH):
        yield progress, range(start, min(total, start + BATCH - 1) + 1)


class Terms:
    """``index_terms`` of generated text, memoised: the text comes from small pools."""

    def __init__(self):
        from app.search.text import index_terms

        self._index_terms = index_terms
        self._cache: dict[str, str] = {}

    def __call__(self, *parts: str) -> str:
        out = []
        for part in parts:
            if part not in self._cache:
                self._cache[part] = self._index_terms(part)
            out.append(self._cache[part])
        return " ".join(t for t in out if t)

    def texts(self) -> list[str]:
        return list(self._cache)


def _sentences() -> list[str]:
    from app.organisations.demo_data import THEMES

    pool = []
    for _areas, _competences, description, projects, offers in THEMES.values():
        pool += [s.strip() + "." for s in description.split(". ") if s.strip()]
        pool += [f"Projekt {title} finansowany: {funder}." for title, *_x, funder in projects]
        pool += [f"Oferujemy: {title}." for _kind, title in offers]
    return pool


def _document(kind, ref_id, title, summary, url_key, title_terms, keywords_terms, body_terms, now):
    from app.search.text import fold

    return {
        "kind": kind, "ref_id": ref_id, "title": title[:300], "sort_key": fold(title)[:300],
        "summary": summary[:500], "url_key": url_key, "title_terms": title_terms,
        "keywords_terms": keywords_terms, "body_terms": body_terms, "updated_at": now,
    }  # fmt: skip


def generate(session, scale: Scale | str, seed: int = 14) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row counts written per table."""
    from werkzeug.security import generate_password_hash

    from app.accounts.consents import current_versions
    from app.accounts.models import Consent, User
    from app.districts import DISTRICTS
    from app.organisations.demo_data import THEMES
    from app.organisations.models import (
        Membership,
        Organisation,
        OrganisationArea,
        OrganisationDistrict,
    )
    from app.organisations.spheres import SPHERES
    from app.search.models import SearchDocument
    from app.search.service import add_terms
    from app.spaces.models import (
        Booking,
        BookingSeries,
        OpeningHours,
        Provider,
        ProviderManager,
        Space,
        SpaceFeature,
        comparable_name,
    )
    from app.spaces.vocab import ACCESSIBILITY, EQUIPMENT
    from app.timeutil import WARSAW, to_local
    from app.volunteering import listing
    from app.volunteering.models import (
        Opportunity,
        OpportunityTag,
        OpportunityTagCode,
        Shift,
        Signup,
    )
    from app.volunteering.vocab import daypart_of_hour

    scale = SCALES[scale] if isinstance(scale, str) else scale
    rng = random.Random(seed)
    terms = Terms()
    now = datetime.now(UTC).replace(microsecond=0)
    today = to_local(now).date()
    pool = _sentences()
    themes = list(THEMES.values())
    district_codes = [code for code, _name in DISTRICTS]
    district_names = dict(DISTRICTS)
    sphere_codes = [s.code for s in SPHERES]
    features = list(EQUIPMENT) + list(ACCESSIBILITY)
    tag_codes = [t.value for t in OpportunityTagCode]
    counts: dict[str, int] = {}

    def written(name: str, rows: list) -> None:
        counts[name] = counts.get(name, 0) + len(rows)

    # Users: user 1 is city staff, users 2..(organisations + 1) own one organisation each (when
    # there are enough), the next ones manage providers, everyone else volunteers.
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    versions = current_versions()  # everyone has accepted the current terms
    for progress, ids in batches("users", scale.users):
        rows = [
            {"id": n, "email": f"user{n}@example.org", "name": f"Wolontariusz {n}",
             "password_hash": password_hash, "confirmed_at": now, "is_staff": n == 1,
             "session_token": f"bench-token-{n}", "created_at": now, "updated_at": now}
            for n in ids
        ]  # fmt: skip
        bulk(session, User, rows, progress)
        consents = [
            {"user_id": n, "document": str(document), "version": version, "accepted_at": now}
            for n in ids
            for document, version in versions.items()
        ]
        bulk(session, Consent, consents)
        written("users", rows)
        written("consents", consents)
    session.commit()

    def owner_of(organisation_id: int) -> int:
        return 2 + (organisation_id - 1) % max(scale.users - 1, 1)

    for progress, ids in batches("organisations", scale.organisations):
        organisations, areas, districts, members, documents = [], [], [], [], []
        for n in ids:
            areas_, competences, *_ = themes[n % len(themes)]
            # Odd numbers are foundations, and every organisation works in the district its
            # number points at (and one more): bench/run's filtered pages always show some.
            prefix = "Fundacja" if n % 2 else rng.choice(PREFIXES)
            name = f"{prefix} {rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)} {n}"
            picked = rng.sample(range(len(pool)), 4)
            home = district_codes[n % len(district_codes)]
            codes = [home, rng.choice([c for c in district_codes if c != home])]
            organisations.append({
                "id": n, "name": name, "slug": f"org-{n}", "krs": f"{n:010d}",
                "short_description": pool[picked[0]][:300],
                "description": " ".join(pool[i] for i in picked),
                "verified_at": now if n % 3 else None,
                "legal_form": "foundation" if name.startswith("Fundacja") else "association",
                "profile_updated_at": now - timedelta(days=n % 700),
                "created_at": now, "updated_at": now,
            })  # fmt: skip
            areas += [{"organisation_id": n, "code": c} for c in areas_]
            districts += [{"organisation_id": n, "code": c} for c in codes]
            members.append(
                {"organisation_id": n, "user_id": owner_of(n), "role": "owner",
                 "created_at": now, "updated_at": now}
            )  # fmt: skip
            keywords = [*competences, *(district_names[c] for c in codes)]
            documents.append(
                _document(
                    "organisation", n, name, pool[picked[0]], f"org-{n}", terms(name),
                    terms(*keywords), terms(*(pool[i] for i in picked)), now,
                )
            )  # fmt: skip
        bulk(session, Organisation, organisations)
        bulk(session, OrganisationArea, areas)
        bulk(session, OrganisationDistrict, districts)
        bulk(session, Membership, members)
        bulk(session, SearchDocument, documents)
        add_terms(documents, session=session)
        session.commit()
        progress.advance(len(organisations))
        for name, rows in (("organisations", organisations), ("organisation_areas", areas),
                           ("organisation_districts", districts), ("memberships", members),
                           ("search_documents", documents)):  # fmt: skip
            written(name, rows)

    # Opportunities, each with shifts spread over the coming weeks; a third of the shifts have
    # an accepted volunteer (``taken`` counts them, within the capacity).
    per_opportunity = max(1, scale.shifts // max(scale.opportunities, 1))
    shift_id = 0
    for progress, ids in batches("opportunities+shifts", scale.opportunities):
        opportunities, tags, shifts, signups, documents = [], [], [], [], []
        for n in ids:
            organisation_id = 1 + (n - 1) % scale.organisations
            title = f"{rng.choice(TASKS)} {n}"
            sphere = rng.choice(sphere_codes)
            district = rng.choice(district_codes)
            description = " ".join(rng.sample(pool, 2))
            opportunities.append({
                "id": n, "organisation_id": organisation_id, "title": title,
                "description": description, "sphere": sphere,
                "kind": ("one_off", "regular", "flexible", "micro")[n % 4],
                "status": "published" if n % 10 else "draft", "district": district,
                "address": "ul. Szeroka 1", "is_online": n % 17 == 0, "skills": "", "languages": "",
                "requires_approval": n % 2 == 0, "contact_name": "", "contact_email": "",
                "contact_phone": "", "published_at": now - timedelta(days=n % 60),
                "created_at": now, "updated_at": now,
            })  # fmt: skip
            for code in rng.sample(tag_codes, n % 3):
                tags.append({"opportunity_id": n, "code": code})
            for k in range(per_opportunity):
                shift_id += 1
                day = today + timedelta(days=(n + 3 * k) % 60 - 3)
                local_start = datetime.combine(day, clock_time(9 + (n + k) % 10), tzinfo=WARSAW)
                starts_at = local_start.astimezone(UTC)
                taken = 1 if shift_id % 3 == 0 else 0
                shifts.append({
                    "id": shift_id, "opportunity_id": n, "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(hours=3), "capacity": 1 + shift_id % 8,
                    "taken": taken, "local_weekday": local_start.weekday(),
                    "local_daypart": daypart_of_hour(local_start.hour), "sequence": 0, "note": "",
                    "created_at": now, "updated_at": now,
                })  # fmt: skip
                if taken:
                    # Every fourth of them is the last user's, bench/run's logged-in volunteer.
                    volunteer = (
                        scale.users if shift_id // 3 % 4 == 1 else 1 + shift_id % scale.users
                    )
                    signups.append({
                        "shift_id": shift_id, "user_id": volunteer,
                        "status": "accepted", "message": "", "response_message": "",
                        "responded_at": now, "created_at": now, "updated_at": now,
                    })  # fmt: skip
            if n % 10:
                documents.append(
                    _document(
                        "opportunity", n, title, description[:300], str(n), terms(title),
                        terms(sphere), terms(*description.split(". ")), now,
                    )
                )  # fmt: skip
        bulk(session, Opportunity, opportunities)
        bulk(session, OpportunityTag, tags)
        bulk(session, Shift, shifts)
        bulk(session, Signup, signups)
        bulk(session, SearchDocument, documents)
        add_terms(documents, session=session)
        # The shift-derived columns the list reads, as the app's flushes would have kept them.
        listing.refresh(session.connection(), sa.true())
        session.commit()
        progress.advance(len(opportunities))
        for name, rows in (("volunteering_opportunities", opportunities),
                           ("volunteering_opportunity_tags", tags), ("volunteering_shifts", shifts),
                           ("volunteering_signups", signups), ("search_documents", documents)):  # fmt: skip
            written(name, rows)

    # Providers, each managed by one user after the organisation owners; spaces open 8–22 daily.
    manager_base = min(scale.organisations + 2, scale.users - scale.providers)
    providers, managers = [], []
    for n in range(1, scale.providers + 1):
        name = f"{ROOM_NAMES[n % len(ROOM_NAMES)]} Miejska nr {n}"
        providers.append({
            "id": n, "name": name, "name_key": comparable_name(name), "slug": f"provider-{n}",
            "kind": PROVIDER_KINDS[n % len(PROVIDER_KINDS)], "description": "",
            "auto_approve_verified": n % 2 == 0, "created_at": now, "updated_at": now,
        })  # fmt: skip
        managers.append(
            {"provider_id": n, "user_id": manager_base + n, "created_at": now, "updated_at": now}
        )
    bulk(session, Provider, providers)
    bulk(session, ProviderManager, managers)
    written("providers", providers)
    written("provider_managers", managers)
    session.commit()

    spaces_per_provider = max(1, scale.spaces // scale.providers)
    space_buffer = {}
    for progress, ids in batches("spaces", scale.spaces):
        spaces, hours, feature_rows, documents = [], [], [], []
        for n in ids:
            provider_id = 1 + (n - 1) // spaces_per_provider % scale.providers
            name = f"{ROOM_NAMES[n % len(ROOM_NAMES)]} {n}"
            district = district_codes[n % len(district_codes)]
            space_buffer[n] = (n % 4) * 15
            terms_kind = ("free", "barter", "fee")[n % 3]
            spaces.append({
                "id": n, "provider_id": provider_id, "slug": f"space-{n}", "name": name,
                "name_key": comparable_name(name), "kind": "room", "description": rng.choice(pool),
                "capacity": 10 + (n * 7) % 90, "address": f"ul. Mickiewicza {n}",
                "district": district, "house_rules": "", "stock": 1, "active": True,
                "min_notice_hours": 0, "max_length_minutes": 600, "max_days_ahead": 3650,
                "buffer_minutes": space_buffer[n], "terms": terms_kind,
                "fee_normal": 50 if terms_kind == "fee" else None,
                "fee_ngo": 20 if terms_kind == "fee" else None, "barter_terms": "",
                "created_at": now, "updated_at": now,
            })  # fmt: skip
            hours += [
                {"space_id": n, "weekday": d, "opens": clock_time(8), "closes": clock_time(22)}
                for d in range(7)
            ]
            codes = sorted(set(rng.sample(features, 4)))
            feature_rows += [{"space_id": n, "code": c} for c in codes]
            documents.append(
                _document(
                    "space", n, name, "", f"space-{n}", terms(name),
                    terms(district_names[district]), terms(spaces[-1]["description"]), now,
                )
            )  # fmt: skip
        bulk(session, Space, spaces)
        bulk(session, OpeningHours, hours)
        bulk(session, SpaceFeature, feature_rows)
        bulk(session, SearchDocument, documents)
        add_terms(documents, session=session)
        session.commit()
        progress.advance(len(spaces))
        for name, rows in (("spaces", spaces), ("space_opening_hours", hours),
                           ("space_features", feature_rows), ("search_documents", documents)):  # fmt: skip
            written(name, rows)

    # Bookings: room r's k-th booking is on day k // 4 (from PAST_DAYS ago) in slot k % 4, so no
    # two overlap; a fifth are pending, a few declined; one series per booking (a one-off).
    first_day = today - timedelta(days=PAST_DAYS)
    for progress, ids in batches("bookings", scale.bookings):
        series, bookings = [], []
        for n in ids:
            room = 1 + (n - 1) % scale.spaces
            k = (n - 1) // scale.spaces
            day = first_day + timedelta(days=k // len(SLOT_HOURS))
            start = datetime.combine(day, clock_time(SLOT_HOURS[k % len(SLOT_HOURS)]), WARSAW)
            starts_at = start.astimezone(UTC)
            ends_at = (start + timedelta(hours=2)).astimezone(UTC)
            status = "pending" if n % 5 == 0 else ("declined" if n % 23 == 0 else "approved")
            series.append({
                "id": n, "space_id": room, "organisation_id": 1 + n % scale.organisations,
                "requested_by_id": owner_of(1 + n % scale.organisations),
                "purpose": "Spotkanie", "people": 5 + n % 20, "quantity": 1,
                "is_public": n % 3 == 0, "public_title": "Spotkanie otwarte" if n % 3 == 0 else "",
                "recurrence": "once", "first_day": day, "start_time": start.time(),
                "end_time": (start + timedelta(hours=2)).time(), "created_at": now, "updated_at": now,
            })  # fmt: skip
            bookings.append({
                "id": n, "series_id": n, "space_id": room, "exclusive": True, "quantity": 1,
                "starts_at": starts_at, "ends_at": ends_at,
                "blocked_until": ends_at + timedelta(minutes=space_buffer[room]),
                "status": status, "sequence": 0, "status_reason": "", "updated_at": now,
            })  # fmt: skip
        bulk(session, BookingSeries, series)
        bulk(session, Booking, bookings, progress)
        session.commit()
        written("booking_series", series)
        written("bookings", bookings)

    # The lemma table the queries read (app/search/lemmas.py), for every word indexed above, as
    # `reindex-search` fills it: without it a query finds inflected forms by stem only.
    from app.search.lemmas import learn
    from app.search.text import words

    learn(session, sorted({word for text in terms.texts() for word in words(text)}))
    session.commit()
    finish(session)
    return counts


def finish(session) -> None:
    """Move the id sequences past the rows written with explicit ids, refresh statistics."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from app.extensions import db

        for table in db.metadata.sorted_tables:
            if "id" in table.columns and table.columns["id"].autoincrement is not False:
                session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )
        session.commit()
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        session.execute(sa.text("ANALYZE"))
        session.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        session.commit()


def recreate(url: str) -> str:
    """An empty database at ``url`` (a SQLite file is removed; a PostgreSQL one dropped and
    created); returns the SQLAlchemy URL to use."""
    target = sa.make_url(url)
    if target.get_backend_name() == "sqlite":
        if target.database:
            Path(target.database).unlink(missing_ok=True)
            Path(target.database).parent.mkdir(parents=True, exist_ok=True)
        return url
    target = target.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def bench_app(url: str):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "JOBS_BACKEND": "immediate",
        }
    )


def build(url: str, scale: str, seed: int = 14) -> tuple[str, dict[str, int], float]:
    """Recreate, migrate and fill the database at ``url``; returns (url, counts, seconds)."""
    from flask_migrate import upgrade

    from app.extensions import db

    url = recreate(url)
    app = bench_app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        counts = generate(db.session, scale, seed)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return url, counts, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument(
        "--db", required=True, help="sqlite:///path or postgresql://... (recreated)"
    )
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    _url, counts, seconds = build(args.db, args.scale, args.seed)
    for table, count in counts.items():
        print(f"{table:<32} {count:>10,}")
    print(f"generated in {seconds:.1f} s")


if __name__ == "__main__":
    main()
