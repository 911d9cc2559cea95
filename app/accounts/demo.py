"""Demo accounts, one per role, with a shared password printed by `make run`."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.consents import record_consents
from app.accounts.models import User
from app.db import utcnow
from app.extensions import db

DEMO_PASSWORD = "Wspolnie-demo-2026"

# key -> (e-mail, name, is_staff); other domains look demo users up by key.
DEMO_USERS = {
    "staff": ("urzad@demo.wspolnie.pl", "Agnieszka Urzędnicza", True),
    "ngo_owner": ("fundacja@demo.wspolnie.pl", "Katarzyna Nowak", False),
    "ngo_editor": ("redaktor@demo.wspolnie.pl", "Piotr Wiśniewski", False),
    "ngo_owner2": ("stowarzyszenie@demo.wspolnie.pl", "Tomasz Zieliński", False),
    "cal_manager": ("cal@demo.wspolnie.pl", "Magdalena Kowalczyk", False),
    "school_manager": ("szkola@demo.wspolnie.pl", "Barbara Lewandowska", False),
    "city_manager": ("zgm@demo.wspolnie.pl", "Marek Wójcik", False),
    "volunteer": ("wolontariusz@demo.wspolnie.pl", "Ola Kamińska", False),
    "volunteer2": ("senior@demo.wspolnie.pl", "Jan Szymański", False),
    "volunteer3": ("uczennica@demo.wspolnie.pl", "Zuzanna Dąbrowska", False),
}

ROLE_LABELS = {
    "staff": "city staff",
    "ngo_owner": "NGO owner",
    "ngo_editor": "NGO editor",
    "ngo_owner2": "NGO owner",
    "cal_manager": "CAL 2.Piętro manager",
    "school_manager": "school manager (a teacher, coordinator of the school volunteering club)",
    "city_manager": "city premises (ZGM) manager",
    "volunteer": "volunteer",
    "volunteer2": "volunteer",
    "volunteer3": "volunteer",
}


def load() -> dict[str, User]:
    users: dict[str, User] = {}
    for key, (email, name, is_staff) in DEMO_USERS.items():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, is_staff=is_staff, confirmed_at=utcnow())
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
        users[key] = user
    db.session.flush()
    for user in users.values():  # demo people accepted the current terms and notice
        record_consents(user)
    return users
