from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField, URLField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from app.forms import DecimalField

SECTION_LIMIT = 5000


class AgreementTemplateForm(FlaskForm):
    health_safety = TextAreaField(
        _l("Informacja o ryzyku dla zdrowia i bezpieczeństwa oraz o zasadach ochrony"),
        description=_l(
            "Opisz zagrożenia typowe dla Waszych zadań i sposób ochrony przed nimi. Puste pole: tekst domyślny."
        ),
        validators=[Length(max=SECTION_LIMIT)],
    )
    rights_duties = TextAreaField(
        _l("Prawa i obowiązki stron"),
        description=_l("Puste pole: tekst domyślny."),
        validators=[Length(max=SECTION_LIMIT)],
    )
    costs = TextAreaField(
        _l("Pokrywanie kosztów"),
        description=_l("Puste pole: tekst domyślny."),
        validators=[Length(max=SECTION_LIMIT)],
    )
    termination = TextAreaField(
        _l("Rozwiązanie porozumienia"),
        description=_l("Puste pole: tekst domyślny."),
        validators=[Length(max=SECTION_LIMIT)],
    )


class VolunteerAcceptForm(FlaskForm):
    costs_waived = BooleanField(
        _l(
            "Zwalniam Korzystającego z obowiązku pokrywania kosztów podróży służbowych i diet (dobrowolnie; art. 45 ust. 4 ustawy wymaga formy pisemnej: zwolnienie jest skuteczne po podpisaniu go na piśmie)"
        )
    )


class OrganisationAcceptForm(FlaskForm):
    pass


class WrittenAgreementForm(FlaskForm):
    signed_on = DateField(
        _l("Data podpisania porozumienia na piśmie"),
        validators=[InputRequired(_l("Podaj datę podpisania."))],
    )


class TimesheetForm(FlaskForm):
    day = DateField(_l("Dzień"), validators=[InputRequired(_l("Podaj dzień."))])
    hours = DecimalField(
        _l("Godziny"),
        places=2,
        validators=[
            InputRequired(_l("Podaj liczbę godzin.")),
            NumberRange(0.25, 24, _l("Podaj od 0,25 do 24 godzin.")),
        ],
    )
    description = TextAreaField(
        _l("Co zostało zrobione"),
        validators=[InputRequired(_l("Opisz, co zostało zrobione.")), Length(max=1000)],
    )


class ConfirmEntryForm(FlaskForm):
    hours = DecimalField(
        _l("Potwierdzone godziny"),
        places=2,
        description=_l("Puste: tyle, ile wpisał wolontariusz. 0: nie zaliczamy."),
        validators=[Optional(), NumberRange(0, 24, _l("Podaj od 0 do 24 godzin."))],
    )
    note = StringField(_l("Uzasadnienie poprawki"), validators=[Length(max=300)])


class RegisterCheckForm(FlaskForm):
    checked_on = DateField(
        _l("Data sprawdzenia w rejestrze"),
        validators=[InputRequired(_l("Podaj datę sprawdzenia."))],
    )


class StandardsForm(FlaskForm):
    url = URLField(
        _l("Adres (link) standardów ochrony małoletnich"),
        validators=[
            InputRequired(_l("Podaj link do standardów.")),
            URL(require_tld=True, message=_l("Podaj pełny adres, np. https://…")),
            Length(max=500),
        ],
    )
    adopted_on = DateField(_l("Data przyjęcia standardów"), validators=[Optional()])


class OpinionForm(FlaskForm):
    text = TextAreaField(
        _l("Treść opinii"),
        description=_l(
            "Jak wolontariusz wykonywał świadczenia: zadania, zaangażowanie, umiejętności."
        ),
        validators=[InputRequired(_l("Napisz treść opinii.")), Length(max=5000)],
    )
