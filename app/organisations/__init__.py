from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organizacje")

from app.organisations import views  # noqa: E402,F401
