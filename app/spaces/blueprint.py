"""The spaces blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

bp = Blueprint("spaces", __name__, url_prefix="/przestrzenie")

from app.spaces import (  # noqa: E402,F401
    cli,
    details_views,
    operations_views,
    premises_views,
    provider_views,
    search_index,
    staff_views,
    tasks,
    views,
)
from app.spaces.rounds import views as round_views  # noqa: E402,F401


def _register_privacy_hooks() -> None:
    from app.accounts.privacy import register_eraser, register_exporter, register_purger
    from app.spaces import personal_data

    register_exporter("spaces", personal_data.export_spaces)
    register_eraser(personal_data.erase_spaces_data)
    register_purger("declined_booking_requests", personal_data.purge_declined_requests)


_register_privacy_hooks()
