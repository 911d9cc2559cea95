"""Wspólnie: volunteering, the NGO competence base and bookable city spaces for Toruń."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from app.config import load_config
from app.unit_of_work import UnitOfWorkFlask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = UnitOfWorkFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.update(load_config(Path(app.instance_path), config))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import inputs

    inputs.init_app(app)  # before any route exists: the bounded <int:> converter
    _init_extensions(app)
    _register_blueprints(app)

    from app import cli, errors, i18n, jobs, ops, page_cache, security, templating, unit_of_work

    ops.init_app(app)  # request ids first, WhiteNoise around the finished app
    unit_of_work.init_app(app)
    jobs.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    page_cache.init_app(app)  # its before_request last: a cached answer skips the rest
    _warn_about_insecure_settings(app)
    return app


def _warn_about_insecure_settings(app: Flask) -> None:
    """Say at start-up what a production server must not run with."""
    import logging

    if app.debug or app.testing:
        return
    log = logging.getLogger("app")
    if not app.config["SESSION_COOKIE_SECURE"]:
        log.warning(
            "Session cookies are sent over plain HTTP (SESSION_COOKIE_SECURE is off). Serve the "
            "site over HTTPS and set PREFERRED_URL_SCHEME=https (or SESSION_COOKIE_SECURE=true)."
        )


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every table is known to the metadata and to Alembic)
    from app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    from app.db import include_in_autogenerate

    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        include_object=include_in_autogenerate,
    )
    csrf.init_app(app)
    htmx.init_app(app)
    from app import limits

    limits.init_app(app)  # storage and ProxyFix, before the limiter reads its settings
    limiter.init_app(app)
    login_manager.init_app(app)
    from app.i18n import select_locale, select_timezone

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=";".join(_translation_directories()),
    )


def _translation_directories() -> list[str]:
    """One catalogue for the whole app (``app/translations``): one translation per Polish string."""
    return [str(ROOT / "app" / "translations")]


def _register_blueprints(app: Flask) -> None:
    from app.accounts.blueprint import bp as accounts_bp
    from app.audit.blueprint import bp as audit_bp
    from app.calendars.blueprint import bp as calendars_bp
    from app.calendars.imports.blueprint import bp as calendar_imports_bp
    from app.moderation.blueprint import bp as moderation_bp
    from app.opendata.blueprint import bp as opendata_bp
    from app.ops.blueprint import bp as ops_bp
    from app.organisations.blueprint import bp as organisations_bp
    from app.pages.blueprint import bp as pages_bp
    from app.search.blueprint import bp as search_bp
    from app.spaces.blueprint import bp as spaces_bp
    from app.staff.blueprint import bp as staff_bp
    from app.volunteering.blueprint import bp as volunteering_bp
    from app.volunteering.embed import embed_bp as volunteering_embed_bp

    for blueprint in (
        pages_bp,
        accounts_bp,
        organisations_bp,
        spaces_bp,
        volunteering_bp,
        volunteering_embed_bp,
        calendars_bp,
        calendar_imports_bp,
        search_bp,
        audit_bp,
        staff_bp,
        opendata_bp,
        moderation_bp,
        ops_bp,
    ):
        app.register_blueprint(blueprint)
