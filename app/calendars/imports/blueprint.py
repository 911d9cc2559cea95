"""The calendar-import blueprint: the providers' pages of calendar sources and the top-level
command ``flask --app wsgi sync-calendars``. Only ``create_app`` imports this module."""

from flask import Blueprint

bp = Blueprint("calendar_imports", __name__, url_prefix="/przestrzenie", cli_group=None)

from app.calendars.imports import cli, tasks, views  # noqa: E402,F401
