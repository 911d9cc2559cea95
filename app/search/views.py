import sqlalchemy as sa
from flask import request

from app.extensions import db
from app.organisations.models import Organisation
from app.rendering import render
from app.search import bp


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    organisations = []
    if query:
        organisations = db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.name.ilike(f"%{query}%"))
            .order_by(Organisation.name)
            .limit(50)
        ).all()
    return render("search/index.html", query=query, organisations=organisations)
