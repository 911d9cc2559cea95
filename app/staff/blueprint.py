"""The staff console's route table. Only ``create_app`` imports this module."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/urzad")

from app.staff import (  # noqa: E402,F401
    report_views,
    verification_views,
    views,
    vocabulary_views,
)
