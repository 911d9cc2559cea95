from flask import Blueprint

bp = Blueprint("volunteering", __name__, url_prefix="/wolontariat")

from app.volunteering import views  # noqa: E402,F401
