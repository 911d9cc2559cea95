"""The search blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

# cli_group=None: `flask --app wsgi reindex-search` is a top-level command.
bp = Blueprint("search", __name__, url_prefix="/szukaj", cli_group=None)


@bp.record_once
def _preload_lemmas(state) -> None:
    # simplemma takes seconds to load: do it in the background at start, not in a request.
    if state.app.config.get("SEARCH_PRELOAD_LEMMAS", not state.app.testing):
        from app.search.text import preload_lemmas

        preload_lemmas()


from app.search import cli, views  # noqa: E402,F401
