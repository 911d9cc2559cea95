"""Static files with content-hashed names and a long cache, served by WhiteNoise.

At start (once per process; under ``gunicorn --preload`` once in the master) every file under
``static/`` is copied to ``STATIC_BUILD_DIR`` (default ``instance/static-build``) as
``name.<hash>.ext`` with gzip and brotli siblings, and ``url_for('static', filename=...)`` then
names the hashed copy. WhiteNoise serves those with ``Cache-Control: max-age=31536000,
immutable`` (a changed file gets a new name, so the long cache never serves an old one) and picks
the compressed sibling the browser accepts. The original names stay served (a minute's cache)
for anything that links them directly. Copies are written to a temporary name and renamed, so
processes starting together never read half a file. Off in tests unless ``STATIC_HASHED``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from pathlib import Path

from flask import Flask

HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json", ".html", ".map", ".xml"}


def _write_atomically(path: Path, data: bytes) -> None:
    if path.exists() and path.stat().st_size == len(data):
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def build(static_dir: Path, build_dir: Path) -> dict[str, str]:
    """Write the hashed copies; returns the manifest (original name -> hashed name)."""
    manifest: dict[str, str] = {}
    for source in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = source.relative_to(static_dir).as_posix()
        if any(part.startswith(".") for part in Path(relative).parts):
            continue
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        hashed = f"{relative[: -len(source.suffix)] if source.suffix else relative}.{digest}"
        hashed += source.suffix
        target = build_dir / hashed
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, data)
        if source.suffix in COMPRESSIBLE and len(data) > 512:
            _write_atomically(
                target.with_name(target.name + ".gz"), gzip.compress(data, 9, mtime=0)
            )
            try:
                import brotli

                _write_atomically(target.with_name(target.name + ".br"), brotli.compress(data))
            except ImportError:  # brotli comes with Flask-Compress; gzip alone still works
                pass
        manifest[relative] = hashed
    return manifest


def init_app(app: Flask) -> None:
    from whitenoise import WhiteNoise

    static_dir = Path(app.static_folder)
    prefix = (app.static_url_path or "/static").strip("/") + "/"
    manifest: dict[str, str] = {}
    app.extensions["static_manifest"] = manifest
    if not app.config.get("STATIC_HASHED"):
        return  # tests and `flask run` without it: Flask's own static route
    build_dir = Path(app.config.get("STATIC_BUILD_DIR") or Path(app.instance_path) / "static-build")
    manifest = build(static_dir, build_dir)
    app.extensions["static_manifest"] = manifest

    def immutable(path: str, url: str) -> bool:
        return bool(HASHED.search(url))

    def security_headers(headers, path: str, url: str) -> None:
        headers["X-Content-Type-Options"] = "nosniff"

    wsgi = WhiteNoise(
        app.wsgi_app,
        max_age=60,
        immutable_file_test=immutable,
        add_headers_function=security_headers,
        autorefresh=app.debug,
    )
    wsgi.add_files(str(static_dir), prefix=prefix)
    wsgi.add_files(str(build_dir), prefix=prefix)
    app.wsgi_app = wsgi

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]
