"""Anyone reports a page ("Zgłoś treść" in every page's footer); city staff answer."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import DomainError
from app.extensions import db, limiter
from app.moderation import service
from app.moderation.blueprint import bp
from app.moderation.forms import ReportForm
from app.moderation.models import ContentReport, ReportStatus
from app.permissions import staff_required
from app.rendering import render, render_form_error, see_other
from app.urls import safe_local_url


@bp.route("/nowe", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def new_report():
    form = ReportForm()
    if request.method == "GET":
        form.path.data = safe_local_url(request.args.get("adres"), "/")
    path = safe_local_url(form.path.data, "/")
    if form.validate_on_submit():
        email = None if current_user.is_authenticated else form.email.data
        service.make_report(
            path, form.reason.data, form.message.data, user=current_user, email=email
        )
        flash(_("Dziękujemy. Zgłoszenie trafiło do Urzędu Miasta."), "success")
        return see_other(path)
    if request.method == "POST":
        return render_form_error("moderation/new.html", "form", form=form, path=path)
    return render("moderation/new.html", form=form, path=path)


def _queue(status: int = 200, errors: dict | None = None):
    return render(
        "moderation/queue.html", "queue", status=status, reports=service.open_reports(),
        errors=errors or {},
    )  # fmt: skip


@bp.get("/")
@staff_required
def queue():
    return _queue()


@bp.post("/<int:report_id>")
@staff_required
def close(report_id: int):
    report = db.session.get(ContentReport, report_id)
    if report is None:
        abort(404)
    try:
        outcome = ReportStatus(request.form.get("outcome", ""))
    except ValueError:
        abort(400)
    if outcome == ReportStatus.OPEN:
        abort(400)
    try:
        service.close_report(report, outcome, request.form.get("response", ""), current_user)
    except DomainError as error:
        if error.field != "response":
            raise
        return _queue(422, {report.id: error.message})
    flash(_("Zamknięto zgłoszenie; zgłaszający dostanie odpowiedź."), "success")
    return see_other(url_for("moderation.queue"))
