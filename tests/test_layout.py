"""The layout holds: models import without the web layer; no module grows past ~500 lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "app").rglob("models.py")
)
MAX_LINES = 520


@pytest.mark.parametrize("module", MODELS)
def test_importing_models_loads_no_views(module):
    probe = (
        f"import sys, {module}\n"
        "web = [m for m in sys.modules if m.startswith('app.') and "
        "m.rsplit('.', 1)[-1].endswith(('views', 'blueprint', 'forms'))]\n"
        "print(','.join(web))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_no_module_is_too_big_to_find_ones_way_in():
    too_big = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "app").rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_big == {}


def test_number_fields_come_from_app_forms():
    """Integer and decimal fields are the bounded ones in app/forms.py (an unbounded one lets a
    400-digit number reach the database)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "app").rglob("*.py")
        if path.name != "forms.py" or path.parent.name != "app"
        for line in path.read_text().splitlines()
        if line.strip().startswith(("IntegerField,", "DecimalField,"))
        or "wtforms.IntegerField" in line
        or "wtforms.DecimalField" in line
        or ("from wtforms" in line and ("IntegerField" in line or "DecimalField" in line))
    ]
    assert offenders == []
