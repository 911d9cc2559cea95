"""The open-data route table. Only ``create_app`` imports this module."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/otwarte-dane")

from app.opendata import views  # noqa: E402,F401
