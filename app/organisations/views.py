import sqlalchemy as sa

from app.extensions import db
from app.organisations import bp
from app.organisations.models import Organisation
from app.rendering import render


@bp.get("/")
def index():
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render("organisations/index.html", organisations=organisations)
