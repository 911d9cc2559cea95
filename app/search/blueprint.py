"""The search blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

# cli_group=None: `flask --app wsgi reindex-search` is a top-level command.
bp = Blueprint("search", __name__, url_prefix="/szukaj", cli_group=None)


from app.search import cli, tasks, views  # noqa: E402,F401
