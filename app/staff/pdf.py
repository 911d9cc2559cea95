"""The whole programme report as a PDF to attach in BIP, made by WeasyPrint (an optional
dependency: ``pip install -e '.[pdf]'``, it needs the Pango library). Without it the view says
so and the browser's print (static/css/staff-print.css) remains."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from app.pdf import weasyprint_available

STYLESHEETS = ("css/app.css", "css/staff.css", "css/staff-print.css", "css/staff-pdf.css")


def available() -> bool:
    return weasyprint_available()


def report_pdf(**context) -> bytes:
    from weasyprint import CSS, HTML

    html = render_template("staff/report_document.html", **context)
    static = Path(current_app.static_folder)
    sheets = [CSS(filename=str(static / name)) for name in STYLESHEETS]
    # No base URL: the document refers to nothing outside itself (charts are inline SVG).
    return HTML(string=html).write_pdf(stylesheets=sheets)
