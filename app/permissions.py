"""Who may do what. Views call these right after fetching the object (fetch-or-404, then check).

Roles: every user is a resident/volunteer; membership of an organisation (owner or editor);
manager of a space provider; city staff (``User.is_staff``). Staff may act for any organisation
or provider where a helper says so (verification, moderation).
"""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.organisations.models import MemberRole, Membership, Organisation
from app.spaces.models import Provider, ProviderManager


def membership_of(user, organisation: Organisation | None) -> Membership | None:
    # No organisation: a provider's own-use booking has none, and no members.
    if not user or not user.is_authenticated or organisation is None:
        return None
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )


def is_member(user, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def is_owner(user, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.role == MemberRole.OWNER


def manages_provider(user, provider: Provider) -> bool:
    """A manager named for the provider, or – for an organisation's own premises
    (``Provider.organisation_id``) – any member of that organisation."""
    if not user or not user.is_authenticated:
        return False
    if (
        db.session.scalar(
            sa.select(ProviderManager.id).where(
                ProviderManager.provider_id == provider.id, ProviderManager.user_id == user.id
            )
        )
        is not None
    ):
        return True
    return provider.organisation_id is not None and (
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.organisation_id == provider.organisation_id,
                Membership.user_id == user.id,
            )
        )
        is not None
    )


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def require_member(organisation: Organisation, *, owner: bool = False, staff_ok: bool = False):
    """Abort with 403 unless the current user is a member (or an owner) of ``organisation``."""
    if staff_ok and is_staff(current_user):
        return None
    membership = membership_of(current_user, organisation)
    if membership is None or (owner and membership.role != MemberRole.OWNER):
        abort(403)
    return membership


def require_provider_manager(provider: Provider, *, staff_ok: bool = False) -> None:
    if staff_ok and is_staff(current_user):
        return
    if not manages_provider(current_user, provider):
        abort(403)


def staff_required(view):
    """Only city staff (Biuro Dialogu i Innowacji Miejskich) may open this view."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def user_organisations(user) -> list[Organisation]:
    if not user or not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership)
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def user_providers(user) -> list[Provider]:
    if not user or not user.is_authenticated:
        return []
    named = sa.select(ProviderManager.provider_id).where(ProviderManager.user_id == user.id)
    # An organisation's own premises are managed by its members.
    own = sa.select(Membership.organisation_id).where(Membership.user_id == user.id)
    return list(
        db.session.scalars(
            sa.select(Provider)
            .where(sa.or_(Provider.id.in_(named), Provider.organisation_id.in_(own)))
            .order_by(Provider.name)
        )
    )
