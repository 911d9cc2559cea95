from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import choices
from app.moderation.models import REASON_LABELS


class ReportForm(FlaskForm):
    path = HiddenField()
    reason = RadioField(
        _l("Co jest nie tak?"),
        choices=choices((reason.value, label) for reason, label in REASON_LABELS.items()),
        validators=[DataRequired(_l("Wybierz powód zgłoszenia."))],
    )
    message = TextAreaField(
        _l("Opis (co dokładnie i gdzie na stronie)"),
        validators=[DataRequired(_l("Opisz, co zgłaszasz.")), Length(max=5000)],
    )
    email = EmailField(
        _l("Adres e-mail, jeśli chcesz poznać wynik (nieobowiązkowo)"),
        validators=[
            Optional(),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
            Length(max=254),
        ],
    )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Powód (zobaczy go właściciel treści)"),
        validators=[DataRequired(_l("Podaj powód: właściciel go zobaczy.")), Length(max=1000)],
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Twoja odpowiedź dla Urzędu Miasta"),
        validators=[DataRequired(_l("Napisz odpowiedź dla Urzędu.")), Length(max=5000)],
    )
