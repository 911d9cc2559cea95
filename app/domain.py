"""The one way a service refuses an action: ``raise DomainError(message, status=..., field=...)``.

Services know nothing of HTTP pages or htmx; they raise this with a translated, precise message.
``app.errors`` turns it into an answer where the user is (see docs/architecture.md): a view with
a form catches it and shows ``message`` on ``field`` (or above the form); anything uncaught is
answered with ``status`` and the message, for htmx in the page's message region.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A refused action, with the reason to show the user.

    ``status``: 409 when the refusal comes from the state of things (a slot taken, a shift
    full, a booking already decided), 422 when the input cannot be accepted, 403 when the user
    may not do it.
    """

    status = 409

    def __init__(self, message, *, status: int | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


CONFLICT_MESSAGE = _l("Ktoś właśnie zmienił te dane. Odśwież stronę i spróbuj ponownie.")


def conflict_from(error: sa.exc.DBAPIError, messages: dict | None = None) -> DomainError:
    """The DomainError for an IntegrityError or exclusion violation: ``messages`` maps a
    constraint name (see ``app.db.NAMING_CONVENTION``) to the message users should read."""
    text = str(getattr(error, "orig", error))
    for constraint, message in (messages or {}).items():
        if constraint in text:
            return DomainError(message)
    return DomainError(CONFLICT_MESSAGE)
