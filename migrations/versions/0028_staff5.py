"""staff5 (issue 13): English and Ukrainian names of Toruń's districts (filled where staff left
them empty), and which districts border each other as data staff manage (table
district_neighbours, one row per pair, seeded with the map that was written in
app/spaces/vocab.py).

Revision ID: 0028_staff5
Revises: 0027_grant_rates
Create Date: 2026-12-01 21:10:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028_staff5"
down_revision = "0027_grant_rates"
branch_labels = None
depends_on = None

# (code, Polish, English, Ukrainian), as app/vocabularies/seed.py holds them.
DISTRICTS = [
    ("stare-miasto", "Stare Miasto", "Stare Miasto (Old Town)", "Старе Місто"),
    ("bydgoskie-przedmiescie", "Bydgoskie Przedmieście", "Bydgoskie Przedmieście", "Бидгоське Передмістя"),
    ("chelminskie-przedmiescie", "Chełmińskie Przedmieście", "Chełmińskie Przedmieście", "Хелмінське Передмістя"),
    ("jakubskie-przedmiescie", "Jakubskie Przedmieście", "Jakubskie Przedmieście", "Якубське Передмістя"),
    ("mokre", "Mokre", "Mokre", "Мокре"),
    ("rubinkowo", "Rubinkowo", "Rubinkowo", "Рубінково"),
    ("na-skarpie", "Na Skarpie", "Na Skarpie", "На Скарп'є"),
    ("bielany", "Bielany", "Bielany", "Беляни"),
    ("wrzosy", "Wrzosy", "Wrzosy", "Вжоси"),
    ("koniuchy", "Koniuchy", "Koniuchy", "Конюхи"),
    ("podgorz", "Podgórz", "Podgórz", "Подгуж"),
    ("stawki", "Stawki", "Stawki", "Ставки"),
    ("rudak", "Rudak", "Rudak", "Рудак"),
    ("glinki", "Glinki", "Glinki", "Глінки"),
    ("kaszczorek", "Kaszczorek", "Kaszczorek", "Кащорек"),
    ("czerniewice", "Czerniewice", "Czerniewice", "Черневиці"),
    ("katarzynka", "Katarzynka", "Katarzynka", "Катажинка"),
    ("winnica", "Winnica", "Winnica", "Вінниця"),
    ("grebocin-nad-struga", "Grębocin nad Strugą", "Grębocin nad Strugą", "Грембоцин над Стругою"),
    ("piaski", "Piaski", "Piaski", "Пяски"),
    ("brzezina", "Brzezina", "Brzezina", "Бжезіна"),
]  # fmt: skip
NEIGHBOURS = [
    ("stare-miasto", "bydgoskie-przedmiescie"),
    ("stare-miasto", "chelminskie-przedmiescie"),
    ("stare-miasto", "jakubskie-przedmiescie"),
    ("bydgoskie-przedmiescie", "chelminskie-przedmiescie"),
    ("bydgoskie-przedmiescie", "bielany"),
    ("bydgoskie-przedmiescie", "wrzosy"),
    ("chelminskie-przedmiescie", "mokre"),
    ("chelminskie-przedmiescie", "bielany"),
    ("chelminskie-przedmiescie", "koniuchy"),
    ("jakubskie-przedmiescie", "mokre"),
    ("jakubskie-przedmiescie", "rubinkowo"),
    ("jakubskie-przedmiescie", "kaszczorek"),
    ("mokre", "rubinkowo"),
    ("mokre", "na-skarpie"),
    ("mokre", "koniuchy"),
    ("rubinkowo", "na-skarpie"),
    ("rubinkowo", "winnica"),
    ("na-skarpie", "grebocin-nad-struga"),
    ("na-skarpie", "kaszczorek"),
    ("bielany", "wrzosy"),
    ("bielany", "katarzynka"),
    ("wrzosy", "koniuchy"),
    ("podgorz", "stawki"),
    ("podgorz", "rudak"),
    ("podgorz", "piaski"),
    ("stawki", "rudak"),
    ("stawki", "glinki"),
    ("rudak", "glinki"),
    ("glinki", "czerniewice"),
    ("kaszczorek", "czerniewice"),
    ("katarzynka", "brzezina"),
    ("winnica", "grebocin-nad-struga"),
    ("piaski", "brzezina"),
]


def upgrade():
    op.create_table(
        "district_neighbours",
        sa.Column("low_id", sa.Integer(), nullable=False),
        sa.Column("high_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("low_id < high_id", name=op.f("ck_district_neighbours_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["low_id"],
            ["vocabulary_terms.id"],
            name=op.f("fk_district_neighbours_low_id_vocabulary_terms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["high_id"],
            ["vocabulary_terms.id"],
            name=op.f("fk_district_neighbours_high_id_vocabulary_terms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("low_id", "high_id", name=op.f("pk_district_neighbours")),
    )
    op.create_index(
        op.f("ix_district_neighbours_high_id"), "district_neighbours", ["high_id"], unique=False
    )
    connection = op.get_bind()
    for column, index in (("name_en", 2), ("name_uk", 3)):
        statement = sa.text(
            f"UPDATE vocabulary_terms SET {column} = :value "
            f"WHERE vocabulary = 'district' AND code = :code AND {column} = ''"
        )
        for entry in DISTRICTS:
            connection.execute(statement, {"value": entry[index], "code": entry[0]})
    ids = dict(
        connection.execute(
            sa.text("SELECT code, id FROM vocabulary_terms WHERE vocabulary = 'district'")
        ).all()
    )
    rows = [
        {"low_id": min(ids[a], ids[b]), "high_id": max(ids[a], ids[b])}
        for a, b in NEIGHBOURS
        if a in ids and b in ids
    ]
    if rows:
        connection.execute(
            sa.text("INSERT INTO district_neighbours (low_id, high_id) VALUES (:low_id, :high_id)"),
            rows,
        )


def downgrade():
    op.drop_index(op.f("ix_district_neighbours_high_id"), table_name="district_neighbours")
    op.drop_table("district_neighbours")
    connection = op.get_bind()
    for column, index in (("name_en", 2), ("name_uk", 3)):
        statement = sa.text(
            f"UPDATE vocabulary_terms SET {column} = '' "
            f"WHERE vocabulary = 'district' AND code = :code AND {column} = :value"
        )
        for entry in DISTRICTS:
            connection.execute(statement, {"value": entry[index], "code": entry[0]})
