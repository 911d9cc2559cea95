"""The listing the city website embeds in an iframe: framing allowed, no cookies, no forms
that post (nothing here needs a session)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.security import allow_framing
from app.volunteering import browse

embed_bp = Blueprint("volunteering_embed", __name__, url_prefix="/embed")

EMBED_LIMIT = 20


@embed_bp.get("/wolontariat")
def listing():
    allow_framing()
    filters = browse.parse_filters(request.args)
    items = browse.newest(
        limit=EMBED_LIMIT, area=filters.area or None, district=filters.district or None
    )
    response = render_template("volunteering/embed.html", items=items, filters=filters)
    return response, 200, {"Cache-Control": "public, max-age=300"}
