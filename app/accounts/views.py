from __future__ import annotations

import json

from flask import Response, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app import audit, limits
from app.accounts import consents, privacy
from app.accounts import service as accounts
from app.accounts.blueprint import bp
from app.accounts.data_labels import data_label
from app.accounts.forms import (
    AcceptDocumentsForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.accounts.sessions import end_session, sign_in, sign_out
from app.domain import DomainError
from app.i18n import LANGUAGE_COOKIE
from app.permissions import user_organisations, user_providers
from app.rendering import render, render_form_error, see_other
from app.unit_of_work import writes
from app.urls import safe_local_url


def _safe_next(default: str) -> str:
    return safe_local_url(request.values.get("next"), default)


def _form_page(template: str, form, **context):
    """Show a form; after a failed POST, the same page with the errors and the user's values.

    The htmx fragment is the template's own "form" block; a page that only inherits it from
    accounts/_form_page.html (the fragment renderer cannot reach an inherited block) is
    answered whole, never with a 500."""
    block = "form" if "form" in current_app.jinja_env.get_template(template).blocks else None
    if request.method == "POST":
        return render_form_error(template, block, form=form, **context)
    return render(template, block, form=form, **context)


@bp.route("/rejestracja", methods=["GET", "POST"])
@limits.register
def register():
    if current_user.is_authenticated:
        return see_other(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                form.name.data, form.email.data, form.password.data, locale=session.get("lang")
            )
        except accounts.EmailTaken:
            form.email.errors.append(
                _("Konto z tym adresem e-mail już istnieje. Zaloguj się lub zresetuj hasło.")
            )
        else:
            consents.record_consents(user)
            sign_in(user)
            flash(
                _(
                    "Konto założone. Wysłaliśmy link potwierdzający na adres %(email)s.",
                    email=user.email,
                ),
                "success",
            )
            return see_other(url_for("accounts.account"))
    return _form_page("accounts/register.html", form)


@bp.route("/logowanie", methods=["GET", "POST"])
@limits.login_per_address
@limits.login_per_email
def login():
    if current_user.is_authenticated:
        return see_other(_safe_next(url_for("accounts.account")))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Nieprawidłowy adres e-mail lub hasło."))
        elif not user.is_active:
            form.email.errors.append(_("To konto zostało zablokowane."))
        else:
            session.clear()  # a fresh session on login (session fixation)
            sign_in(user, remember=bool(form.remember.data))
            accounts.record_login(user)
            flash(_("Witaj, %(name)s!", name=user.name), "success")
            return see_other(_safe_next(url_for("accounts.account")))
    return _form_page("accounts/login.html", form, next=_safe_next(""))


@bp.post("/wyloguj")
def logout():
    """Ends this session server-side: a copy of its cookies stops working too."""
    if current_user.is_authenticated:
        sign_out(current_user._get_current_object())
    session.clear()
    flash(_("Wylogowano."), "info")
    return see_other(url_for("pages.home"))


@bp.get("/potwierdz/<token>")
def confirm_email(token: str):
    try:
        accounts.confirm_email(token)
    except accounts.InvalidToken:
        flash(_("Link potwierdzający jest nieprawidłowy lub wygasł. Wyślij nowy."), "error")
        return see_other(url_for("accounts.resend_confirmation"))
    flash(_("Adres e-mail potwierdzony. Dziękujemy!"), "success")
    if current_user.is_authenticated:
        return see_other(url_for("accounts.account"))
    return see_other(url_for("accounts.login"))


@bp.route("/potwierdz", methods=["GET", "POST"])
@limits.resend_confirmation
def resend_confirmation():
    form = ResendConfirmationForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is not None and not user.is_confirmed:
            accounts.send_confirmation(user)
        flash(_("Jeśli konto wymaga potwierdzenia, wysłaliśmy nowy link."), "info")
        return see_other(url_for("pages.home"))
    return _form_page("accounts/resend_confirmation.html", form)


@bp.route("/haslo/reset", methods=["GET", "POST"])
@limits.reset_per_address
@limits.reset_per_email
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(
            _("Jeśli konto z tym adresem istnieje, wysłaliśmy link do ustawienia nowego hasła."),
            "info",
        )
        return see_other(url_for("accounts.login"))
    return _form_page("accounts/request_reset.html", form)


@bp.route("/haslo/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = accounts.user_for_reset_token(token)
    except accounts.InvalidToken:
        flash(_("Link do zmiany hasła jest nieprawidłowy, wygasł lub został już użyty."), "error")
        return see_other(url_for("accounts.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_new_password(user, form.password.data)
        logout_user()
        flash(_("Hasło zmienione. Zaloguj się nowym hasłem."), "success")
        return see_other(url_for("accounts.login"))
    return _form_page("accounts/reset_password.html", form, token=token)


@bp.route("/haslo", methods=["GET", "POST"])
@login_required
@limits.password_check
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Obecne hasło jest nieprawidłowe."))
        else:
            user = current_user._get_current_object()
            accounts.set_new_password(user, form.password.data)
            # Stay logged in here with the new user token; other sessions end.
            remember = bool(request.cookies.get("remember_token"))
            end_session(user)
            sign_in(user, remember=remember)
            flash(_("Hasło zmienione. Pozostałe sesje zostały wylogowane."), "success")
            return see_other(url_for("accounts.account"))
    return _form_page("accounts/change_password.html", form)


@bp.route("", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user)
    languages = current_app.config["LANGUAGES"]
    form.locale.choices = list(languages.items())
    if request.method == "GET":
        form.locale.data = current_user.locale or str(session.get(LANGUAGE_COOKIE) or "pl")
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.locale = form.locale.data
        session[LANGUAGE_COOKIE] = form.locale.data
        flash(_("Zapisano zmiany."), "success")
        return see_other(url_for("accounts.account"))
    context = {
        "organisations": user_organisations(current_user),
        "providers": user_providers(current_user),
    }
    return _form_page("accounts/account.html", form, **context)


@bp.route("/zgody", methods=["GET", "POST"])
@login_required
def accept_documents():
    """The terms or the privacy notice changed: accept the new version to go on (the consent
    is recorded with its version and time)."""
    user = current_user._get_current_object()
    outdated = consents.outdated_documents(user)
    destination = _safe_next(url_for("accounts.account"))
    if not outdated:
        return see_other(destination)
    form = AcceptDocumentsForm()
    if form.validate_on_submit():
        consents.record_consents(user, outdated)
        flash(_("Dziękujemy. Zapisaliśmy akceptację nowej wersji."), "success")
        return see_other(destination)
    return _form_page(
        "accounts/accept_documents.html",
        form,
        outdated=outdated,
        versions=consents.current_versions(),
        next=_safe_next(""),
    )


@bp.get("/dane")
@login_required
def export_data():
    """Everything we hold about the user, readable (RODO art. 15); the same as JSON below."""
    user = current_user._get_current_object()
    data = privacy.export_personal_data(user)
    response = render("accounts/my_data.html", data=data, data_label=data_label)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/dane.json")
@login_required
@writes  # the download is recorded in the audit trail
def export_data_json():
    """Everything we hold about the user, as a JSON download (RODO art. 15 and 20)."""
    user = current_user._get_current_object()
    audit.record("account.data_exported", actor=user, subject_user=user)
    body = json.dumps(privacy.export_personal_data(user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="wspolnie-moje-dane.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/usun", methods=["GET", "POST"])
@login_required
@limits.password_check
def delete_account():
    form = DeleteAccountForm()
    user = current_user._get_current_object()
    blockers = privacy.sole_responsibilities(user)
    if form.validate_on_submit():
        if not user.check_password(form.password.data):
            form.password.errors.append(_("Nieprawidłowe hasło."))
        else:
            try:
                privacy.delete_account(user)
            except DomainError as error:
                flash(str(error), "error")
                response = render("accounts/delete_account.html", "form", form=form,
                                  blockers=blockers)  # fmt: skip
                response.status_code = error.status
                return response
            logout_user()
            session.clear()
            flash(_("Konto i dane osobowe zostały usunięte."), "success")
            return see_other(url_for("pages.home"))
    return _form_page("accounts/delete_account.html", form, blockers=blockers)
