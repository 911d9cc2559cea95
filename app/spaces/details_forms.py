"""Forms of a space's photos and details, fee waivers, the settlement period and presets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.forms import DecimalField, IntegerField


class PhotoForm(FlaskForm):
    photo = FileField(
        _l("Zdjęcie"),
        description=_l(
            "JPEG, PNG lub WebP, najwyżej 5 MB. Usuwamy z niego dane o aparacie i miejscu."
        ),
    )
    alt_text = StringField(
        _l("Co widać na zdjęciu"),
        description=_l(
            "Tekst alternatywny dla osób niewidomych, np. „Sala z krzesłami w rzędach, duże okna”."
        ),
        validators=[
            DataRequired(
                _l("Opisz, co widać na zdjęciu (tekst alternatywny dla osób niewidomych).")
            ),
            Length(max=300),
        ],
    )


class AltTextForm(FlaskForm):
    alt_text = StringField(
        _l("Co widać na zdjęciu"),
        validators=[
            DataRequired(
                _l("Opisz, co widać na zdjęciu (tekst alternatywny dla osób niewidomych).")
            ),
            Length(max=300),
        ],
    )


class PhotoMoveForm(FlaskForm):
    direction = HiddenField()


def _money(label):
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(min=0)])


class DetailsForm(FlaskForm):
    directions = TextAreaField(
        _l("Jak dojechać i trafić"),
        description=_l("Przystanek, parking, które wejście, piętro."),
        validators=[Length(max=2000)],
    )
    contact_name = StringField(_l("Osoba do kontaktu"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Telefon"), validators=[Length(max=40)])
    contact_email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(_l("Podaj poprawny adres e-mail.")), Length(max=254)],
    )
    day_contact = StringField(
        _l("Kontakt w dniu rezerwacji"),
        description=_l("Np. woźny lub portiernia, z numerem telefonu."),
        validators=[Length(max=300)],
    )
    access_instructions = TextAreaField(
        _l("Instrukcje wejścia"),
        description=_l(
            "Odbiór klucza, opiekun, wejście, alarm. Widzą je tylko organizacje z potwierdzoną rezerwacją tej przestrzeni."
        ),
        validators=[Length(max=3000)],
    )
    accessible_entrance = StringField(_l("Wejście bez schodów"), validators=[Length(max=500)])
    door_width_cm = IntegerField(
        _l("Najwęższe drzwi na drodze do sali (cm)"),
        validators=[Optional(), NumberRange(min=40, max=400)],
    )
    accessible_toilet = StringField(_l("Gdzie jest toaleta dostępna"), validators=[Length(max=500)])
    accessibility_notes = TextAreaField(
        _l("Inne informacje o dostępności"), validators=[Length(max=2000)]
    )
    fee_normal_half_day = _money(_l("Stawka zwykła za pół dnia (do 4 h, zł)"))
    fee_ngo_half_day = _money(_l("Stawka dla organizacji za pół dnia (do 4 h, zł)"))
    fee_normal_day = _money(_l("Stawka zwykła za dzień (zł)"))
    fee_ngo_day = _money(_l("Stawka dla organizacji za dzień (zł)"))


class WaiverForm(FlaskForm):
    reason = TextAreaField(
        _l("Dlaczego prosisz o bezpłatne udostępnienie"),
        validators=[
            DataRequired(_l("Napisz, dlaczego prosisz o bezpłatne udostępnienie.")),
            Length(max=1000),
        ],
    )


class WaiverDecisionForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired()])
    note = StringField(_l("Uzasadnienie (opcjonalnie)"), validators=[Length(max=500)])


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    od = DateField(_l("Od dnia"), validators=[Optional()])
    do = DateField(_l("Do dnia"), validators=[Optional()])


class PresetForm(FlaskForm):
    preset = HiddenField(validators=[InputRequired()])
