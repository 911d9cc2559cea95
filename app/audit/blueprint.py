"""The audit blueprint: who did what, for the people it concerns and for city staff."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/historia-zmian")

from app.audit import views  # noqa: E402,F401


def _register_privacy_hooks() -> None:
    from app.accounts.privacy import register_eraser, register_exporter
    from app.audit.personal_data import erase_audit_identity, export_audit

    register_exporter("audit", export_audit)
    register_eraser(erase_audit_identity)


_register_privacy_hooks()
