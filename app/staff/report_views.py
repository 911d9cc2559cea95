"""The cooperation-programme report: the page (with charts, tables and a print layout) and one
CSV file per section, for any date range (GET ``od`` / ``do``, ISO dates)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, request
from flask_babel import gettext as _

from app.db import utcnow
from app.permissions import staff_required
from app.rendering import render, wants_fragment
from app.staff import pdf
from app.staff.blueprint import bp
from app.staff.service.report import Period, programme_report
from app.staff.service.tables import SECTIONS, section_csv, sections
from app.timeutil import local_today

# A report longer than this is refused (each day of each room is counted for utilisation).
MAX_DAYS = 5 * 366


def period_from_args(args) -> tuple[Period | None, str | None]:
    """The period asked for, or the error to show; no dates: the current calendar year."""
    today = local_today()
    raw_start, raw_end = args.get("od", "").strip(), args.get("do", "").strip()
    if not raw_start and not raw_end:
        return Period.year(today.year), None
    try:
        start = date.fromisoformat(raw_start) if raw_start else date(today.year, 1, 1)
        end = date.fromisoformat(raw_end) if raw_end else date(start.year, 12, 31)
    except ValueError:
        return None, _("Podaj daty w formacie RRRR-MM-DD.")
    if end < start:
        return None, _("Data końcowa nie może być wcześniejsza niż początkowa.")
    if (end - start).days >= MAX_DAYS:
        return None, _("Sprawozdanie obejmuje najwyżej pięć lat.")
    return Period(start, end), None


@bp.get("/sprawozdanie")
@staff_required
def report():
    period, error = period_from_args(request.args)
    today = local_today()
    context = {
        "error": error,
        "start": request.args.get("od", ""),
        "end": request.args.get("do", ""),
        "years": [today.year - 1, today.year],
    }
    if error:
        # 422 for htmx (it swaps the form with the message), 400 for a whole page.
        status = 422 if wants_fragment() else 400
        return render("staff/report.html", "report", status=status, period=None, **context)
    data = programme_report(period)
    return render("staff/report.html", "report", period=period, sections=sections(data), **context)


@bp.get("/sprawozdanie/<section>.csv")
@staff_required
def report_csv(section: str):
    if section not in SECTIONS:
        abort(404)
    period, error = period_from_args(request.args)
    if error:
        return Response(error, status=400, content_type="text/plain; charset=utf-8")
    chosen = next(s for s in sections(programme_report(period)) if s.key == section)
    body = "\ufeff" + section_csv(chosen)  # with a BOM so spreadsheets read it as UTF-8
    response = Response(body, content_type="text/csv; charset=utf-8")
    filename = f"sprawozdanie-{section}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/sprawozdanie.pdf")
@staff_required
def report_pdf():
    period, error = period_from_args(request.args)
    if error:
        return Response(error, status=400, content_type="text/plain; charset=utf-8")
    if not pdf.available():
        message = _("PDF nie jest dostępny na tym serwerze. Użyj polecenia „Drukuj” przeglądarki.")
        return Response(message, status=503, content_type="text/plain; charset=utf-8")
    body = pdf.report_pdf(
        period=period, sections=sections(programme_report(period)), generated_at=utcnow()
    )
    response = Response(body, content_type="application/pdf")
    filename = f"sprawozdanie-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
