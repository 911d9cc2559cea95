"""The SSRF guard: a calendar URL may only lead to a public address.

A provider types the URL, the server fetches it: without a guard the server would read its own
metadata service (169.254.169.254), its database port or the city's intranet for them. Host
names are resolved and every address they resolve to must be global (no loopback, private,
link-local, CGNAT 100.64/10, benchmarking 198.18/15, multicast, reserved; IPv4-mapped IPv6 is
judged by its IPv4 address); the connection then goes to the address that was checked, so a
second DNS answer cannot point elsewhere. The check runs at registration, at every fetch and at
every redirect hop. ``CALENDAR_IMPORT_ALLOWLIST`` (hosts or networks) lets named exceptions
through; it is empty by default.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class GuardError(Exception):
    """Refused before connecting; ``code`` is the error class shown to the provider."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, setting: str) -> Allowlist:
        hosts, networks = set(), []
        for entry in (e.strip() for e in (setting or "").split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        return host in self.hosts or any(address in network for network in self.networks)


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, tried in order) and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]


def normalise_url(url: str) -> str:
    """``webcal://`` (what calendar links often say) means https."""
    url = (url or "").strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    return url


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, allowlist: Allowlist) -> Target:
    """The URL's target if it is http(s) to public addresses only; else ``GuardError``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise GuardError("bad_url") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise GuardError("bad_scheme")
    host = (parts.hostname or "").rstrip(".")
    if not host or parts.username or parts.password:
        raise GuardError("bad_url")
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise GuardError("dns") from error
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not (is_public(address) or allowlist.allows(host.lower(), address)):
            raise GuardError("forbidden_address")
        addresses.append(address)
    if not addresses:
        raise GuardError("dns")
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(url, scheme, host, port, path, tuple(dict.fromkeys(map(str, addresses))))
