"""City staff's console home: the queues and the way to every staff tool. Every route of this
blueprint is for city staff only (403 for others, the login page for guests)."""

from __future__ import annotations

from app.permissions import staff_required
from app.rendering import render
from app.staff.blueprint import bp
from app.staff.service.queues import queues


@bp.get("/")
@staff_required
def home():
    return render("staff/home.html", queues=queues())
