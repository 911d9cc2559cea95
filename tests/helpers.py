"""Helpers shared by tests (import them from here, not from a conftest).

- ``LiveServer``: the test app served over real HTTP by a threaded server.
- ``Browser``: one HTTP client for a live server, logged in (``Browser(app, user)``: a signed
  session cookie and a CSRF token, as the app issues after login) or anonymous (``Browser(app)``,
  keeps the cookies the server sets, like a browser). Never follows redirects.
- ``race(calls)``: run callables at the same moment in threads.
- ``FakeSMTP``: an SMTP server on localhost that records what it is sent, or never answers.
"""

from __future__ import annotations

import email.policy
import hashlib
import os
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from http.cookiejar import CookieJar

from itsdangerous import URLSafeTimedSerializer
from werkzeug.serving import make_server


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client of a live server (stdlib only, safe to use from many threads at once)."""

    def __init__(self, app, user=None, *, base_url: str = ""):
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.headers: dict[str, str] = {}
        self.csrf = ""
        if user is not None:
            raw = hashlib.sha1(os.urandom(64)).hexdigest()
            cookie = app.session_interface.get_signing_serializer(app).dumps(
                {"_user_id": user.get_id(), "_fresh": True, "csrf_token": raw}
            )
            self.headers["Cookie"] = f"{app.config['SESSION_COOKIE_NAME']}={cookie}"
            self.csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, method: str, url: str, data=None, headers=None, timeout=60) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        all_headers = {**self.headers, **(headers or {})}
        if method != "GET" and self.csrf:
            all_headers.setdefault("X-CSRFToken", self.csrf)
        if body is not None:
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            self.base_url + url, data=body, method=method, headers=all_headers
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            error.close()
            return Answer(error.code, dict(error.headers), text)

    def get(self, url: str, **kwargs) -> Answer:
        return self.open("GET", url, **kwargs)

    def post(self, url: str, data=None, **kwargs) -> Answer:
        return self.open("POST", url, data=data if data is not None else {}, **kwargs)

    def fetch_csrf(self, url: str) -> str:
        """Load a page with a form (anonymous browsers) and keep its CSRF token."""
        page = self.get(url)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
            r'name="csrf-token" content="([^"]+)"', page.text
        )
        assert match, f"no CSRF token on {url} ({page.status})"
        self.csrf = match.group(1)
        return self.csrf


def race(calls, workers: int | None = None) -> list:
    """Run the callables at (nearly) the same moment in threads; results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=workers or len(calls)) as pool:
        return list(pool.map(run, calls))


@dataclass
class FakeSMTP:
    """A minimal SMTP server on 127.0.0.1 in a thread. ``silent=True``: accepts connections
    and never answers (the server that made every booking request take 30 s)."""

    silent: bool = False
    messages: list = field(default_factory=list)

    def __post_init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.socket.settimeout(0.2)
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.socket.close()
        for connection in self.connections:
            connection.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(connection)
            if not self.silent:
                threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection: socket.socket):
        stream = connection.makefile("rb")

        def say(line: str):
            connection.sendall(line.encode() + b"\r\n")

        try:
            say("220 fake ESMTP")
            while line := stream.readline():
                command = line.decode().strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    say("250 fake")
                elif command == "DATA":
                    say("354 go on")
                    data = b""
                    while (chunk := stream.readline()) not in (b".\r\n", b""):
                        data += chunk
                    self.messages.append(message_from_bytes(data, policy=email.policy.default))
                    say("250 queued")
                elif command == "QUIT":
                    say("221 bye")
                    break
                else:
                    say("250 ok")
        except OSError:  # the test ended and closed the connection
            pass
        finally:
            connection.close()
