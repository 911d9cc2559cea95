"""staff (issue 13): vocabularies managed by staff (districts, equipment, accessibility;
seeded with the codes and names that were written in app/districts.py and app/spaces/vocab.py,
English and Ukrainian from the catalogue), moderation (content hidden by city staff, with the
case: reason, the owner's answer, the decision) and the coordinates of spaces (WGS84).

Revision ID: 0026_vocabularies
Revises: 0017_volunteering_law
Create Date: 2026-12-01 17:40:00
"""

import sqlalchemy as sa
from alembic import op

import app.db

# revision identifiers, used by Alembic.
revision = "0026_vocabularies"
down_revision = '0020_perf_indexes'
branch_labels = None
depends_on = None

HIDDEN = ("organisations", "volunteering_opportunities", "spaces")

DISTRICTS = [
    ("stare-miasto", "Stare Miasto"),
    ("bydgoskie-przedmiescie", "Bydgoskie Przedmieście"),
    ("chelminskie-przedmiescie", "Chełmińskie Przedmieście"),
    ("jakubskie-przedmiescie", "Jakubskie Przedmieście"),
    ("mokre", "Mokre"),
    ("rubinkowo", "Rubinkowo"),
    ("na-skarpie", "Na Skarpie"),
    ("bielany", "Bielany"),
    ("wrzosy", "Wrzosy"),
    ("koniuchy", "Koniuchy"),
    ("podgorz", "Podgórz"),
    ("stawki", "Stawki"),
    ("rudak", "Rudak"),
    ("glinki", "Glinki"),
    ("kaszczorek", "Kaszczorek"),
    ("czerniewice", "Czerniewice"),
    ("katarzynka", "Katarzynka"),
    ("winnica", "Winnica"),
    ("grebocin-nad-struga", "Grębocin nad Strugą"),
    ("piaski", "Piaski"),
    ("brzezina", "Brzezina"),
]
EQUIPMENT = [
    ("projector", "Rzutnik", "Projector", "Проєктор"),
    ("screen", "Ekran", "Screen", "Екран"),
    ("sound", "Nagłośnienie", "Sound system", "Звукова система"),
    ("kitchen", "Aneks kuchenny", "Kitchenette", "Кухонний куточок"),
    ("chairs_tables", "Krzesła i stoły", "Chairs and tables", "Стільці та столи"),
    ("wifi", "Wi-Fi", "Wi-Fi", "Wi-Fi"),
    ("whiteboard", "Tablica", "Whiteboard", "Дошка"),
    ("piano", "Pianino", "Piano", "Піаніно"),
    ("gym", "Sala gimnastyczna", "Gym", "Спортзал"),
]
ACCESSIBILITY = [
    ("step_free", "Wejście bez schodów", "Step-free entrance", "Вхід без сходів"),
    ("lift", "Winda", "Lift", "Ліфт"),
    ("accessible_toilet", "Toaleta dostępna", "Accessible toilet", "Доступний туалет"),
    ("induction_loop", "Pętla indukcyjna", "Induction loop", "Індукційна петля"),
    (
        "accessible_parking",
        "Miejsce parkingowe dla osób z niepełnosprawnościami",
        "Parking for people with disabilities",
        "Паркування для людей з інвалідністю",
    ),
    ("quiet_room", "Pokój wyciszenia", "Quiet room", "Тиха кімната"),
]


def upgrade():
    terms = op.create_table(
        "vocabulary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "vocabulary",
            sa.Enum(
                "district",
                "equipment",
                "accessibility",
                name="vocabulary",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), server_default="", nullable=False),
        sa.Column("name_uk", sa.String(length=200), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retired_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vocabulary_terms")),
        sa.UniqueConstraint("vocabulary", "code", name=op.f("uq_vocabulary_terms_vocabulary_code")),
    )
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    rows = [
        {"vocabulary": "district", "code": code, "name": name, "name_en": "", "name_uk": ""}
        for code, name in DISTRICTS
    ] + [
        {"vocabulary": vocabulary, "code": code, "name": name, "name_en": en, "name_uk": uk}
        for vocabulary, entries in (("equipment", EQUIPMENT), ("accessibility", ACCESSIBILITY))
        for code, name, en, uk in entries
    ]
    op.bulk_insert(
        terms,
        [
            {**row, "position": index, "created_at": now, "updated_at": now}
            for index, row in enumerate(rows)
        ],
    )
    op.create_table(
        "moderation_hidings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "opportunity",
                "organisation",
                "space",
                name="contentkind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "hidden",
                "answered",
                "restored",
                name="hidingstatus",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("hidden_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), server_default="", nullable=False),
        sa.Column("answered_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("decided_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["users.id"],
            name=op.f("fk_moderation_hidings_hidden_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["content_reports.id"],
            name=op.f("fk_moderation_hidings_report_id_content_reports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_hidings")),
    )
    with op.batch_alter_table("moderation_hidings") as batch:
        batch.create_index(
            batch.f("ix_moderation_hidings_content_id"), ["content_id"], unique=False
        )
        batch.create_index(batch.f("ix_moderation_hidings_status"), ["status"], unique=False)
    for table in HIDDEN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("hidden_at", app.db.UTCDateTime(timezone=True), nullable=True)
            )
            batch.create_index(batch.f(f"ix_{table}_hidden_at"), ["hidden_at"], unique=False)
    with op.batch_alter_table("spaces") as batch:
        batch.add_column(sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True))
        batch.create_check_constraint(
            "coordinates_wgs84",
            "(latitude IS NULL) = (longitude IS NULL)"
            " AND (latitude IS NULL OR latitude BETWEEN -90 AND 90)"
            " AND (longitude IS NULL OR longitude BETWEEN -180 AND 180)",
        )


def downgrade():
    with op.batch_alter_table("spaces") as batch:
        batch.drop_constraint("coordinates_wgs84", type_="check")
        batch.drop_column("longitude")
        batch.drop_column("latitude")
    for table in HIDDEN:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(batch.f(f"ix_{table}_hidden_at"))
            batch.drop_column("hidden_at")
    op.drop_table("moderation_hidings")
    op.drop_table("vocabulary_terms")
