from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/konto")

from app.accounts import views  # noqa: E402,F401
