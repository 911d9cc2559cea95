"""Routes of recognition: the volunteer's milestones and gala opt-in; the gala list for staff."""

from __future__ import annotations

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.permissions import staff_required
from app.rendering import render, see_other
from app.timeutil import local_today
from app.volunteering import recognition
from app.volunteering.blueprint import bp


@bp.route("/wyroznienia", methods=["GET", "POST"])
@login_required
def my_recognition():
    if request.method == "POST":  # CSRFProtect checks the token of every POST
        recognition.set_gala_opt_in(
            current_user,
            request.form.get("gala_opt_in") == "y",
            badges_public=request.form.get("badges_public") == "y",
        )
        flash(_("Zapisano Twój wybór."), "success")
        return see_other(url_for("volunteering.my_recognition"))
    hours = recognition.confirmed_hours(current_user.id)
    record = recognition.recognition_of(current_user)
    return render(
        "volunteering/recognition.html",
        hours=hours,
        milestones=recognition.milestones(hours),
        year_hours=recognition.confirmed_hours(current_user.id, local_today().year),
        opted_in=bool(record and record.gala_opt_in),
        badges_public=bool(record and record.badges_public),
    )


@bp.app_context_processor
def _badge_helper():
    return {"shown_badge": recognition.shown_badge}


@bp.get("/gala.csv")
@staff_required
def gala_csv():
    year = request.args.get("rok", type=int) or local_today().year
    if not 2000 <= year <= 2100:
        abort(400)
    return Response(
        recognition.gala_csv(year),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="gala-wolontariatu-{year}.csv"'},
    )
