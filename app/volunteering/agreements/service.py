"""Generating, accepting and checking agreements (art. 44 of the act of 24 April 2003).

- ``ensure_agreement``: called when a volunteer's engagement is accepted; makes the agreement from
  the organisation's template (once per volunteer and offer) in the volunteer's language.
- ``accept_as_volunteer`` / ``accept_as_organisation``: the online acceptance of each party, with
  the time and the version of the text.
- ``record_written``: the organisation notes the date the paper copy was signed.
- ``require_in_force``: the check before a shift counts (accepting after the shift started,
  confirming attendance and hours): over 30 days no shift without a written agreement.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.db import utcnow
from app.domain import DomainError
from app.extensions import db
from app.organisations.models import Organisation
from app.timeutil import local_today, to_local
from app.volunteering.agreements.child_protection import require_check
from app.volunteering.agreements.models import WRITTEN_AFTER_DAYS, Agreement, AgreementTemplate
from app.volunteering.models import Opportunity, Shift, Signup

# The sections an organisation may write itself (empty: the default text below).
EDITABLE_SECTIONS = ("health_safety", "rights_duties", "costs", "termination")
LANGUAGES = ("pl", "en", "uk")


def default_text(section: str) -> str:
    """The default wording of a section, in the current language (kept close to the act)."""
    texts = {
        "health_safety": _(
            "Korzystający informuje Wolontariusza o ryzyku dla zdrowia i bezpieczeństwa związanym z wykonywanymi świadczeniami oraz o zasadach ochrony przed zagrożeniami. Przed pierwszym terminem osoba koordynująca omawia z Wolontariuszem zagrożenia związane z zadaniem i sposób ochrony przed nimi. Korzystający zapewnia bezpieczne i higieniczne warunki wykonywania świadczeń, w tym, w zależności od rodzaju świadczeń, odpowiednie środki ochrony indywidualnej."
        ),
        "rights_duties": _(
            "Wolontariusz wykonuje świadczenia osobiście, dobrowolnie i bez wynagrodzenia, w zakresie, w sposób i w czasie określonych w porozumieniu, i stosuje się do wskazówek osoby koordynującej. Wolontariusz ma prawo do informacji o zadaniu, do zaświadczenia o wykonaniu świadczeń, a na wniosek – do pisemnej opinii. Wolontariusz zachowuje w poufności dane osobowe i informacje o osobach, którym pomaga."
        ),
        "costs": _(
            "Korzystający pokrywa, na zasadach dotyczących pracowników, koszty podróży służbowych i diet Wolontariusza związane z wykonywaniem świadczeń. Inne niezbędne koszty Korzystający może pokryć po wcześniejszym uzgodnieniu."
        ),
        "termination": _(
            "Każda ze stron może rozwiązać porozumienie w każdym czasie, zawiadamiając o tym drugą stronę. Wolontariusz może też zrezygnować z pojedynczego terminu w serwisie Wspólnie."
        ),
    }
    return texts[section]


def template_of(organisation: Organisation) -> AgreementTemplate | None:
    return db.session.scalar(
        sa.select(AgreementTemplate).where(AgreementTemplate.organisation_id == organisation.id)
    )


def save_template(organisation: Organisation, texts: dict[str, str], *, actor: User):
    """Save the organisation's wording; a change gives the next agreements a new version
    (agreements already made keep their text)."""
    template = template_of(organisation)
    cleaned = {key: (texts.get(key) or "").strip() for key in EDITABLE_SECTIONS}
    if template is None:
        template = AgreementTemplate(organisation=organisation, version=1, **cleaned)
        db.session.add(template)
    elif any(getattr(template, key) != value for key, value in cleaned.items()):
        for key, value in cleaned.items():
            setattr(template, key, value)
        template.version += 1
    template.updated_by_id = actor.id
    db.session.flush()
    return template


# --- the engagement's period -------------------------------------------------------------------


def engagement_period(opportunity: Opportunity, today: date | None = None) -> tuple[date, date]:
    """From the first to the last day of the offer's shifts (not cancelled), stretched to the
    offer's end date when it has one (flexible and regular offers)."""
    days = [
        to_local(moment).date()
        for shift in opportunity.shifts
        if shift.cancelled_at is None
        for moment in (shift.starts_at, shift.ends_at)
    ]
    start = min(days) if days else (today or local_today())
    end = max(days) if days else start
    if opportunity.valid_until is not None and opportunity.valid_until > end:
        end = opportunity.valid_until
    return start, end


def period_days(start: date, end: date) -> int:
    return (end - start).days + 1


def over_30_days(opportunity: Opportunity) -> bool:
    return period_days(*engagement_period(opportunity)) > WRITTEN_AFTER_DAYS


def insurance_missing(opportunity: Opportunity) -> bool:
    """Up to 30 days the organisation must insure volunteers (NNW, art. 46): is that not
    recorded for the offer?"""
    return not opportunity.nnw_recorded and not over_30_days(opportunity)


def insurance_text(opportunity: Opportunity) -> str:
    parts = []
    if opportunity.nnw_insurer:
        parts.append(_("Ubezpieczyciel: %(name)s.", name=opportunity.nnw_insurer))
    if opportunity.nnw_policy:
        parts.append(_("Polisa nr %(number)s.", number=opportunity.nnw_policy))
    if opportunity.nnw_statement:
        parts.append(opportunity.nnw_statement)
    return " ".join(parts)


# --- generating ------------------------------------------------------------------------------


def agreement_for(opportunity_id: int, user_id: int) -> Agreement | None:
    return db.session.scalar(
        sa.select(Agreement).where(
            Agreement.opportunity_id == opportunity_id, Agreement.user_id == user_id
        )
    )


def language_of(user: User) -> str:
    locale = (user.locale or "")[:2]
    return locale if locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def _generated_sections(opportunity: Opportunity, template, start: date, end: date) -> dict:
    """The agreement's text in the current language: scope, manner and time from the offer,
    the other sections from the organisation's template or the default."""
    from app.templating import local_date

    place = opportunity.address or ""
    if opportunity.is_online:
        place = _("zdalnie (online)") + (f"; {place}" if place else "")
    sections = {
        "scope": opportunity.title
        + (f"\n\n{opportunity.description.strip()}" if opportunity.description else ""),
        "manner": _(
            "Miejsce: %(place)s. Osoba koordynująca ze strony Korzystającego: %(contact)s.",
            place=place or "—",
            contact=opportunity.contact_name or opportunity.organisation.name,
        ),
        "time": _(
            "Od %(start)s do %(end)s, w terminach uzgodnionych w serwisie Wspólnie.",
            start=local_date(start, "long"),
            end=local_date(end, "long"),
        ),
    }
    sections["insurance"] = insurance_text(opportunity)
    for key in EDITABLE_SECTIONS:
        own = getattr(template, key, "") if template is not None else ""
        sections[key] = own or default_text(key)
    return sections


def preview_agreement(opportunity: Opportunity) -> Agreement:
    """The agreement a guest would conclude, not stored (shown on the sign-up form)."""
    start, end = engagement_period(opportunity)
    language = str(get_locale() or "pl")[:2]
    return Agreement(
        opportunity=opportunity,
        volunteer_name="",
        language=language if language in LANGUAGES else "pl",
        template_version=0,
        sections=_generated_sections(
            opportunity, template_of(opportunity.organisation), start, end
        ),
        period_start=start,
        period_end=end,
        written_required=period_days(start, end) > WRITTEN_AFTER_DAYS,
    )


def guest_agreement(signup: Signup, now: datetime | None = None) -> Agreement:
    """A guest's agreement (art. 44 ust. 1 asks for one whoever the volunteer is): generated
    when the guest signs up, accepted by the guest with the sign-up (time and version); the
    organisation accepts it on its agreements page. Micro-volunteering shifts last up to two
    hours, so it never needs the written form."""
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.guest_signup_id == signup.id)
    )
    if agreement is not None:
        return agreement
    now = now or utcnow()
    opportunity = signup.shift.opportunity
    template = template_of(opportunity.organisation)
    language = str(get_locale() or "pl")[:2]
    language = language if language in LANGUAGES else "pl"
    start = end = to_local(signup.shift.starts_at).date()
    with force_locale(language):
        sections = _generated_sections(opportunity, template, start, end)
    agreement = Agreement(
        opportunity=opportunity,
        guest_signup_id=signup.id,
        volunteer_name=signup.guest_name or "",
        language=language,
        template_version=template.version if template is not None else 0,
        sections=sections,
        period_start=start,
        period_end=end,
        written_required=False,
        volunteer_accepted_at=now,
        volunteer_accepted_version=template.version if template is not None else 0,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def ensure_agreement(signup: Signup, *, guardian_is_party: bool = False) -> Agreement | None:
    """The agreement for the volunteer's engagement in the sign-up's offer, generated on the
    first acceptance. A guest's was made when they signed up (``guest_agreement``)."""
    if signup.user is None:
        return guest_agreement(signup) if signup.guest_name else None
    opportunity = signup.shift.opportunity
    agreement = agreement_for(opportunity.id, signup.user_id)
    start, end = engagement_period(opportunity)
    if agreement is not None:
        refresh_period(agreement, start, end)
        return agreement
    template = template_of(opportunity.organisation)
    language = language_of(signup.user)
    with force_locale(language):
        sections = _generated_sections(opportunity, template, start, end)
    agreement = Agreement(
        opportunity=opportunity,
        user=signup.user,
        volunteer_name=signup.user.name,
        guardian_is_party=guardian_is_party,
        language=language,
        template_version=template.version if template is not None else 0,
        sections=sections,
        period_start=start,
        period_end=end,
        written_required=period_days(start, end) > WRITTEN_AFTER_DAYS,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def refresh_period(agreement: Agreement, start: date, end: date) -> None:
    """Shifts added later may stretch the engagement past 30 days: from then on the written
    agreement is required (a requirement is never dropped once set)."""
    if start < agreement.period_start:
        agreement.period_start = start
    if end > agreement.period_end:
        agreement.period_end = end
    if agreement.days > WRITTEN_AFTER_DAYS:
        agreement.written_required = True


# --- accepting -------------------------------------------------------------------------------


def accept_as_volunteer(agreement: Agreement, *, user: User, costs_waived: bool, now=None):
    if agreement.user_id != user.id:
        raise DomainError(_("To nie jest Twoje porozumienie."), status=403)
    if agreement.guardian_is_party:
        raise DomainError(
            _("W imieniu osoby poniżej 13 lat porozumienie zawiera rodzic lub opiekun prawny."),
            status=403,
        )
    if agreement.accepted_by_volunteer:
        raise DomainError(_("To porozumienie jest już zaakceptowane."))
    agreement.volunteer_accepted_at = now or utcnow()
    agreement.volunteer_accepted_version = agreement.template_version
    agreement.costs_waived = costs_waived
    db.session.flush()


def accept_as_organisation(agreement: Agreement, *, actor: User, now=None) -> None:
    if agreement.user_id == actor.id:
        raise DomainError(
            _("Nie możesz zawrzeć porozumienia sam(a) ze sobą: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if agreement.accepted_by_organisation:
        raise DomainError(_("To porozumienie jest już zaakceptowane."))
    agreement.organisation_accepted_at = now or utcnow()
    agreement.organisation_accepted_by_id = actor.id
    db.session.flush()


def record_written(agreement: Agreement, signed_on: date, *, actor: User, now=None) -> None:
    """The paper agreement signed by both parties is in the organisation's files."""
    now = now or utcnow()
    if agreement.user_id == actor.id:
        raise DomainError(
            _("Nie możesz zawrzeć porozumienia sam(a) ze sobą: zrobi to inna osoba z organizacji."),
            status=403,
        )
    if signed_on > to_local(now).date():
        raise DomainError(
            _("Data podpisania nie może być w przyszłości."), status=422, field="signed_on"
        )
    agreement.written_signed_on = signed_on
    agreement.written_recorded_at = now
    agreement.written_recorded_by_id = actor.id
    db.session.flush()


# --- the check before a shift counts --------------------------------------------------------


def require_in_force(signup: Signup, shift: Shift) -> None:
    """Refuse when the engagement lasts over 30 days and the written agreement was not signed
    by the day of ``shift`` (art. 44: in writing before the services start), and while a
    minor's guardian has not consented."""
    if signup.guardian_name is not None and signup.guardian_consent_at is None:
        raise DomainError(
            _("To zgłoszenie czeka na zgodę rodzica lub opiekuna: przyjmiesz je po jej otrzymaniu.")
        )
    day = to_local(shift.starts_at).date()
    require_check(signup, day)
    agreement = ensure_agreement(signup)
    if agreement is None:
        return
    if not agreement.in_force_on(day):
        raise DomainError(
            _(
                "Ta współpraca trwa dłużej niż 30 dni, więc przed pierwszym terminem potrzebne jest porozumienie na piśmie (art. 44 ust. 4 ustawy o działalności pożytku publicznego i o wolontariacie). Zapisz w porozumieniu datę jego podpisania – nie późniejszą niż %(day)s.",
                day=day.strftime("%d.%m.%Y"),
            ),
            status=409,
        )


def agreements_of_user(user: User) -> list[Agreement]:
    return list(
        db.session.scalars(
            sa.select(Agreement).where(Agreement.user_id == user.id).order_by(Agreement.id)
        )
    )


def agreements_of_organisation(organisation: Organisation) -> list[Agreement]:
    return list(
        db.session.scalars(
            sa.select(Agreement)
            .join(Opportunity)
            .where(Opportunity.organisation_id == organisation.id)
            .order_by(Agreement.id.desc())
        )
    )


def stamp(moment: datetime | None) -> str:
    """A moment as shown in the document (Warsaw time)."""
    return "" if moment is None else to_local(moment).strftime("%d.%m.%Y %H:%M")
