"""One way to answer a page-or-fragment request (see STYLE.md: one template, named blocks)."""

from __future__ import annotations

from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from app.extensions import htmx


def wants_fragment() -> bool:
    """True for an htmx request that will swap part of the page (not a history restore)."""
    return bool(htmx) and not htmx.history_restore_request


def render(template: str, block: str | None = None, *, status: int = 200, **context):
    """Render the whole page, or only ``block`` when htmx asks for a fragment."""
    if block and wants_fragment():
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def form_error_status() -> int:
    """422 for an htmx request (swapped in place), 400 for a full page."""
    return 422 if wants_fragment() else 400


def render_form_error(template: str, block: str | None = None, **context):
    """Re-render a form that failed validation: 422 for htmx (swapped in place), 400 otherwise."""
    return render(template, block, status=form_error_status(), **context)
