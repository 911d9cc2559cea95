"""The search dictionary survives a fork made while it is still loading (``gunicorn --preload``).

Slow by nature, marked ``dictionary_load``: each test starts fresh processes that load
simplemma's Polish dictionary (5-16 s on a 2-core machine), because the defect only shows in a
process where the load is still in progress when it forks. Deselect with ``-m "not
dictionary_load"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Fresh interpreters must import this worktree's app (the virtualenv may have another installed).
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.dictionary_load


@pytest.fixture
def sqlite_url(database_templates, tmp_path) -> str:
    path = tmp_path / "search.sqlite"
    shutil.copyfile(database_templates["sqlite"], path)
    return f"sqlite:///{path}"


def test_a_fork_during_the_preload_can_index_and_search(sqlite_url):
    """Fork right after create_app (preload running), as gunicorn --preload does, in both ways
    (see fork_probe.py: the fork waits for the load; the fork does not wait and the child starts
    over); in each child save an organisation and search for it. Before the fix the children
    hung for ever on the lock the preload thread held at the fork (that thread does not exist in
    a child). One full dictionary load: the "nowait" child's runs alongside the parent's."""
    child_timeout = 60  # a full load in a child, on a busy machine, with margin
    probe = subprocess.run(
        [sys.executable, "-m", "tests.search.fork_probe", sqlite_url, str(child_timeout)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=child_timeout + 120,  # the parent's own load and the fork's wait for it
    )
    report = probe.stdout + probe.stderr
    assert "preload in progress: True" in report, report
    assert probe.returncode == 0, report
    assert "child nowait: dictionary loaded at the fork: False" in report, report
    assert "child wait: dictionary loaded at the fork: True" in report, report
