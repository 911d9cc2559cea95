from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

MIN_PASSWORD_LENGTH = 10

# A short list of passwords people still try; the length rule already stops most others.
COMMON_PASSWORDS = {
    "1234567890",
    "0987654321",
    "qwertyuiop",
    "password123",
    "haslo12345",
    "hasło12345",
    "zaq12wsxcde",
    "qwerty1234",
    "1q2w3e4r5t",
    "administrator",
    "torun12345",
}


def strong_password(form, field) -> None:
    password = field.data or ""
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError(_l("To hasło jest zbyt łatwe do odgadnięcia."))
    email = getattr(form, "email", None)
    if email is not None and email.data and password.lower() == email.data.lower():
        raise ValidationError(_l("Hasło nie może być takie samo jak adres e-mail."))


def _email_field(label=None):
    return EmailField(
        label or _l("Adres e-mail"),
        validators=[
            DataRequired(_l("Podaj adres e-mail.")),
            Email(_l("To nie wygląda na poprawny adres e-mail."), check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password_field(label=None):
    return PasswordField(
        label or _l("Hasło"),
        validators=[
            DataRequired(_l("Podaj hasło.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Hasło musi mieć co najmniej %(min)d znaków.", min=MIN_PASSWORD_LENGTH),
            ),
            strong_password,
        ],
        description=_l("Co najmniej %(min)d znaków.", min=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field(target="password"):
    return PasswordField(
        _l("Powtórz hasło"),
        validators=[
            DataRequired(_l("Powtórz hasło.")),
            EqualTo(target, _l("Hasła nie są takie same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Imię i nazwisko"),
        validators=[DataRequired(_l("Podaj imię i nazwisko.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password = _new_password_field()
    password_confirm = _confirm_field()
    accept_privacy = BooleanField(
        _l(
            "Zapoznałem/-am się z informacją o przetwarzaniu danych osobowych i akceptuję regulamin."
        ),
        validators=[DataRequired(_l("Bez tej zgody nie możemy założyć konta."))],
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Hasło"),
        validators=[DataRequired(_l("Podaj hasło."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Zapamiętaj mnie na tym urządzeniu"))


class ResendConfirmationForm(FlaskForm):
    email = _email_field()


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("Nowe hasło"))
    password_confirm = _confirm_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Obecne hasło"),
        validators=[DataRequired(_l("Podaj obecne hasło."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("Nowe hasło"))
    password_confirm = _confirm_field()


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Imię i nazwisko"),
        validators=[DataRequired(_l("Podaj imię i nazwisko.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Język serwisu"), choices=[])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Hasło"),
        validators=[DataRequired(_l("Podaj hasło, aby potwierdzić usunięcie konta."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("Rozumiem, że usunięcia konta nie można cofnąć."),
        validators=[DataRequired(_l("Potwierdź, że chcesz usunąć konto."))],
    )


class AcceptDocumentsForm(FlaskForm):
    accept = BooleanField(
        _l(
            "Akceptuję nową wersję regulaminu i zapoznałem/-am się z informacją o przetwarzaniu danych osobowych."
        ),
        validators=[DataRequired(_l("Zaznacz akceptację, aby dalej korzystać z serwisu."))],
    )
