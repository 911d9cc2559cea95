"""Lemmas without the dictionary in the web process: the ``search_lemmas`` table.

A web request indexes with the lemmas the table knows and leaves unknown words to a job (the job
worker holds simplemma's dictionary); queries only look their words up in the table."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import begin_write
from app.extensions import db
from app.jobs import huey
from app.organisations import service as orgs
from app.search.models import SearchDocument, SearchLemma
from app.search.service import search

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_config():
    return {"JOBS_BACKEND": "memory"}  # the test runs the queued jobs itself


def run_queued_jobs() -> int:
    count = 0
    while (job := huey.dequeue()) is not None:
        huey.execute(job)
        count += 1
    return count


def organisation_saved_in_a_request(app, name: str, description: str):
    with app.test_request_context("/", method="POST"):
        begin_write(db.session)  # as the unit of work begins a POST
        organisation = orgs.create_organisation(None, name=name)
        orgs.update_profile(organisation, description=description, competence_ids=[])
        db.session.commit()
        return organisation.id


def test_a_request_indexes_known_lemmas_and_a_job_learns_the_rest(app):
    organisation_id = organisation_saved_in_a_request(
        app, "Szkoła Wspólna", "Uczymy dzieci programowania."
    )
    terms = db.session.scalar(
        sa.select(SearchDocument.body_terms).where(SearchDocument.ref_id == organisation_id)
    )
    assert "dziecko" not in terms.split()  # not lemmatised in the request
    # Only the lemma links "dziecko" to "dzieci" (no stem, prefix or one typo does).
    assert search("dziecko", ["organisation"])[0] == {}

    assert run_queued_jobs() == 1
    db.session.rollback()  # end the read transaction begun before the job committed
    terms = db.session.scalar(
        sa.select(SearchDocument.body_terms).where(SearchDocument.ref_id == organisation_id)
    )
    assert "dziecko" in terms.split()
    # "dziećmi" was never indexed, but the table holds every form of the lemmas it has.
    assert db.session.get(SearchLemma, "dziećmi").lemma == "dziecko"
    assert search("dziecko", ["organisation"])[0] == {"organisation": 1}
    assert search("dzieciom", ["organisation"])[0] == {"organisation": 1}


def test_known_words_need_no_job(app):
    organisation_saved_in_a_request(app, "Klub Seniora", "Spotkania dla seniorów.")
    run_queued_jobs()
    organisation_saved_in_a_request(app, "Seniorzy Klubu", "Spotkanie seniorami.")
    assert huey.pending_count() == 0
    assert search("seniorami", ["organisation"])[0] == {"organisation": 2}


def test_a_request_that_rolls_back_learns_nothing(app):
    with app.test_request_context("/"):
        orgs.create_organisation(None, name="Fundacja Kosmonautów")
        db.session.flush()
        db.session.rollback()
    assert huey.pending_count() == 0


def test_the_web_process_never_loads_the_dictionary(database_templates, tmp_path):
    """A fresh process serves searches and indexes a saved profile without importing simplemma."""
    database = tmp_path / "web.sqlite"
    shutil.copyfile(database_templates["sqlite"], database)
    probe = f"""
import sys
from app import create_app
from app.db import begin_write
from app.extensions import db
from app.jobs import huey
from app.organisations import service as orgs
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{database}", "SECRET_KEY": "x",
                  "TESTING": True, "JOBS_BACKEND": "memory"}})
client = app.test_client()
assert client.get("/szukaj/?q=dzieciom").status_code == 200
assert client.get("/organizacje/?q=seniorami").status_code == 200
with app.app_context(), app.test_request_context("/"):
    orgs.create_organisation(None, name="Fundacja Dziecięca")
    db.session.commit()
assert huey.pending_count() == 1, huey.pending_count()
print("simplemma" in sys.modules)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
