"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import dates
from flask import request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from app.calendars.subscribe import subscription
from app.i18n import available_languages, format_number, formatting_locale
from app.timeutil import WARSAW, to_local


def local_datetime(moment: datetime | None, fmt: str = "medium") -> str:
    if moment is None:
        return ""
    return dates.format_datetime(moment, fmt, tzinfo=WARSAW, locale=formatting_locale())


def local_date(moment: date | datetime | None, fmt: str = "medium") -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = to_local(moment).date()
    return _formatted_date(moment, fmt, formatting_locale())


def local_time(moment: datetime | None, fmt: str = "HH:mm") -> str:
    if moment is None:
        return ""
    return _formatted_time(moment, fmt, formatting_locale())


# Babel looks the locale and the pattern up and builds the string on every call (~0.1 ms); a list
# formats the same few days and times again and again (every card, every request). The result
# depends only on the arguments, so it is kept (bounded).
@lru_cache(maxsize=4096)
def _formatted_date(day: date, fmt: str, locale: str) -> str:
    return dates.format_date(day, fmt, locale=locale)


@lru_cache(maxsize=4096)
def _formatted_time(moment: datetime, fmt: str, locale: str) -> str:
    return dates.format_time(moment, fmt, tzinfo=WARSAW, locale=locale)


def iso_local(moment: datetime | None) -> str:
    """Machine-readable value for <time datetime="...">."""
    return "" if moment is None else to_local(moment).isoformat(timespec="minutes")


def number(value, fmt: str = "#,##0.##") -> str:
    """A number in the user's language: 6 and 1,5 in Polish, 6 and 1.5 in English."""
    return "" if value is None else format_number(value, fmt)


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (``None`` removes one); for pagers,
    sort links and facet links that must keep the other filters."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """The page numbers a pager links: the first, the last and ``radius`` either side of the
    current one, ``None`` where numbers are left out (a list of 200 pages gets 9 links, not
    200 ``url_for`` calls)."""
    shown = sorted({1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)})
    window: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            window.append(None)
        window.append(number)
        previous = number
    return window


# Query arguments that page or order a list rather than filter it.
NOT_FILTERS = frozenset({"strona", "page", "sort", "sortuj", "tydzien"})


def active_filter_count() -> int:
    """How many filters of the current list are in use (for the folded filter panel)."""
    return sum(
        1
        for key, values in request.args.lists()
        if key not in NOT_FILTERS and any(value.strip() for value in values)
    )


def hidden_case(content):
    """The open moderation case of content hidden by staff, for its banner (None otherwise)."""
    if content is None or getattr(content, "hidden_at", None) is None:
        return None
    from app.moderation.service.hiding import current_hiding

    return current_hiding(content)


def init_app(app) -> None:
    from app import content_language

    content_language.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        iso_local=iso_local,
        number=number,
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        page_window=page_window,
        Markup=Markup,
        active_filter_count=active_filter_count,
        subscription=subscription,
        hidden_case=hidden_case,
    )

    @app.context_processor
    def _language_context():
        return {
            "current_locale": str(get_locale()),
            "languages": available_languages(),
        }
