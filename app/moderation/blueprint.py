"""The moderation route table. Only ``create_app`` imports this module."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/zgloszenia")

from app.moderation import views  # noqa: E402,F401
