"""The accounts blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

# cli_group=None: `flask --app wsgi purge-personal-data` is a top-level command.
bp = Blueprint("accounts", __name__, url_prefix="/konto", cli_group=None)

from app.accounts import retention, tasks, views  # noqa: E402,F401
from app.accounts.consents import ask_again  # noqa: E402

bp.before_app_request(ask_again)
