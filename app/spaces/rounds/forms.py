"""Forms of the rounds: a new round, an activity of an application, an allocation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import IntegerField, MultiCheckboxField, choices
from app.spaces.rounds.service import AGE_LABELS, TERM_LABELS, WEEKDAYS

BOTH_TIMES = _l("Podaj obie godziny, od wcześniejszej do późniejszej.")


def weekday_choices(empty: bool = False):
    pairs = [(str(i), label) for i, label in enumerate(WEEKDAYS)]
    return choices(([("", _l("— brak —"))] if empty else []) + pairs)


class WindowForm(Form):
    """One weekday's window of a round (both empty: not allocated that day)."""

    starts = TimeField(_l("Od"), validators=[Optional()])
    ends = TimeField(_l("Do"), validators=[Optional()])


def _pair_ok(starts, ends) -> bool:
    if bool(starts.data) != bool(ends.data) or (starts.data and starts.data >= ends.data):
        ends.errors = [*ends.errors, BOTH_TIMES]
        return False
    return True


class RoundForm(FlaskForm):
    name = StringField(_l("Nazwa naboru"), validators=[DataRequired(), Length(max=200)])
    term_kind = SelectField(
        _l("Okres"), choices=lambda: choices([(k.value, v) for k, v in TERM_LABELS.items()])
    )
    season_starts_on = DateField(_l("Sezon od"), validators=[InputRequired()])
    season_ends_on = DateField(_l("Sezon do (włącznie)"), validators=[InputRequired()])
    applications_close_on = DateField(_l("Wnioski do (data)"), validators=[Optional()])
    description = TextAreaField(_l("Opis i zasady naboru"), validators=[Length(max=3000)])
    spaces = MultiCheckboxField(_l("Sale w naborze"), coerce=int, validate_choice=False)
    windows = FieldList(FormField(WindowForm), min_entries=7, max_entries=7)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for entry in self.windows:
            ok = _pair_ok(entry.form.starts, entry.form.ends) and ok
        return ok

    def fill_from(self, round_) -> None:
        """Show a round as it is (the edit page's GET)."""
        for name in ("name", "season_starts_on", "season_ends_on", "applications_close_on"):
            getattr(self, name).data = getattr(round_, name)
        self.term_kind.data = round_.term_kind.value
        self.description.data = round_.description
        self.spaces.data = [s.id for s in round_.spaces]
        for window in round_.windows:
            entry = self.windows[window.weekday].form
            entry.starts.data, entry.ends.data = window.starts, window.ends

    def window_list(self):
        return [
            (weekday, entry.form.starts.data, entry.form.ends.data)
            for weekday, entry in enumerate(self.windows)
            if entry.form.starts.data and entry.form.ends.data
        ]


class ActivityForm(FlaskForm):
    organisation = SelectField(_l("Organizacja"), coerce=int, validate_choice=False)
    contact = StringField(
        _l("Osoba do kontaktu (imię, telefon)"), validators=[Optional(), Length(max=300)]
    )
    name = StringField(_l("Zajęcia (nazwa)"), validators=[DataRequired(), Length(max=200)])
    participants = IntegerField(
        _l("Liczba uczestników"), validators=[InputRequired(), NumberRange(min=1, max=10000)]
    )
    age_group = SelectField(
        _l("Grupa wiekowa"), choices=lambda: choices([(k.value, v) for k, v in AGE_LABELS.items()])
    )
    sessions_per_week = IntegerField(
        _l("Spotkań w tygodniu"), default=1, validators=[InputRequired(), NumberRange(1, 7)]
    )
    min_minutes = IntegerField(
        _l("Najkrótszy czas spotkania (minuty)"),
        default=60,
        validators=[InputRequired(), NumberRange(15, 24 * 60)],
    )
    max_minutes = IntegerField(
        _l("Najdłuższy czas spotkania (minuty)"),
        default=90,
        validators=[InputRequired(), NumberRange(15, 24 * 60)],
    )
    wish_1 = SelectField(_l("Sala – pierwszy wybór"), coerce=int, validate_choice=False)
    wish_2 = SelectField(_l("Sala – drugi wybór"), coerce=int, validate_choice=False)
    wish_3 = SelectField(_l("Sala – trzeci wybór"), coerce=int, validate_choice=False)
    primary_1_day = SelectField(_l("Dzień (pierwszy wybór)"), choices=weekday_choices)
    primary_1_starts = TimeField(_l("Od (pierwszy wybór)"), validators=[InputRequired()])
    primary_1_ends = TimeField(_l("Do (pierwszy wybór)"), validators=[InputRequired()])
    primary_2_day = SelectField(
        _l("Dzień (pierwszy wybór, drugi termin)"), choices=lambda: weekday_choices(True)
    )
    primary_2_starts = TimeField(_l("Od (pierwszy wybór, drugi termin)"), validators=[Optional()])
    primary_2_ends = TimeField(_l("Do (pierwszy wybór, drugi termin)"), validators=[Optional()])
    secondary_day = SelectField(_l("Dzień (drugi wybór)"), choices=lambda: weekday_choices(True))
    secondary_starts = TimeField(_l("Od (drugi wybór)"), validators=[Optional()])
    secondary_ends = TimeField(_l("Do (drugi wybór)"), validators=[Optional()])

    OPTIONAL_RANGES = ("primary_2", "secondary")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = _pair_ok(self.primary_1_starts, self.primary_1_ends) and ok
        for prefix in self.OPTIONAL_RANGES:
            day, starts, ends = (getattr(self, f"{prefix}_{n}") for n in ("day", "starts", "ends"))
            if day.data or starts.data or ends.data:
                if not day.data:
                    day.errors = [*day.errors, _l("Wybierz dzień.")]
                    ok = False
                ok = _pair_ok(starts, ends) and ok
        if (
            self.min_minutes.data
            and self.max_minutes.data
            and self.min_minutes.data > self.max_minutes.data
        ):
            self.max_minutes.errors = [
                *self.max_minutes.errors,
                _l("Najkrótszy czas zajęć nie może być dłuższy niż najdłuższy."),
            ]
            ok = False
        return ok


class AllocationForm(FlaskForm):
    activity = IntegerField(_l("Zajęcia"), validators=[InputRequired()])
    space = SelectField(_l("Sala"), coerce=int, validate_choice=False)
    weekday = SelectField(_l("Dzień"), choices=weekday_choices)
    start = TimeField(_l("Od"), validators=[InputRequired()])
    end = TimeField(_l("Do"), validators=[InputRequired()])
