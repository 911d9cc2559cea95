"""City staff routes: providers and the people who manage them."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render, render_form_error, see_other, wants_fragment
from app.spaces import service
from app.spaces.blueprint import bp
from app.spaces.forms import (
    ManagerForm,
    ProviderForm,
)
from app.spaces.models import (
    Provider,
    ProviderKind,
)
from app.spaces.provider_views import get_provider_or_404


def staff_required(view):
    """``app.permissions.staff_required``, looked up when the view runs: ``app.permissions``
    imports this blueprint's models, so it is only half-initialised while these views load."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return permissions.staff_required(view)(*args, **kwargs)

    return wrapper


@bp.get("/udostepniajacy/")
@staff_required
def providers():
    rows = db.session.scalars(sa.select(Provider).order_by(Provider.name)).all()
    return render("spaces/providers.html", providers=rows)


@bp.route("/udostepniajacy/nowy", methods=["GET", "POST"])
@staff_required
def new_provider():
    form = ProviderForm()
    form.organisation.choices = [
        SelectChoice(0, _("brak")),
        *(
            SelectChoice(o.id, o.name)
            for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
        ),
    ]
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form_error("spaces/provider_form.html", "form", form=form)
        return render("spaces/provider_form.html", "form", form=form)
    organisation = db.session.get(Organisation, form.organisation.data or 0)
    try:
        provider = service.create_provider(
            form.name.data, ProviderKind(form.kind.data), organisation
        )
    except DomainError as error:
        form.name.errors = [error.message]
        return render_form_error("spaces/provider_form.html", "form", form=form)
    flash(_("Dodano udostępniającego. Dodaj teraz osoby, które będą nim zarządzać."), "success")
    return see_other(url_for("spaces.provider_managers", slug=provider.slug))


def _managers_page(provider: Provider, form: ManagerForm, *, error: bool = False):
    managers = sorted(provider.managers, key=lambda m: m.user.email)
    if error:
        return render_form_error(
            "spaces/managers.html", "managers", provider=provider, form=form, managers=managers
        )
    return render(
        "spaces/managers.html", "managers", provider=provider, form=form, managers=managers
    )


@bp.route("/udostepniajacy/<slug>/zarzadzajacy", methods=["GET", "POST"])
@staff_required
def provider_managers(slug: str):
    provider = get_provider_or_404(slug, check=None)
    form = ManagerForm()
    if request.method == "GET":
        return _managers_page(provider, form)
    if not form.validate_on_submit():
        return _managers_page(provider, form, error=True)
    try:
        manager = service.add_manager(provider, form.email.data)
    except DomainError as error:
        form.email.errors = [error.message]
        return _managers_page(provider, form, error=True)
    flash(
        _(
            "%(email)s zarządza teraz: %(provider)s.",
            email=manager.user.email,
            provider=provider.name,
        ),
        "success",
    )
    if wants_fragment():
        # The list with the new manager and an empty form; the message comes with it.
        db.session.expire(provider, ["managers"])
        return _managers_page(provider, ManagerForm(formdata=None))
    return see_other(url_for("spaces.provider_managers", slug=provider.slug))


@bp.post("/udostepniajacy/<slug>/zarzadzajacy/<int:user_id>/usun")
@staff_required
def remove_manager(slug: str, user_id: int):
    provider = get_provider_or_404(slug, check=None)
    if not service.remove_manager(provider, user_id):
        abort(404)
    flash(_("Usunięto osobę zarządzającą."), "success")
    return see_other(url_for("spaces.provider_managers", slug=provider.slug))
