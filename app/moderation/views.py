"""Anyone reports a page ("Zgłoś treść" in every page's footer); city staff answer."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import DomainError
from app.extensions import db, limiter
from app.moderation import service
from app.moderation.blueprint import bp
from app.moderation.forms import AnswerForm, HideForm, ReportForm
from app.moderation.models import KIND_LABELS, ContentKind, ContentReport, Hiding, ReportStatus
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
    reports = service.open_reports()
    hideable = {
        report.id: content
        for report in reports
        if (content := service.content_at(report.path)) is not None and content.hidden_at is None
    }
    return render(
        "moderation/queue.html", "queue", status=status, reports=reports,
        hideable=hideable, errors=errors or {},
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
    hide = request.form.get("outcome") == "hide"
    try:
        outcome = ReportStatus.HANDLED if hide else ReportStatus(request.form.get("outcome", ""))
    except ValueError:
        abort(400)
    if outcome == ReportStatus.OPEN:
        abort(400)
    try:
        service.close_report(
            report, outcome, request.form.get("response", ""), current_user, hide=hide
        )
    except DomainError as error:
        if error.field != "response":
            raise
        return _queue(422, {report.id: error.message})
    flash(_("Zamknięto zgłoszenie; zgłaszający dostanie odpowiedź."), "success")
    return see_other(url_for("moderation.queue"))


# --- hiding content: staff hide, the owner answers, staff restore or keep it hidden -----------


def _content_or_404(kind: str, content_id: int):
    try:
        kind = ContentKind(kind)
    except ValueError:
        abort(404)
    content = service.hiding.content_of(kind, content_id)
    if content is None:
        abort(404)
    return content


def _hiding_or_404(hiding_id: int) -> Hiding:
    hiding = db.session.get(Hiding, hiding_id)
    if hiding is None:
        abort(404)
    return hiding


@bp.route("/ukryj/<kind>/<int:content_id>", methods=["GET", "POST"])
@staff_required
def hide(kind: str, content_id: int):
    content = _content_or_404(kind, content_id)
    form = HideForm()
    context = {
        "form": form,
        "content": content,
        "title": service.hiding.title_of(content),
        "url": service.hiding.url_of(content),
        "kind_label": KIND_LABELS[service.hiding.kind_of(content)],
    }
    if form.validate_on_submit():
        service.hide_content(content, form.reason.data, current_user)
        flash(_("Ukryto treść; właściciel dostał powód e-mailem."), "success")
        return see_other(context["url"])
    if request.method == "POST":
        return render_form_error("moderation/hide.html", "form", **context)
    return render("moderation/hide.html", "form", **context)


def _hidings(status: int = 200, errors: dict | None = None):
    hidings = service.hidings_to_decide()
    links = {}
    for case in hidings:
        content = service.hiding.content_of(case.kind, case.content_id)
        if content is not None:
            links[case.id] = service.hiding.url_of(content)
    return render(
        "moderation/hidings.html", "hidings", status=status,
        hidings=hidings, links=links, errors=errors or {},
    )  # fmt: skip


@bp.get("/ukryte")
@staff_required
def hidings():
    return _hidings()


@bp.post("/ukryte/<int:hiding_id>")
@staff_required
def decide(hiding_id: int):
    hiding = _hiding_or_404(hiding_id)
    action = request.form.get("action")
    note = request.form.get("note", "")
    if action not in ("restore", "keep"):
        abort(400)
    try:
        if action == "restore":
            service.restore(hiding, current_user, note)
        else:
            service.keep_hidden(hiding, current_user, note)
    except DomainError as error:
        if error.field != "note":
            raise
        return _hidings(422, {hiding.id: error.message})
    flash(
        _("Przywrócono treść; właściciel dostał wiadomość.")
        if action == "restore"
        else _("Treść pozostaje ukryta; właściciel dostał wiadomość."),
        "success",
    )
    return see_other(url_for("moderation.hidings"))


@bp.route("/ukryte/<int:hiding_id>/odpowiedz", methods=["GET", "POST"])
@login_required
def answer(hiding_id: int):
    hiding = _hiding_or_404(hiding_id)
    content = service.hiding.content_of(hiding.kind, hiding.content_id)
    if content is None or not service.hiding.is_owner(current_user, content):
        abort(403)
    form = AnswerForm()
    context = {"form": form, "hiding": hiding, "url": service.hiding.url_of(content)}
    if form.validate_on_submit():
        service.answer(hiding, form.answer.data, current_user)
        flash(_("Wysłano odpowiedź do Urzędu Miasta."), "success")
        return see_other(context["url"])
    if request.method == "POST":
        return render_form_error("moderation/answer.html", "form", **context)
    return render("moderation/answer.html", "form", **context)
