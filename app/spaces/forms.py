from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SearchField,
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
)

from app.districts import district_choices as _district_pairs
from app.forms import DecimalField, IntegerField, MultiCheckboxField, choices
from app.spaces.models import ClosureReason, ProviderKind, Recurrence, SpaceKind, TermsKind
from app.spaces.vocab import accessibility_choices, equipment_choices

# Where a space of Toruń can be (WGS84 degrees; the city with a margin around it).
LATITUDE = (52.85, 53.15)
LONGITUDE = (18.35, 18.95)
NOT_TORUN = _l("Współrzędne muszą wskazywać miejsce w Toruniu lub okolicy (WGS84, w stopniach).")


def recurrence_choices():
    return choices(
        [
            (Recurrence.ONCE.value, _l("jednorazowo")),
            (Recurrence.WEEKLY.value, _l("co tydzień")),
            (Recurrence.BIWEEKLY.value, _l("co dwa tygodnie (tygodnie A/B)")),
        ]
    )


def terms_choices():
    return choices(
        [
            (TermsKind.FREE.value, _l("bezpłatnie")),
            (TermsKind.FEE.value, _l("odpłatnie (stawka dla organizacji)")),
            (TermsKind.BARTER.value, _l("barter (zajęcia w zamian)")),
        ]
    )


def district_choices():
    return choices(_district_pairs())


class BookingRequestForm(FlaskForm):
    organisation = SelectField(_l("Organizacja"), coerce=int, validators=[InputRequired()])
    purpose = TextAreaField(
        _l("Cel rezerwacji"),
        validators=[
            DataRequired(_l("Opisz, do czego potrzebujesz przestrzeni.")),
            Length(max=1000),
        ],
    )
    people = IntegerField(
        _l("Liczba osób"),
        default=10,
        validators=[InputRequired(_l("Podaj liczbę osób.")), NumberRange(min=1, max=2000)],
    )
    quantity = IntegerField(
        _l("Liczba sztuk"), default=1, validators=[Optional(), NumberRange(min=1, max=10000)]
    )
    day = DateField(_l("Dzień (pierwszy termin)"), validators=[InputRequired(_l("Podaj dzień."))])
    start = TimeField(_l("Od godziny"), validators=[InputRequired(_l("Podaj godzinę początku."))])
    end = TimeField(_l("Do godziny"), validators=[InputRequired(_l("Podaj godzinę końca."))])
    # Equipment over several days: the start is the pick-up, the end the return time.
    return_day = DateField(
        _l("Dzień zwrotu"),
        validators=[Optional()],
        description=_l(
            "Sprzęt na kilka dni: odbiór w pierwszym dniu o godzinie początku, zwrot "
            "tego dnia o godzinie końca. Puste: zwrot tego samego dnia."
        ),
    )
    recurrence = RadioField(
        _l("Powtarzanie"), choices=recurrence_choices, default=Recurrence.ONCE.value
    )
    until = DateField(
        _l("Powtarzaj do dnia (włącznie)"),
        validators=[Optional()],
        description=_l("Albo podaj liczbę terminów."),
    )
    count = IntegerField(_l("Liczba terminów"), validators=[Optional(), NumberRange(min=1, max=60)])
    is_public = BooleanField(_l("Wydarzenie otwarte dla mieszkańców"))
    public_title = StringField(
        _l("Tytuł publiczny"),
        validators=[Length(max=200)],
        description=_l("Widoczny w kalendarzu przestrzeni; reszta wniosku pozostaje prywatna."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.recurrence.data != Recurrence.ONCE.value and not (
            self.until.data or self.count.data
        ):
            self.until.errors = [*self.until.errors, _l("Podaj datę końcową albo liczbę terminów.")]
            ok = False
        if self.until.data and self.day.data and self.until.data < self.day.data:
            self.until.errors = [
                *self.until.errors,
                _l("Data końcowa jest przed pierwszym terminem."),
            ]
            ok = False
        if self.return_day.data and self.day.data and self.return_day.data < self.day.data:
            self.return_day.errors = [
                *self.return_day.errors,
                _l("Dzień zwrotu jest przed dniem odbioru."),
            ]
            ok = False
        same_day = not (
            self.return_day.data and self.day.data and self.return_day.data > self.day.data
        )
        if same_day and self.start.data and self.end.data and self.end.data <= self.start.data:
            self.end.errors = [
                *self.end.errors,
                _l("Godzina końca musi być późniejsza niż godzina początku."),
            ]
            ok = False
        if self.is_public.data and not (self.public_title.data or "").strip():
            self.public_title.errors = [
                *self.public_title.errors,
                _l("Podaj tytuł publiczny wydarzenia otwartego."),
            ]
            ok = False
        return ok


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Powód"), validators=[DataRequired(_l("Podaj powód.")), Length(max=500)]
    )


class MoveForm(FlaskForm):
    day = DateField(_l("Nowy dzień"), validators=[InputRequired(_l("Podaj dzień."))])
    start = TimeField(_l("Od godziny"), validators=[InputRequired(_l("Podaj godzinę początku."))])
    end = TimeField(_l("Do godziny"), validators=[InputRequired(_l("Podaj godzinę końca."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.start.data and self.end.data and self.end.data <= self.start.data:
            self.end.errors = [
                *self.end.errors,
                _l("Godzina końca musi być późniejsza niż godzina początku."),
            ]
            ok = False
        return ok


class DeliveryForm(FlaskForm):
    day = DateField(_l("Dzień zajęć"), validators=[InputRequired(_l("Podaj dzień."))])
    hours = DecimalField(
        _l("Liczba godzin"),
        places=2,
        validators=[InputRequired(_l("Podaj liczbę godzin.")), NumberRange(min=0.25, max=500)],
    )
    description = StringField(
        _l("Jakie zajęcia"), validators=[DataRequired(_l("Opisz zajęcia.")), Length(max=300)]
    )


class CatalogueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Szukaj w przestrzeniach"),
        description=_l(
            "Np. rzutnik, sala gimnastyczna, Podgórz. Możesz pisać bez polskich znaków."
        ),
        validators=[Optional(), Length(max=200)],
    )
    kind = SelectField(
        _l("Rodzaj"),
        choices=choices(
            [
                ("", _l("wszystko")),
                (SpaceKind.ROOM.value, _l("sale")),
                (SpaceKind.EQUIPMENT.value, _l("sprzęt")),
            ]
        ),
        validators=[Optional()],
    )
    district = SelectField(_l("Dzielnica"), validators=[Optional()])
    capacity = IntegerField(_l("Co najmniej miejsc"), validators=[Optional(), NumberRange(min=1)])
    equipment = MultiCheckboxField(_l("Wyposażenie"), choices=lambda: choices(equipment_choices()))
    accessibility = MultiCheckboxField(
        _l("Dostępność"), choices=lambda: choices(accessibility_choices())
    )
    terms = MultiCheckboxField(_l("Warunki"), choices=terms_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [
            SelectChoice("", _l("wszystkie dzielnice")),
            *district_choices(),
        ]


class MatchForm(FlaskForm):
    class Meta:
        csrf = False

    day = DateField(_l("Dzień"), validators=[InputRequired(_l("Podaj dzień."))])
    start = TimeField(_l("Od godziny"), validators=[InputRequired(_l("Podaj godzinę początku."))])
    end = TimeField(_l("Do godziny"), validators=[InputRequired(_l("Podaj godzinę końca."))])
    people = IntegerField(
        _l("Liczba osób"), validators=[InputRequired(_l("Podaj liczbę osób.")), NumberRange(min=1)]
    )
    recurrence = RadioField(
        _l("Powtarzanie"), choices=recurrence_choices, default=Recurrence.ONCE.value
    )
    count = IntegerField(
        _l("Liczba terminów"), default=1, validators=[Optional(), NumberRange(min=1, max=60)]
    )
    equipment = MultiCheckboxField(
        _l("Potrzebne wyposażenie"), choices=lambda: choices(equipment_choices())
    )
    accessibility = MultiCheckboxField(
        _l("Potrzebna dostępność"), choices=lambda: choices(accessibility_choices())
    )
    districts = MultiCheckboxField(_l("Dzielnice"), choices=district_choices)
    terms = MultiCheckboxField(_l("Akceptowane warunki"), choices=terms_choices)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.start.data and self.end.data and self.end.data <= self.start.data:
            self.end.errors = [
                *self.end.errors,
                _l("Godzina końca musi być późniejsza niż godzina początku."),
            ]
            ok = False
        return ok


class HoursForm(Form):
    """One weekday's opening hours (both empty: closed that day)."""

    opens = TimeField(_l("Otwarte od"), validators=[Optional()])
    closes = TimeField(_l("Otwarte do"), validators=[Optional()])


def auto_approve_choices():
    return choices(
        [
            ("", _l("jak u udostępniającego")),
            ("yes", _l("tak, dla zweryfikowanych organizacji")),
            ("no", _l("nie, zawsze decyduję sam")),
        ]
    )


class SpaceSettingsForm(FlaskForm):
    capacity = IntegerField(_l("Pojemność (osób)"), validators=[Optional(), NumberRange(min=1)])
    stock = IntegerField(
        _l("Liczba sztuk (sprzęt)"), validators=[InputRequired(), NumberRange(min=1)]
    )
    min_notice_hours = IntegerField(
        _l("Minimalne wyprzedzenie (godziny)"),
        validators=[InputRequired(), NumberRange(min=0, max=24 * 60)],
    )
    max_length_minutes = IntegerField(
        _l("Najdłuższa rezerwacja (minuty)"),
        validators=[InputRequired(), NumberRange(min=15, max=24 * 60)],
    )
    max_loan_days = IntegerField(
        _l("Najdłuższe wypożyczenie (dni, sprzęt)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=30)],
        description=_l("0: wypożyczenie w obrębie jednego dnia."),
    )
    max_days_ahead = IntegerField(
        _l("Rezerwacje najdalej na (dni naprzód)"),
        validators=[InputRequired(), NumberRange(min=1, max=730)],
    )
    buffer_minutes = IntegerField(
        _l("Przerwa między rezerwacjami (minuty)"),
        validators=[InputRequired(), NumberRange(min=0, max=240)],
    )
    terms = RadioField(_l("Warunki dla organizacji"), choices=terms_choices)
    fee_normal = DecimalField(
        _l("Stawka zwykła (zł/h)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    fee_ngo = DecimalField(
        _l("Stawka dla organizacji (zł/h)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    barter_terms = TextAreaField(
        _l("Czego oczekujesz w zamian (barter)"), validators=[Length(max=1000)]
    )
    barter_hours_per_hour = DecimalField(
        _l("Godzin zajęć za godzinę użycia"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=20)],
    )
    auto_approve = SelectField(_l("Automatyczne zatwierdzanie"), choices=auto_approve_choices)
    house_rules = TextAreaField(_l("Regulamin"), validators=[Length(max=3000)])
    hours = FieldList(FormField(HoursForm), min_entries=7, max_entries=7)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for entry in self.hours:
            opens, closes = entry.form.opens, entry.form.closes
            if bool(opens.data) != bool(closes.data) or (
                opens.data and closes.data and opens.data >= closes.data
            ):
                closes.errors = [
                    *closes.errors,
                    _l("Podaj obie godziny, od wcześniejszej do późniejszej."),
                ]
                ok = False
        if self.terms.data == TermsKind.FEE.value and self.fee_ngo.data is None:
            self.fee_ngo.errors = [*self.fee_ngo.errors, _l("Podaj stawkę dla organizacji.")]
            ok = False
        if self.terms.data == TermsKind.BARTER.value and not (self.barter_terms.data or "").strip():
            self.barter_terms.errors = [
                *self.barter_terms.errors,
                _l("Opisz, czego oczekujesz w zamian."),
            ]
            ok = False
        return ok


def closure_reason_choices():
    return choices(
        [
            (ClosureReason.SCHOOL_HOLIDAY.value, _l("ferie lub wakacje szkolne")),
            (ClosureReason.PUBLIC_HOLIDAY.value, _l("dzień ustawowo wolny od pracy")),
            (ClosureReason.RENOVATION.value, _l("remont")),
            (ClosureReason.OTHER.value, _l("inna przyczyna")),
        ]
    )


class ClosureForm(FlaskForm):
    starts_on = DateField(_l("Od dnia"), validators=[InputRequired(_l("Podaj dzień."))])
    ends_on = DateField(_l("Do dnia (włącznie)"), validators=[InputRequired(_l("Podaj dzień."))])
    reason = SelectField(_l("Powód zamknięcia"), choices=closure_reason_choices)
    note = StringField(_l("Opis (np. ferie zimowe)"), validators=[Length(max=300)])
    whole_provider = BooleanField(_l("Dotyczy wszystkich przestrzeni udostępniającego"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, _l("Koniec jest przed początkiem.")]
            ok = False
        return ok


def space_kind_choices():
    return choices(
        [
            (SpaceKind.ROOM.value, _l("sala lub pomieszczenie")),
            (SpaceKind.EQUIPMENT.value, _l("sprzęt do wypożyczenia")),
        ]
    )


class SpaceDescriptionForm(FlaskForm):
    """A new space, or the description of an existing one (``kind`` is fixed once created)."""

    name = StringField(_l("Nazwa"), validators=[DataRequired(_l("Podaj nazwę.")), Length(max=200)])
    kind = RadioField(
        _l("Rodzaj"),
        choices=space_kind_choices,
        default=SpaceKind.ROOM.value,
        validators=[InputRequired(_l("Wybierz rodzaj."))],
    )
    description = TextAreaField(_l("Opis"), validators=[Length(max=3000)])
    address = StringField(_l("Adres"), validators=[Length(max=300)])
    district = SelectField(_l("Dzielnica"), validators=[Optional()])
    # WGS84 degrees, checked to lie in and around Toruń (a typo lands elsewhere in the world).
    latitude = DecimalField(
        _l("Szerokość geograficzna"),
        places=6,
        validators=[Optional(), NumberRange(min=LATITUDE[0], max=LATITUDE[1], message=NOT_TORUN)],
        description=_l("W stopniach, np. 53.010300 (z mapy; nieobowiązkowo)."),
    )
    longitude = DecimalField(
        _l("Długość geograficzna"),
        places=6,
        validators=[Optional(), NumberRange(min=LONGITUDE[0], max=LONGITUDE[1], message=NOT_TORUN)],
        description=_l("W stopniach, np. 18.604800."),
    )
    capacity = IntegerField(
        _l("Pojemność (osób, sala)"), validators=[Optional(), NumberRange(min=1, max=5000)]
    )
    area_m2 = IntegerField(
        _l("Powierzchnia (m², sala)"), validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    floor = StringField(
        _l("Piętro (sala)"),
        validators=[Length(max=40)],
        description=_l("Np. parter, 1. piętro."),
    )
    stock = IntegerField(
        _l("Liczba sztuk (sprzęt)"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )
    equipment = MultiCheckboxField(_l("Wyposażenie"), choices=lambda: choices(equipment_choices()))
    accessibility = MultiCheckboxField(
        _l("Dostępność"), choices=lambda: choices(accessibility_choices())
    )
    house_rules = TextAreaField(_l("Regulamin"), validators=[Length(max=3000)])

    def __init__(self, *args, fixed_kind: SpaceKind | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_kind = fixed_kind
        if fixed_kind is not None:
            # An existing space keeps its kind: the edit page shows it as text, nothing posts it.
            del self.kind
        self.district.choices = [SelectChoice("", _l("wybierz dzielnicę")), *district_choices()]

    @property
    def chosen_kind(self) -> SpaceKind:
        return self.fixed_kind or SpaceKind(self.kind.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.name.data is not None and not self.name.data.strip() and not self.name.errors:
            self.name.errors = [*self.name.errors, _l("Podaj nazwę.")]
            ok = False
        if self.fixed_kind is None and self.kind.errors:
            return False
        if (self.latitude.data is None) != (self.longitude.data is None) and not (
            self.latitude.errors or self.longitude.errors
        ):
            missing = self.longitude if self.longitude.data is None else self.latitude
            missing.errors = [*missing.errors, _l("Podaj obie współrzędne albo żadnej.")]
            ok = False
        if self.chosen_kind == SpaceKind.EQUIPMENT and not self.stock.data:
            if not self.stock.errors:
                self.stock.errors = [*self.stock.errors, _l("Podaj liczbę sztuk sprzętu.")]
            ok = False
        return ok


def provider_kind_choices():
    return choices(
        [
            (ProviderKind.SCHOOL.value, _l("szkoła")),
            (ProviderKind.ACTIVITY_CENTRE.value, _l("centrum aktywności (np. CAL 2.Piętro)")),
            (ProviderKind.CITY_UNIT.value, _l("jednostka miejska")),
            (ProviderKind.NGO.value, _l("organizacja pozarządowa")),
        ]
    )


class ProviderForm(FlaskForm):
    name = StringField(
        _l("Nazwa udostępniającego"),
        validators=[DataRequired(_l("Podaj nazwę.")), Length(max=300)],
    )
    kind = SelectField(_l("Rodzaj"), choices=provider_kind_choices)
    organisation = SelectField(
        _l("Powiązana organizacja"),
        coerce=int,
        validators=[Optional()],
        description=_l("Gdy organizacja pozarządowa udostępnia własne pomieszczenia."),
    )


class ManagerForm(FlaskForm):
    email = EmailField(
        _l("Adres e-mail konta"),
        validators=[
            DataRequired(_l("Podaj adres e-mail.")),
            Email(_l("Podaj poprawny adres e-mail.")),
            Length(max=254),
        ],
        description=_l("Osoba musi mieć już konto w serwisie."),
        filters=[lambda value: value.strip() if value else value],
    )


class PremisesForm(FlaskForm):
    """An organisation publishes its own rooms or equipment to other organisations."""

    name = StringField(
        _l("Nazwa, pod którą udostępniacie"),
        validators=[DataRequired(_l("Podaj nazwę.")), Length(max=300)],
        description=_l("Zwykle nazwa organizacji; widoczna w katalogu."),
    )
    description = TextAreaField(
        _l("Kilka słów o tym, co udostępniacie"), validators=[Length(max=2000)]
    )
    contact_email = EmailField(
        _l("Adres do spraw rezerwacji"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
        ],
    )


class CombinedRoomForm(FlaskForm):
    """Which rooms of the provider this room is made of (a hall that divides)."""

    parts = MultiCheckboxField(_l("Sala łączona – składa się z sal"), coerce=int)
