from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.volunteering.forms import CommaDecimalField


class GrantForm(FlaskForm):
    name = StringField(
        _l("Nazwa dotacji lub zadania"),
        validators=[InputRequired(_l("Podaj nazwę dotacji.")), Length(max=200)],
    )
    competition = StringField(
        _l("Konkurs lub program"),
        description=_l("Np. otwarty konkurs ofert Gminy Miasta Toruń, jego numer i rok."),
        validators=[Length(max=300)],
    )
    agreement_number = StringField(_l("Numer umowy dotacji"), validators=[Length(max=100)])
    period_start = DateField(
        _l("Początek realizacji"), validators=[InputRequired(_l("Podaj początek okresu."))]
    )
    period_end = DateField(
        _l("Koniec realizacji"), validators=[InputRequired(_l("Podaj koniec okresu."))]
    )

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("Koniec okresu musi być po jego początku."))


class RateForm(FlaskForm):
    kind = StringField(
        _l("Rodzaj pracy"),
        validators=[InputRequired(_l("Podaj rodzaj pracy.")), Length(max=120)],
    )
    hourly_rate = CommaDecimalField(
        _l("Stawka za godzinę (zł)"),
        places=2,
        invalid_message=_l("Podaj stawkę jako liczbę, np. 31,40."),
        validators=[
            InputRequired(_l("Podaj stawkę.")),
            NumberRange(0, 10000, _l("Podaj stawkę od 0 do 10 000 zł.")),
        ],
    )
    source = StringField(
        _l("Źródło stawki"),
        description=_l(
            "Skąd ta stawka: regulamin konkursu, minimalna stawka godzinowa, dane GUS, cennik."
        ),
        validators=[Length(max=500)],
    )
    minimum_rate = BooleanField(
        _l("Minimalna stawka godzinowa w dniu pracy"),
        description=_l(
            "Każdy dzień pracy wyceniany stawką minimalną obowiązującą w tym dniu (np. 30,50 zł w 2025 r., 31,40 zł w 2026 r.); powyższa stawka służy wtedy tylko dniom sprzed tabeli stawek."
        ),
    )


def _id(value) -> int:
    """A choice's id; anything else is 0, which the service refuses with its own message."""
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 10 else 0


class AssignForm(FlaskForm):
    agreement = SelectField(
        _l("Zaangażowanie (porozumienie)"),
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired(_l("Wybierz porozumienie."))],
    )
    rate = SelectField(
        _l("Rodzaj pracy"),
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired(_l("Wybierz rodzaj pracy."))],
    )
    hours = CommaDecimalField(
        _l("Część godzin (opcjonalnie)"),
        places=2,
        description=_l(
            "Puste: całe zaangażowanie w tej dotacji. Liczba godzin: tylko ta część, resztę można rozliczyć w innych dotacjach."
        ),
        invalid_message=_l("Podaj liczbę godzin, np. 12,5."),
        validators=[
            Optional(),
            NumberRange(0.01, 100000, _l("Podaj liczbę godzin większą od zera.")),
        ],
    )


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("Od"), validators=[Optional()])
    end = DateField(_l("Do"), validators=[Optional()])

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("Koniec okresu musi być po jego początku."))
