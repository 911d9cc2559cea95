from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import DecimalField, IntegerField, MultiCheckboxField
from app.volunteering.vocab import (
    AVAILABILITY_SLOTS,
    DISTRICTS,
    KINDS,
    SPHERES,
    TAGS,
)


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _sphere_choices():
    return _choices((s.code, s.label) for s in SPHERES)


def _district_choices(blank):
    return _choices([("", blank), *DISTRICTS])


def _birth_year_field():
    return IntegerField(
        _l("Rok urodzenia"),
        validators=[
            InputRequired(_l("Podaj rok urodzenia.")),
            NumberRange(1900, date.today().year, _l("Podaj prawdziwy rok urodzenia.")),
        ],
        description=_l("Potrzebny tylko do sprawdzenia wymagań wiekowych."),
    )


class SignupForm(FlaskForm):
    birth_year = _birth_year_field()
    message = TextAreaField(_l("Wiadomość do organizacji"), validators=[Length(max=1000)])
    guardian_name = StringField(
        _l("Imię i nazwisko rodzica lub opiekuna"), validators=[Length(max=120)]
    )
    guardian_contact = StringField(
        _l("E-mail rodzica lub opiekuna"),
        description=_l(
            "Wyślemy na niego link: rodzic lub opiekun zobaczy ofertę i porozumienie i wyrazi zgodę."
        ),
        validators=[Length(max=254)],
    )
    guardian_paper = BooleanField(
        _l("Wolę papierowy formularz zgody (wydrukuję go, a podpisany oddam organizacji)"),
        description=_l("Wtedy zamiast e-maila możesz podać telefon."),
    )


class GuestSignupForm(FlaskForm):
    """Micro-volunteering: the minimum data (name, e-mail, phone optional)."""

    name = StringField(
        _l("Imię i nazwisko"), validators=[DataRequired(_l("Podaj imię.")), Length(max=120)]
    )
    email = EmailField(
        _l("Adres e-mail"),
        validators=[
            DataRequired(_l("Podaj adres e-mail.")),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
            Length(max=254),
        ],
    )
    phone = StringField(_l("Telefon (nieobowiązkowo)"), validators=[Optional(), Length(max=40)])
    adult = BooleanField(
        _l("Mam ukończone 18 lat"),
        validators=[DataRequired(_l("Osoby niepełnoletnie zapisują się przez konto."))],
    )
    agreement = BooleanField(
        _l(
            "Zawieram z organizacją porozumienie o wykonywaniu świadczeń wolontariusza (treść powyżej)"
        ),
        validators=[
            DataRequired(
                _l(
                    "Zapis oznacza zawarcie porozumienia (art. 44 ust. 1 ustawy): zaznacz, że je zawierasz."
                )
            )
        ],
    )


class OpportunityForm(FlaskForm):
    title = StringField(_l("Tytuł"), validators=[DataRequired(_l("Podaj tytuł.")), Length(max=200)])
    description = TextAreaField(
        _l("Opis"), validators=[DataRequired(_l("Opisz zadanie.")), Length(max=10000)]
    )
    sphere = SelectField(_l("Obszar (sfera pożytku publicznego)"), choices=_sphere_choices)
    kind = SelectField(_l("Rodzaj"), choices=_choices(KINDS))
    tags = MultiCheckboxField(_l("Dla kogo"), choices=_choices(TAGS))
    district = SelectField(_l("Osiedle"), choices=lambda: _district_choices(_l("— bez osiedla —")))
    address = StringField(_l("Adres"), validators=[Length(max=300)])
    is_online = BooleanField(_l("Zdalnie (online)"))
    min_age = IntegerField(
        _l("Minimalny wiek"),
        validators=[Optional(), NumberRange(13, 99, _l("Podaj wiek od 13 do 99 lat."))],
    )
    skills = StringField(_l("Potrzebne umiejętności"), validators=[Length(max=500)])
    languages = StringField(_l("Języki"), validators=[Length(max=200)])
    requires_approval = BooleanField(_l("Zgłoszenia wymagają akceptacji organizacji"))
    contact_name = StringField(_l("Osoba kontaktowa"), validators=[Length(max=120)])
    contact_email = EmailField(
        _l("E-mail kontaktowy"),
        validators=[
            Optional(),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
            Length(max=254),
        ],
    )
    contact_phone = StringField(_l("Telefon kontaktowy"), validators=[Length(max=40)])
    valid_until = DateField(_l("Oferta ważna do"), validators=[Optional()])
    works_with_children = BooleanField(
        _l("Praca z dziećmi lub młodzieżą (poniżej 18 lat)"),
        description=_l(
            "Przed pierwszym terminem organizacja sprawdza wolontariusza w Rejestrze Sprawców Przestępstw na Tle Seksualnym (art. 21 ustawy z 13 maja 2016 r.)."
        ),
    )
    nnw_insurer = StringField(_l("Ubezpieczyciel (NNW)"), validators=[Length(max=200)])
    nnw_policy = StringField(_l("Numer polisy"), validators=[Length(max=100)])
    nnw_statement = TextAreaField(
        _l("Albo oświadczenie o ubezpieczeniu"),
        description=_l(
            "Np. „Wolontariusze są ubezpieczeni w ramach polisy zbiorowej organizacji.”"
        ),
        validators=[Length(max=1000)],
    )

    def validate_nnw_policy(self, field):
        if (field.data or "").strip() and not (self.nnw_insurer.data or "").strip():
            raise ValidationError(_l("Podaj też ubezpieczyciela."))

    def validate_address(self, field):
        if not self.is_online.data and not (field.data or "").strip() and not self.district.data:
            raise ValidationError(_l("Podaj adres lub osiedle albo zaznacz, że to zdalnie."))


class ShiftTimesForm(FlaskForm):
    """When a shift happens, in Warsaw wall-clock time (moving a shift edits only this)."""

    day = DateField(_l("Dzień"), validators=[InputRequired(_l("Podaj dzień."))])
    start = TimeField(_l("Początek"), validators=[InputRequired(_l("Podaj godzinę."))])
    end = TimeField(_l("Koniec"), validators=[InputRequired(_l("Podaj godzinę."))])

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("Koniec musi być po początku."))


class ShiftForm(ShiftTimesForm):
    capacity = IntegerField(
        _l("Liczba miejsc"),
        validators=[InputRequired(_l("Podaj liczbę miejsc.")), NumberRange(1, 1000)],
    )
    note = StringField(_l("Uwagi"), validators=[Length(max=200)])


class CapacityForm(FlaskForm):
    capacity = IntegerField(
        _l("Liczba miejsc"),
        validators=[InputRequired(_l("Podaj liczbę miejsc.")), NumberRange(1, 1000)],
    )


class CancelShiftForm(FlaskForm):
    reason = TextAreaField(
        _l("Powód odwołania"),
        validators=[Length(max=500)],
        description=_l("Wyślemy go w e-mailu do zapisanych osób."),
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decyzja"),
        choices=_choices([("accept", _l("Przyjmij")), ("decline", _l("Odrzuć"))]),
        validators=[InputRequired(_l("Wybierz decyzję."))],
    )
    message = TextAreaField(_l("Wiadomość do wolontariusza"), validators=[Length(max=1000)])


class AttendanceForm(FlaskForm):
    attended = RadioField(
        _l("Obecność"),
        choices=_choices([("yes", _l("Był(a)")), ("no", _l("Nie było"))]),
        validators=[InputRequired(_l("Wybierz obecność."))],
    )
    hours = DecimalField(_l("Godziny"), places=2, validators=[Optional(), NumberRange(0, 24)])


class ProfileForm(FlaskForm):
    birth_year = IntegerField(
        _l("Rok urodzenia"),
        validators=[Optional(), NumberRange(1900, date.today().year)],
        description=_l("Potrzebny tylko do sprawdzenia wymagań wiekowych."),
    )
    interests = MultiCheckboxField(_l("Zainteresowania"), choices=_sphere_choices)
    skills = StringField(_l("Umiejętności"), validators=[Length(max=500)])
    languages = StringField(_l("Języki"), validators=[Length(max=200)])
    availability = MultiCheckboxField(
        _l("Kiedy możesz pomagać"), choices=_choices((slot, slot) for slot in AVAILABILITY_SLOTS)
    )
    district = SelectField(
        _l("Twoje osiedle"), choices=lambda: _district_choices(_l("— nie podaję —"))
    )
    accessibility_needs = TextAreaField(
        _l("Potrzeby związane z dostępnością"), validators=[Length(max=500)]
    )
    digest_opt_in = BooleanField(_l("Chcę co tydzień dostawać e-mail z pasującymi ofertami"))


class CommaDecimalField(DecimalField):
    """A decimal as Poles write it (31,40) or with a point; bad text keeps its own message."""

    def __init__(self, *args, invalid_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.invalid_message)) from error


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("Od"), validators=[Optional()])
    end = DateField(_l("Do"), validators=[Optional()])
    rate = CommaDecimalField(
        _l("Stawka za godzinę (zł)"),
        places=2,
        description=_l(
            "Puste pole: każdy dzień według minimalnej stawki godzinowej obowiązującej w dniu pracy (2025 r.: 30,50 zł, 2026 r.: 31,40 zł)."
        ),
        invalid_message=_l("Podaj stawkę jako liczbę, np. 31,40."),
        validators=[Optional(), NumberRange(0, 10000, _l("Podaj stawkę od 0 do 10 000 zł."))],
    )

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("Koniec okresu musi być po jego początku."))
