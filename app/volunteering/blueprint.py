"""The volunteering blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

# cli_group=None: the cron commands are top-level (`flask --app wsgi send-reminders`).
bp = Blueprint("volunteering", __name__, url_prefix="/wolontariat", cli_group=None)

from app.volunteering import (  # noqa: E402,F401
    calendar_views,
    cli,
    group_views,
    org_views,
    recognition_views,
    search_index,
    story_views,
    tasks,
    views,
)

# The agreements' routes: documents, guardian consent, time sheets.
from app.volunteering.agreements import (  # noqa: E402,F401
    child_protection_views,
    guardian_views,
    opinion_views,
    timesheet_views,
)
from app.volunteering.agreements import views as agreement_views  # noqa: E402,F401
from app.volunteering.grants import views as grant_views  # noqa: E402,F401


@bp.app_context_processor
def _vocabulary():
    from app.volunteering.vocab import TEMPLATE_VOCABULARY

    return {"vol": TEMPLATE_VOCABULARY}


def _register_privacy_hooks() -> None:
    """Account download includes volunteering data; account deletion first frees the places
    the volunteer holds and anonymises past sign-ups (organisations keep anonymous hours)."""
    from app.accounts.privacy import register_eraser, register_exporter, register_purger
    from app.volunteering import personal
    from app.volunteering.agreements import privacy as agreements_privacy

    # The eraser also handles agreements and consents (personal.delete_volunteering_data, the
    # same as the volunteer's own "delete my volunteering data").
    register_exporter("volunteering", personal.export_volunteering)
    register_eraser(personal.delete_volunteering_data)
    register_purger("volunteering_signups", personal.purge_old_signups)
    register_purger("volunteering_agreements", agreements_privacy.purge_kept_agreements)
    register_exporter("volunteering_agreements", agreements_privacy.export_agreements)
    register_exporter("volunteering_guardian_consents", agreements_privacy.export_guardian_consents)
    register_exporter("volunteering_register_checks", agreements_privacy.export_register_checks)
    register_exporter("volunteering_opinions", agreements_privacy.export_opinions)
    register_exporter("volunteering_recognition", agreements_privacy.export_recognition)
    from app.volunteering.stories import export_stories

    register_exporter("volunteering_stories", export_stories)


_register_privacy_hooks()
