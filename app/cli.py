"""Command-line tasks, registered on the app: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.unit_of_work import transaction


def init_app(app: Flask) -> None:
    from app import translations_tool

    translations_tool.register(app)

    @app.cli.command("demo-data")
    def demo_data_command():
        """Load the demo data set (idempotent)."""
        from app.accounts.demo import DEMO_PASSWORD
        from app.demo import demo_logins, load_demo_data

        load_demo_data()
        click.echo(f"Demo data loaded. Demo logins (password: {DEMO_PASSWORD}):")
        for email, role in demo_logins():
            click.echo(f"  {email:40} {role}")

    @app.cli.command("create-staff")
    @click.argument("email")
    @click.option("--name", default="Pracownik Urzędu Miasta")
    @click.password_option()
    def create_staff_command(email: str, name: str, password: str):
        """Create a city-staff account, or make an existing account staff."""
        from app.accounts.models import User
        from app.accounts.service import normalise_email
        from app.db import utcnow

        with transaction():
            user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
            if user is None:
                user = User(email=normalise_email(email), name=name, confirmed_at=utcnow())
                user.set_password(password)
                db.session.add(user)
            user.is_staff = True
        click.echo(f"{user.email} is city staff.")
