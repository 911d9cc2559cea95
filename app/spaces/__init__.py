from flask import Blueprint

bp = Blueprint("spaces", __name__, url_prefix="/przestrzenie")

from app.spaces import cli, search_index, views  # noqa: E402,F401
