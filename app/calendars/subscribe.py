"""Links that add a feed to a calendar app in one step."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class Subscription:
    name: str
    https: str  # what to paste into any app
    webcal: str  # opens the system calendar app (Apple, Thunderbird, Outlook for Windows)
    google: str
    outlook: str  # Outlook.com (personal accounts)
    office365: str  # Outlook on the web (work and school accounts)


def subscription(url: str, name: str) -> Subscription:
    webcal = urlunsplit(("webcal", *urlsplit(url)[1:]))
    # Google takes the feed in ``cid``; with a webcal:// address it subscribes rather than
    # importing once.
    google = "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal})
    outlook_query = urlencode({"url": url, "name": name}, quote_via=quote)
    return Subscription(
        name=name,
        https=url,
        webcal=webcal,
        google=google,
        outlook=f"https://outlook.live.com/calendar/0/addfromweb?{outlook_query}",
        office365=f"https://outlook.office.com/calendar/0/addfromweb?{outlook_query}",
    )
