"""The stack's limit on this machine: a bare Flask app that answers every GET with the same
pre-rendered HTML (``BENCH_HTML``, a file), served by the same gunicorn as the real app.
``bench/run`` compares the real app's throughput with this one's.

    BENCH_HTML=/tmp/list.html .venv/bin/gunicorn -w 2 bench.bare_app:app
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

HTML = Path(os.environ.get("BENCH_HTML", os.devnull)).read_bytes()

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def page(path: str) -> Response:
    return Response(HTML, mimetype="text/html")
