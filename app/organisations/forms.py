from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.districts import district_choices
from app.forms import IntegerField, MultiCheckboxField
from app.organisations import contacts, identifiers
from app.organisations.models import (
    LEGAL_FORM_LABELS,
    MEMBER_ROLE_LABELS,
    OFFER_KIND_LABELS,
    LegalForm,
    MemberRole,
    OfferKind,
)
from app.organisations.spheres import sphere_choices


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _identifier(normaliser):
    def validate(form, field):
        if field.data and field.data.strip():
            try:
                field.data = normaliser(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error
        else:
            field.data = ""

    return validate


def _url_field(label):
    return URLField(label, validators=[_identifier(contacts.normalise_url), Length(max=300)])


class NewOrganisationForm(FlaskForm):
    name = StringField(
        _l("Nazwa organizacji"),
        validators=[DataRequired(_l("Podaj nazwę organizacji.")), Length(max=300)],
    )
    legal_form = SelectField(
        _l("Forma prawna"),
        choices=choices((f.value, label) for f, label in LEGAL_FORM_LABELS.items()),
        default=LegalForm.ASSOCIATION.value,
    )
    krs = StringField(
        _l("Numer KRS"),
        description=_l("10 cyfr; stowarzyszenia zwykłe nie mają KRS."),
        validators=[_identifier(identifiers.normalise_krs)],
    )


class ProfileForm(NewOrganisationForm):
    nip = StringField(_l("NIP"), validators=[_identifier(identifiers.normalise_nip)])
    regon = StringField(_l("REGON"), validators=[_identifier(identifiers.normalise_regon)])
    short_description = StringField(
        _l("Krótki opis"),
        description=_l("Jedno zdanie widoczne na liście organizacji (do 300 znaków)."),
        validators=[Length(max=300)],
    )
    description = TextAreaField(_l("Opis działalności"), validators=[Length(max=20000)])
    areas = MultiCheckboxField(
        _l("Sfery pożytku publicznego"),
        description=_l("Według art. 4 ust. 1 ustawy o działalności pożytku publicznego."),
    )
    competences = MultiCheckboxField(_l("Kompetencje"), coerce=int)
    tags = StringField(
        _l("Inne tagi"),
        description=_l("Słowa kluczowe oddzielone przecinkami, np. szachy, rękodzieło."),
        validators=[Length(max=500)],
    )
    districts = MultiCheckboxField(_l("Osiedla, na których działamy"))
    street = StringField(_l("Ulica i numer"), validators=[Length(max=200)])
    # The same checks as the CSV import's (app/organisations/contacts.py).
    postcode = StringField(
        _l("Kod pocztowy"), validators=[_identifier(contacts.normalise_postcode)]
    )
    city = StringField(_l("Miejscowość"), default="Toruń", validators=[Length(max=100)])
    email = EmailField(
        _l("E-mail kontaktowy"),
        validators=[_identifier(contacts.normalise_email), Length(max=254)],
    )
    phone = StringField(
        _l("Telefon"), validators=[_identifier(contacts.normalise_phone), Length(max=40)]
    )
    website = _url_field(_l("Strona internetowa"))
    social_links = TextAreaField(
        _l("Media społecznościowe"),
        description=_l("Jeden adres w wierszu (Facebook, Instagram, YouTube…)."),
        validators=[_identifier(contacts.normalise_social_links), Length(max=2000)],
    )

    def __init__(self, *args, competence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas.choices = choices(sphere_choices())
        self.districts.choices = choices(district_choices())
        self.competences.choices = choices(competence_choices)


class ProjectForm(FlaskForm):
    title = StringField(
        _l("Tytuł projektu"), validators=[DataRequired(_l("Podaj tytuł.")), Length(max=300)]
    )
    year_start = IntegerField(
        _l("Rok rozpoczęcia"),
        validators=[
            DataRequired(_l("Podaj rok.")),
            NumberRange(1989, date.today().year + 5, _l("Podaj rok między 1989 a %(max)s.")),
        ],
    )
    year_end = IntegerField(
        _l("Rok zakończenia"),
        description=_l("Puste, jeśli projekt trwa."),
        validators=[Optional(), NumberRange(1989, date.today().year + 10)],
    )
    funder = StringField(
        _l("Źródło finansowania"),
        description=_l("Np. grant Gminy Miasta Toruń, FIO, środki własne."),
        validators=[Length(max=200)],
    )
    link = _url_field(_l("Link"))
    description = TextAreaField(_l("Opis"), validators=[Length(max=5000)])

    def validate_year_end(self, field):
        if field.data and self.year_start.data and field.data < self.year_start.data:
            raise ValidationError(_l("Rok zakończenia nie może być wcześniejszy niż rozpoczęcia."))


class OfferForm(FlaskForm):
    kind = SelectField(
        _l("Rodzaj"), choices=choices((k.value, label) for k, label in OFFER_KIND_LABELS.items())
    )
    title = StringField(
        _l("Co proponujecie innym organizacjom"),
        validators=[DataRequired(_l("Podaj, co proponujecie.")), Length(max=200)],
    )
    description = TextAreaField(_l("Szczegóły i warunki"), validators=[Length(max=5000)])

    def validate_kind(self, field):
        if field.data not in {k.value for k in OfferKind}:
            raise ValidationError(_l("Wybierz rodzaj z listy."))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Adres e-mail osoby zapraszanej"),
        validators=[
            DataRequired(_l("Podaj adres e-mail.")),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(
        _l("Rola"),
        choices=choices((r.value, label) for r, label in MEMBER_ROLE_LABELS.items()),
        default=MemberRole.EDITOR.value,
    )


class JoinForm(FlaskForm):
    message = TextAreaField(
        _l("Wiadomość"),
        description=_l("Napisz, kim jesteś w organizacji (np. członek zarządu)."),
        validators=[Length(max=2000)],
    )


class CompetenceForm(FlaskForm):
    name = StringField(
        _l("Nazwa kompetencji"),
        validators=[DataRequired(_l("Podaj nazwę.")), Length(max=120)],
    )
    # Shown on English and Ukrainian pages; empty: the Polish name is shown there.
    name_en = StringField(_l("Nazwa po angielsku"), validators=[Length(max=120)])
    name_uk = StringField(_l("Nazwa po ukraińsku"), validators=[Length(max=120)])
