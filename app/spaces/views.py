import sqlalchemy as sa

from app.extensions import db
from app.rendering import render
from app.spaces import bp
from app.spaces.models import Provider


@bp.get("/")
def index():
    providers = db.session.scalars(sa.select(Provider).order_by(Provider.name)).all()
    return render("spaces/index.html", providers=providers)
