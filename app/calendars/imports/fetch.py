"""One bounded, conditional download of a calendar (stdlib http.client, no new dependency).

- connects only to the addresses the guard checked (``Target.addresses``) while the Host header and,
  for https, SNI and certificate checks use the host name;
- sends If-None-Match / If-Modified-Since from the last success (304: nothing to parse);
- connect timeout 5 s, read timeout 30 s per read, and an overall deadline;
- counts the bytes as they arrive (also after gzip decompression) and stops at the cap;
- follows at most 5 redirects, each checked by the guard again, never from https to http;
  says when they were all permanent (301/308), so the source can ask there next time.

Every refusal is a ``FetchError`` whose ``code`` names the error class the provider sees.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from app.calendars.imports.guard import Allowlist, GuardError, Target, check_url

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Wspolnie-calendar-import/1.0 (+https://wspolnie.torun.pl)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    def __init__(self, code: str, *, status: int | None = None, retry_after: int | None = None):
        super().__init__(code)
        self.code = code
        self.status = status
        self.retry_after = retry_after  # seconds, from a 429/503 answer


@dataclass
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 5
    read_timeout: float = 30

    @property
    def deadline(self) -> float:
        return self.connect_timeout + 4 * self.read_timeout


@dataclass
class Fetched:
    status: int  # 200 or 304
    body: bytes | None
    etag: str | None
    last_modified: str | None
    url: str  # after redirects
    moved_permanently: bool = False  # every redirect was 301/308: ask there from now on


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, limits: Limits):
        super().__init__(target.host, target.port, timeout=limits.read_timeout)
        self._target, self._limits = target, limits

    def connect(self):
        self.sock = _connect(self._target, self._limits)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, limits: Limits):
        super().__init__(
            target.host,
            target.port,
            timeout=limits.read_timeout,
            context=ssl.create_default_context(),
        )
        self._target, self._limits = target, limits

    def connect(self):
        sock = _connect(self._target, self._limits)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._target.host)


def _connect(target: Target, limits: Limits) -> socket.socket:
    """Connect to the first checked address that answers (a host's IPv6 may be unreachable)."""
    error: OSError | None = None
    for address in target.addresses:
        try:
            sock = socket.create_connection((address, target.port), timeout=limits.connect_timeout)
        except OSError as refused:
            error = refused
            continue
        sock.settimeout(limits.read_timeout)
        return sock
    raise error or OSError("no address")


def fetch(
    url: str,
    allowlist: Allowlist,
    limits: Limits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    started = time.monotonic()
    permanent = None
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = check_url(url, allowlist)
        except GuardError as error:
            raise FetchError(error.code) from error
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/calendar, */*;q=0.5",
            "Accept-Encoding": "gzip",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        kind = _CheckedHTTPSConnection if target.scheme == "https" else _CheckedHTTPConnection
        connection = kind(target, limits)
        try:
            connection.request("GET", target.path, headers=headers)
            response = connection.getresponse()
            if response.status in REDIRECTS and response.getheader("Location"):
                next_url = urljoin(url, response.getheader("Location"))
                if target.scheme == "https" and not next_url.lower().startswith("https:"):
                    raise FetchError("insecure_redirect", status=response.status)
                url = next_url
                permanent = permanent is not False and response.status in (301, 308)
                continue
            if response.status == 304:
                return Fetched(304, None, etag, last_modified, url, bool(permanent))
            if response.status != 200:
                raise FetchError(
                    "http_status",
                    status=response.status,
                    retry_after=_retry_after(response.getheader("Retry-After")),
                )
            body = _read_capped(response, limits, started)
            return Fetched(
                200,
                body,
                response.getheader("ETag"),
                response.getheader("Last-Modified"),
                url,
                bool(permanent),
            )
        except TimeoutError as error:
            raise FetchError("timeout") from error
        except ssl.SSLError as error:
            raise FetchError("tls") from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError("connection") from error
        finally:
            connection.close()
    raise FetchError("too_many_redirects")


def _read_capped(response: http.client.HTTPResponse, limits: Limits, started: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError("too_large", status=response.status)
    gzipped = (response.getheader("Content-Encoding") or "").lower() == "gzip"
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    parts, size = [], 0
    while chunk := response.read1(CHUNK):
        if time.monotonic() - started > limits.deadline:
            raise FetchError("timeout")
        if inflate is not None:
            try:
                # At most one byte past the cap: enough to know it is too large.
                chunk = inflate.decompress(chunk, limits.max_bytes - size + 1)
            except zlib.error as error:
                raise FetchError("connection") from error
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError("too_large", status=response.status)
        parts.append(chunk)
    return b"".join(parts)


def _retry_after(value: str | None) -> int | None:
    if not value:
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(moment.timestamp() - time.time()))
