"""The audit trail pages: one's own, an organisation's, a provider's, and all of it for staff.
Each as a page and as CSV."""

from __future__ import annotations

from flask import Response, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.audit import service
from app.audit.blueprint import bp
from app.rendering import render


def _answer(title: str, filter: service.Filter, csv_name: str, as_csv: bool, csv_url: str):
    entries = service.events(filter)
    if as_csv:
        response = Response("\ufeff" + service.csv_text(entries), mimetype="text/csv")
        response.charset = "utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{csv_name}"'
        response.headers["Cache-Control"] = "no-store"
        return response
    return render(
        "audit/list.html",
        title=title,
        entries=entries,
        known=service.names(entries),
        actions=service.ACTIONS,
        actor_label=service.actor_label,
        csv_url=csv_url,
    )


@bp.get("/", defaults={"as_csv": False})
@bp.get("/wszystko.csv", defaults={"as_csv": True})
@permissions.staff_required
def everything(as_csv: bool):
    return _answer(
        _("Historia zmian w serwisie"),
        service.Filter(),
        "historia-zmian.csv",
        as_csv,
        url_for("audit.everything", as_csv=True),
    )


@bp.get("/moja", defaults={"as_csv": False})
@bp.get("/moja.csv", defaults={"as_csv": True})
@login_required
def mine(as_csv: bool):
    return _answer(
        _("Historia zmian, które Cię dotyczą"),
        service.Filter(person_id=current_user.id),
        "moja-historia-zmian.csv",
        as_csv,
        url_for("audit.mine", as_csv=True),
    )


@bp.get("/organizacja/<slug>", defaults={"as_csv": False})
@bp.get("/organizacja/<slug>.csv", defaults={"as_csv": True})
@login_required
def organisation(slug: str, as_csv: bool):
    from app.organisations.views import get_organisation_or_404

    found = get_organisation_or_404(slug, check="member", staff_ok=True)
    return _answer(
        _("Historia zmian: %(name)s", name=found.name),
        service.Filter(organisation_id=found.id),
        f"historia-zmian-{found.slug}.csv",
        as_csv,
        url_for("audit.organisation", slug=found.slug, as_csv=True),
    )


@bp.get("/udostepniajacy/<slug>", defaults={"as_csv": False})
@bp.get("/udostepniajacy/<slug>.csv", defaults={"as_csv": True})
@login_required
def provider(slug: str, as_csv: bool):
    from app.spaces.provider_views import get_provider_or_404

    found = get_provider_or_404(slug, check=None)
    if not (
        permissions.manages_provider(current_user, found) or permissions.is_staff(current_user)
    ):
        abort(403)
    return _answer(
        _("Historia zmian: %(name)s", name=found.name),
        service.Filter(provider_id=found.id),
        f"historia-zmian-{found.slug}.csv",
        as_csv,
        url_for("audit.provider", slug=found.slug, as_csv=True),
    )
