"""The one message catalogue, ``app/translations/``, and thin wrappers over pybabel.

Polish is the source language; the Polish catalogue exists for its plural forms (1 miejsce,
2 miejsca, 5 miejsc). How strings are found (keywords, babel.cfg) is configured once, in
pyproject.toml ``[tool.babel.extract_messages]``, which pybabel reads when run from the
repository root, so ``make translations-extract``, these commands and the tests agree.

    make translations-extract               # or: flask --app wsgi translations extract
    make translations                       # .mo files (done by `make run` and `make test`)
    flask --app wsgi translations check     # list what is still untranslated
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / "app" / "translations"
TEMPLATE = DIRECTORY / "messages.pot"
LOCALES = ("pl", "en", "uk")


def po_file(locale: str) -> Path:
    return DIRECTORY / locale / "LC_MESSAGES" / "messages.po"


def pybabel(*args: str) -> None:
    """Run pybabel from the repository root, where it finds pyproject.toml and babel.cfg.
    A subprocess, so the tests' working directory and logging stay untouched."""
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(command, cwd=ROOT, check=True)


def extract(output: Path = TEMPLATE) -> None:
    """Write the .pot. Source paths are relative to the root, so every checkout writes the same."""
    pybabel("extract", "-o", str(output), ".")


def update() -> None:
    """Merge the .pot into the pl/en/uk catalogues (new strings empty, removed ones obsolete)."""
    pybabel("update", "-i", str(TEMPLATE), "-d", str(DIRECTORY), "--no-wrap", "--no-fuzzy-matching")


def compile_all() -> None:
    pybabel("compile", "-d", str(DIRECTORY))


def untranslated(locale: str) -> list[str]:
    """Message ids without a (non-fuzzy) translation. In Polish only plural forms need one."""
    with po_file(locale).open("rb") as handle:
        po = read_po(handle)
    missing = []
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        plural = isinstance(message.id, tuple)
        if locale == "pl" and not plural:
            continue
        if message.fuzzy or not all(strings):
            label = message.id[0] if plural else message.id
            missing.append(f"{message.context}|{label}" if message.context else label)
    return missing


def register(app) -> None:
    @app.cli.group("translations")
    def translations_group():
        """Extract and compile the message catalogue (same as the Makefile's pybabel calls)."""

    @translations_group.command("extract")
    def extract_command():
        extract()
        update()
        click.echo(TEMPLATE.relative_to(ROOT))

    @translations_group.command("compile")
    def compile_command():
        compile_all()

    @translations_group.command("check")
    def check_command():
        """List strings still waiting for a translation."""
        total = 0
        for locale in LOCALES:
            for message_id in untranslated(locale):
                total += 1
                click.echo(f"{locale}: {message_id}")
        raise SystemExit(1 if total else 0)
