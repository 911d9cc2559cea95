"""The agreement as a PDF (A4), made by WeasyPrint from the same document template as the
printable page. Fonts come from the system (DejaVu/Noto carry ą ć ę ł ń ó ś ź ż); nothing is
fetched from the network while rendering."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from app.pdf import weasyprint_available

PDF_CSS = """
@page { size: A4; margin: 20mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Serif", "Noto Serif", "Liberation Serif", serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 8pt; }
h2 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; text-align: justify; hyphens: auto; }
.vol-cert-date { text-align: right; }
.vol-agreement-parties { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; }
.vol-agreement-parties dt { font-weight: bold; }
.vol-agreement-parties dd { margin: 0; }
.vol-agreement-version { font-size: 8.5pt; }
.vol-agreement-signatures { margin-top: 40pt; display: flex; justify-content: space-between; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 6pt 0 10pt; }
caption { font-weight: bold; text-align: left; margin-bottom: 3pt; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; }
.vol-agreement-signatures p { border-top: 1px dotted #000; padding-top: 3pt; width: 45%; text-align: center; font-size: 9pt; }
"""


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"no external resources in documents: {url}")


def render_pdf(document: Markup, *, title: str, language: str) -> bytes:
    """The document as PDF; 503 with a pointer to the printable page where WeasyPrint or the
    Pango library it needs is missing (the printable A4 page always works)."""
    if not weasyprint_available():
        abort(503, _("Wersja PDF jest chwilowo niedostępna. Użyj wersji do druku (A4)."))
    from weasyprint import CSS, HTML

    html = render_template(
        "volunteering/agreements/pdf.html", document=document, title=title, language=language
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
