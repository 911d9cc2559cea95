"""The spaces blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

bp = Blueprint("spaces", __name__, url_prefix="/przestrzenie")

from app.spaces import (  # noqa: E402,F401
    cli,
    provider_views,
    search_index,
    staff_views,
    tasks,
    views,
)
