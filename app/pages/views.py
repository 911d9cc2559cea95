from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, request, session, url_for
from flask_login import current_user

from app.extensions import db
from app.i18n import LANGUAGE_COOKIE
from app.organisations.models import Organisation
from app.pages.blueprint import bp
from app.pages.legal import legal_facts
from app.pages.statement import statement_facts
from app.rendering import render, see_other
from app.spaces.models import Provider
from app.urls import safe_local_url

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    stats = {
        "organisations": db.session.scalar(sa.select(sa.func.count(Organisation.id))),
        "providers": db.session.scalar(sa.select(sa.func.count(Provider.id))),
    }
    return render("pages/home.html", stats=stats)


@bp.get("/dostepnosc")
def accessibility():
    return render("pages/accessibility.html", facts=statement_facts())


@bp.get("/prywatnosc")
def privacy():
    return render("pages/privacy.html", facts=legal_facts())


@bp.get("/regulamin")
def terms():
    return render("pages/terms.html", facts=legal_facts())


@bp.post("/jezyk")
def set_language():
    """Remember the chosen language (session, cookie, and the account when logged in)."""
    language = request.form.get("lang", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session[LANGUAGE_COOKIE] = language
    if current_user.is_authenticated:
        current_user.locale = language
    response = see_other(safe_local_url(request.form.get("next"), url_for("pages.home")))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
