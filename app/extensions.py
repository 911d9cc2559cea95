"""Flask extensions, created once and initialised in the app factory."""

from flask_babel import Babel
from flask_caching import Cache
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.db import Base
from app.ops.replica import RoutingSession

# RoutingSession sends the reads of chosen GET views to a replica when one is configured
# (app/ops/replica.py); without one it is Flask-SQLAlchemy's own session.
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
cache = Cache()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
