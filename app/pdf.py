"""Whether PDFs can be made here: WeasyPrint installed and the Pango library it needs present.
Where not, the PDF views answer 503 and point to the printable page."""

from __future__ import annotations


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # not installed, or Pango missing
        return False
    return True
