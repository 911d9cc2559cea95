"""Forms of day-to-day operations: a booking the provider's staff enter, the provider's
no-show and reminder settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.forms import IntegerField, choices
from app.spaces.forms import BookingRequestForm
from app.spaces.service.operations import ON_BEHALF_CHANNELS


class EnterBookingForm(BookingRequestForm):
    """The request form, for the provider's staff: which of their spaces, for whom (an
    organisation, or 0: the provider's own event) and how the organisation asked."""

    space = SelectField(_l("Przestrzeń"), coerce=int, validators=[InputRequired()])
    via = RadioField(
        _l("Jak organizacja zgłosiła rezerwację"),
        choices=lambda: choices(list(ON_BEHALF_CHANNELS.items())),
        default="phone",
        validators=[Optional()],
    )


class ProviderRulesForm(FlaskForm):
    no_show_limit = IntegerField(
        _l("Blokada po tylu nieobecnościach w ciągu roku"),
        validators=[Optional(), NumberRange(min=1, max=20)],
        description=_l("Puste: bez blokady."),
    )
    no_show_ban_days = IntegerField(
        _l("Długość blokady nowych wniosków (dni)"),
        default=90,
        validators=[InputRequired(_l("Podaj liczbę dni.")), NumberRange(min=1, max=730)],
    )
    pending_reminder_days = IntegerField(
        _l("Przypomnij o wniosku czekającym dłużej niż (dni)"),
        validators=[Optional(), NumberRange(min=1, max=60)],
        description=_l("Puste: ustawienie ogólne serwisu."),
    )
