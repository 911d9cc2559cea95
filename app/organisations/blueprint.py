"""The organisations blueprint: its routes, commands and hooks attach here. Only ``create_app`` imports
this module, so importing the domain's models never loads the web layer."""

from flask import Blueprint

# cli_group=None: the domain's commands sit at the top level (`flask import-organisations`).
bp = Blueprint("organisations", __name__, url_prefix="/organizacje", cli_group=None)

from app.organisations import (  # noqa: E402, F401
    cli,
    labels,
    member_views,
    search_index,
    staff_views,
    tasks,
    verification_views,
    views,
)


def _register_privacy_hooks() -> None:
    from app.accounts.privacy import register_eraser, register_exporter, register_purger
    from app.organisations import personal_data

    register_exporter("organisations", personal_data.export_organisations)
    register_eraser(personal_data.erase_organisations_data)
    register_purger("membership_requests", personal_data.purge_decided_requests)


_register_privacy_hooks()
