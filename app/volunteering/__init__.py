"""Volunteering board: opportunities, shifts, sign-ups, matching, hours and certificates."""

from flask import Blueprint

# cli_group=None: the cron commands are top-level (`flask --app wsgi send-reminders`).
bp = Blueprint("volunteering", __name__, url_prefix="/wolontariat", cli_group=None)

from app.volunteering import cli, org_views, views  # noqa: E402,F401


@bp.app_context_processor
def _vocabulary():
    from app.volunteering.vocab import TEMPLATE_VOCABULARY

    return {"vol": TEMPLATE_VOCABULARY}
