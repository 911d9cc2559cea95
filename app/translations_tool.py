"""Message catalogues, one per domain, so each domain's strings live beside its code.

A domain that has ``app/<domain>/translations/`` owns the strings of ``app/<domain>/`` and
``templates/<domain>/``; everything else belongs to the core catalogue in ``app/translations/``.
Flask-Babel merges them at run time. Polish is the source language; the Polish catalogue exists
for its plural forms (1 miejsce, 2 miejsca, 5 miejsc).

    flask --app wsgi translations extract   # refresh .pot and merge into pl/en/uk .po files
    flask --app wsgi translations compile   # .po -> .mo (done by `make run` and `make test`)
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
TEMPLATES = ROOT / "templates"
LOCALES = ("pl", "en", "uk")
KEYWORDS = ["_", "gettext", "ngettext:1,2", "_l", "lazy_gettext", "lazy_ngettext:1,2", "_n:1,2"]
MAPPING = """
[python: **.py]
[jinja2: **.html]
[jinja2: **.txt]
[jinja2: **.ics]
"""


@dataclass
class Catalogue:
    name: str
    directory: Path
    sources: list[Path]

    @property
    def template(self) -> Path:
        return self.directory / "messages.pot"

    def po_file(self, locale: str) -> Path:
        return self.directory / locale / "LC_MESSAGES" / "messages.po"


def catalogues() -> list[Catalogue]:
    domains = sorted(p.parent.name for p in APP.glob("*/translations") if p.is_dir())
    result = [
        Catalogue(name, APP / name / "translations", [APP / name, TEMPLATES / name])
        for name in domains
    ]
    core_sources = list(APP.glob("*.py"))
    core_sources += [p for p in APP.iterdir() if p.is_dir() and p.name not in domains]
    core_sources += [p for p in TEMPLATES.iterdir() if p.name not in domains]
    result.insert(0, Catalogue("core", APP / "translations", core_sources))
    return result


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(catalogue: Catalogue) -> None:
    catalogue.directory.mkdir(parents=True, exist_ok=True)
    extract_template(catalogue, catalogue.template)
    for locale in LOCALES:
        command = "update" if catalogue.po_file(locale).exists() else "init"
        _pybabel(
            command, "-i", str(catalogue.template), "-d", str(catalogue.directory), "-l", locale,
            "--no-wrap",
        )  # fmt: skip


def extract_template(catalogue: Catalogue, output: Path) -> None:
    """Write the catalogue's .pot to ``output``. Source paths are relative to the project root,
    so every checkout (and every helper's worktree) writes the same locations."""
    sources = sorted(
        str(p.relative_to(ROOT))
        for p in catalogue.sources
        if p.exists() and p.name != "translations"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as mapping:
        mapping.write(MAPPING)
    keyword_args = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    try:
        with contextlib.chdir(ROOT):
            _pybabel(
                "extract", "-F", mapping.name, "--no-default-keywords", *keyword_args,
                "--sort-by-file", "--no-wrap", "--project", "Wspolnie", "-o", str(output),
                *sources,
            )  # fmt: skip
    finally:
        Path(mapping.name).unlink()


def compile_all() -> None:
    for catalogue in catalogues():
        if catalogue.directory.exists():
            _pybabel("compile", "-d", str(catalogue.directory), "--statistics")


def untranslated(catalogue: Catalogue, locale: str) -> list[str]:
    """Message ids without a (non-fuzzy) translation. In Polish only plural forms need one."""
    with catalogue.po_file(locale).open("rb") as handle:
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
            missing.append(message.id[0] if plural else message.id)
    return missing


def register(app) -> None:
    @app.cli.group("translations")
    def translations_group():
        """Extract and compile the message catalogues."""

    @translations_group.command("extract")
    def extract_command():
        for catalogue in catalogues():
            extract(catalogue)
            click.echo(f"{catalogue.name}: {catalogue.template.relative_to(ROOT)}")

    @translations_group.command("compile")
    def compile_command():
        compile_all()

    @translations_group.command("check")
    def check_command():
        """List strings still waiting for a translation."""
        total = 0
        for catalogue in catalogues():
            for locale in LOCALES:
                if not catalogue.po_file(locale).exists():
                    continue
                for message_id in untranslated(catalogue, locale):
                    total += 1
                    click.echo(f"{catalogue.name}/{locale}: {message_id}")
        raise SystemExit(1 if total else 0)
