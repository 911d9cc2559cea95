from app.rendering import render
from app.volunteering import bp


@bp.get("/")
def index():
    return render("volunteering/index.html")
