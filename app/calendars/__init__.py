from flask import Blueprint

bp = Blueprint("calendars", __name__, url_prefix="/kalendarze")

from app.calendars import views  # noqa: E402,F401
