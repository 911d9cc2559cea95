"""The calendars blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

bp = Blueprint("calendars", __name__, url_prefix="/kalendarze")

from app.calendars import single_views, views  # noqa: E402,F401


def _register_privacy_hooks() -> None:
    from app.accounts.privacy import register_exporter
    from app.calendars.personal_data import export_calendars

    register_exporter("calendars", export_calendars)


_register_privacy_hooks()
