"""Liveness and readiness for load balancers and orchestrators. Only ``create_app`` imports this."""

from flask import Blueprint

bp = Blueprint("ops", __name__)

from app.ops import views  # noqa: E402,F401
