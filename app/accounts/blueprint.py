"""The accounts blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/konto")

from app.accounts import tasks, views  # noqa: E402,F401
