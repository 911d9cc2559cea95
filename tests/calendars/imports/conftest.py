"""A real HTTP server on 127.0.0.1 (a thread) serving .ics files, and calendar builders.

The app allow-lists 127.0.0.1 (``CALENDAR_IMPORT_ALLOWLIST``), the only way past the SSRF guard
to a loopback address; timeouts are short so a slow server test is quick."""

from __future__ import annotations

import contextlib
import shutil
import ssl
import subprocess
import threading
import time as clock
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.spaces.conftest import (  # noqa: F401  (fixtures shared with the spaces tests)
    make_booking,
    make_space,
    next_weekday,
    other_organisation,
)


@pytest.fixture
def app_config() -> dict:
    return {
        "CALENDAR_IMPORT_ALLOWLIST": "127.0.0.1",
        "CALENDAR_IMPORT_READ_TIMEOUT": 0.5,
        "CALENDAR_IMPORT_CONNECT_TIMEOUT": 1,
    }


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0
    chunked: bool = False


class IcsServer:
    def __init__(self, tls: tuple[str, str] | None = None):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path) or Route(b"not found", 404)
                if route.delay:
                    clock.sleep(route.delay)
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    try:
                        for start in range(0, len(route.body), 4096):
                            piece = route.body[start : start + 4096]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\n\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, path: str, body: bytes | str = b"", **options) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"


@contextmanager
def running(server: IcsServer):
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture
def ics_server():
    with running(IcsServer()) as server:
        yield server


@pytest.fixture
def tls_ics_server(tmp_path):
    """The same over https, with a self-signed certificate for 127.0.0.1 (``.cert``: its
    file, for ``SSL_CERT_FILE`` when a test wants the client to trust it)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    with running(IcsServer(tls=(str(cert), str(key)))) as server:
        server.cert = str(cert)
        yield server


def stamp(day: date, at: time) -> str:
    return f"{day:%Y%m%d}T{at:%H%M%S}"


def calendar(*events: str, extra: str = "") -> str:
    """A VCALENDAR around ``events`` (each a VEVENT body without BEGIN/END)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Szkola//Plan lekcji//PL"]
    if extra:
        lines.append(extra)
    for event in events:
        lines += ["BEGIN:VEVENT", *event.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(line.strip() for line in lines) + "\r\n"


def lesson(uid: str, day: date, start: time, end: time, *, tz="Europe/Warsaw", more="") -> str:
    zone = f";TZID={tz}" if tz else ""
    return (
        f"UID:{uid}\nDTSTAMP:20260101T000000Z\n"
        f"DTSTART{zone}:{stamp(day, start)}\nDTEND{zone}:{stamp(day, end)}\n"
        f"SUMMARY:Matematyka 3b – Jan Kowalski\nDESCRIPTION:Uczniowie: Ala, Ola\n"
        f"ATTENDEE;CN=Jan Kowalski:mailto:jan@szkola.example\n{more}"
    )


@pytest.fixture
def weekday_ahead():
    """A Monday two weeks ahead (inside the window, beyond the default notice)."""
    return next_weekday(0, weeks_ahead=2)


def days_after(day: date, n: int) -> date:
    return day + timedelta(days=n)
