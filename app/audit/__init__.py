"""The audit trail: who changed whose roles, verified whom, exported or deleted data.

``record(action, ...)`` from any service; the pages are in ``views``."""

from app.audit.service import record  # noqa: F401
