"""The demo data set: realistic but fictional people and organisations, real Toruń places.

Each domain loads its own part (``app/<domain>/demo.py``); every loader is idempotent, so
``flask demo-data`` can run on every start.
"""

from __future__ import annotations

from app.accounts import demo as accounts_demo
from app.organisations import demo as organisations_demo
from app.spaces import demo as spaces_demo
from app.staff import demo as staff_demo
from app.unit_of_work import transaction
from app.volunteering import demo as volunteering_demo


def load_demo_data() -> dict:
    """Load (or top up) the demo data in one transaction: all of it or nothing."""
    with transaction():
        users = accounts_demo.load()
        organisations = organisations_demo.load(users)
        providers = spaces_demo.load(users, organisations)
        volunteering_demo.load(users, organisations)
        staff_demo.load(users, organisations)
    return {"users": users, "organisations": organisations, "providers": providers}


def demo_logins() -> list[tuple[str, str]]:
    return [
        (email, accounts_demo.ROLE_LABELS[key])
        for key, (email, _name, _staff) in accounts_demo.DEMO_USERS.items()
    ]
