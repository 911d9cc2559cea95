from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, URLField
from wtforms.validators import InputRequired, Length

ALL_SPACES = ""


class CalendarSourceForm(FlaskForm):
    url = URLField(
        _l("Adres kalendarza (iCal, .ics)"),
        validators=[
            InputRequired(_l("Podaj adres kalendarza.")),
            Length(max=2000, message=_l("Adres jest za długi.")),
        ],
        description=_l(
            "Np. „tajny adres w formacie iCal” z Kalendarza Google albo link do planu lekcji. "
            "Adres jest tajny: po zapisaniu pokazujemy tylko nazwę serwera."
        ),
    )
    space = SelectField(_l("Których przestrzeni dotyczy"), choices=[], validate_choice=True)
    transparent_is_busy = BooleanField(
        _l("Wydarzenia oznaczone jako „wolny czas” (przezroczyste) też blokują"),
        description=_l(
            "Zaznacz dla kalendarzy dni wolnych i świąt, które oznaczają całe dni jako wolny czas."
        ),
    )

    def set_spaces(self, provider) -> None:
        self.space.choices = [(ALL_SPACES, str(_l("wszystkie przestrzenie")))] + [
            (space.slug, space.name) for space in provider.spaces
        ]
