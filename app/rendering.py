"""One way to answer a request, page or htmx fragment (see STYLE.md and docs/architecture.md).

- ``render(template, block)``: the whole page, or only ``block`` for htmx; a fragment carries the
  message region out of band, so a flash is shown with the response that caused it.
- ``see_other(url)``: after a successful POST, 303 to the next page; for htmx a client redirect.
- ``render_form_error(...)``: a form that failed validation, 422 for htmx (swapped in place),
  400 for a page.
- ``refusal(error)``: a ``DomainError`` nobody caught, shown where the user is.
"""

from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request
from flask_babel import gettext
from flask_htmx.responses import HTMXResponseClientRedirect
from jinja2_fragments.flask import render_block
from markupsafe import Markup, escape

from app.extensions import htmx

# The statuses htmx swaps (see responseHandling in templates/base.html): a refusal must use one
# of them, or htmx throws its precise text away.
HTMX_SWAPPED_ERRORS = (409, 422)


def wants_fragment() -> bool:
    """True for an htmx request that will swap part of the page (not a history restore)."""
    return bool(htmx) and not htmx.history_restore_request


def flash_region(messages=None) -> Markup:
    """The message region, to be swapped out of band: the pending flashes, or ``messages``
    (``[(category, text)]``)."""
    if messages is None:
        return Markup(render_template("_flash.html", flash_oob=True))
    return Markup(render_template("_flash.html", flash_oob=True, region_messages=messages))


def _with_flash_region(html: str) -> str:
    # A GET fragment (a live filter) must not wipe a message that is still on the page; any
    # other fragment replaces the region, so a stale message never outlives its action.
    if request.method != "GET" or _has_pending_flash():
        return html + str(flash_region())
    return html


def _has_pending_flash() -> bool:
    from flask import session

    return bool(session.get("_flashes"))


def _page_title(template: str, context: dict) -> str:
    """The page's <title> for a fragment that changes what the page shows (a new week, a new
    query): htmx puts it in the document, so the tab and screen readers name the new content."""
    from flask import current_app

    if "title" not in current_app.jinja_env.get_template(template).blocks:
        return ""
    title = render_block(template, "title", **context).strip()  # escaped by Jinja already
    return f"<title>{title} · {escape(gettext('Wspólnie – Toruń'))}</title>" if title else ""


def render(template: str, block: str | None = None, *, status: int = 200, **context):
    """Render the whole page, or only ``block`` when htmx asks for a fragment."""
    if block and wants_fragment() and _defines_block(template, block):
        html = render_block(template, block, **context)
        if request.method == "GET":
            html = _page_title(template, context) + html
        html = _with_flash_region(html)
    else:
        html = render_template(template, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _defines_block(template: str, block: str) -> bool:
    """Whether ``template`` itself defines ``block`` (jinja2-fragments cannot render one it only
    inherits; such a page, asked for by htmx, is answered whole rather than with a 500)."""
    return block in current_app.jinja_env.get_template(template).blocks


def see_other(url: str):
    """Where to go after an action succeeded: a 303 for a page (the browser then GETs ``url``),
    a client redirect for htmx (a whole new page, not a swap). A flash set before is shown on
    that page."""
    response = HTMXResponseClientRedirect(url) if wants_fragment() else redirect(url, 303)
    response.vary.add("HX-Request")
    return response


def form_error_status() -> int:
    """422 for an htmx request (swapped in place), 400 for a full page."""
    return 422 if wants_fragment() else 400


def render_form_error(template: str, block: str | None = None, **context):
    """Re-render a form that failed validation: 422 for htmx (swapped in place), 400 otherwise."""
    return render(template, block, status=form_error_status(), **context)


def refusal(error):
    """Answer a ``DomainError`` that no view turned into a form error.

    htmx: the precise message in the message region (out of band, nothing else swapped) with a
    status htmx swaps. A page: the error page with the message and the error's status.
    """
    if wants_fragment():
        status = error.status if error.status in HTMX_SWAPPED_ERRORS else 409
        response = make_response(flash_region([("error", error.message)]), status)
        response.headers["HX-Reswap"] = "none"
        response.vary.add("HX-Request")
        return response
    from app.errors import render_error

    return render_error(error.status, error.message)
