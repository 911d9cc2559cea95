from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import InputRequired, Length

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
            "Zwalniam Korzystającego z obowiązku pokrywania kosztów podróży służbowych i diet (dobrowolnie; można to zmienić, zawierając nowe porozumienie)"
        )
    )


class OrganisationAcceptForm(FlaskForm):
    pass


class WrittenAgreementForm(FlaskForm):
    signed_on = DateField(
        _l("Data podpisania porozumienia na piśmie"),
        validators=[InputRequired(_l("Podaj datę podpisania."))],
    )
