"""Demo organisations (fictional) with their members, profiles, projects and offers."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.organisations import demo_data
from app.organisations.identifiers import with_nip_check_digit, with_regon_check_digit
from app.organisations.models import (
    Competence,
    LegalForm,
    MemberRole,
    Membership,
    MembershipRequest,
    Offer,
    OfferKind,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
    RequestKind,
)
from app.slugs import slugify

DEMO_ORGANISATIONS = [
    # slug, name, KRS, verified, members
    (
        "fundacja-razem-dla-seniora",
        "Fundacja Razem dla Seniora",
        "0000612345",
        True,
        [("ngo_owner", MemberRole.OWNER), ("ngo_editor", MemberRole.EDITOR)],
    ),
    (
        "stowarzyszenie-rubinkowo-sasiedzi",
        "Stowarzyszenie Rubinkowo Sąsiedzi",
        "0000723456",
        True,
        [("ngo_owner2", MemberRole.OWNER)],
    ),
    ("torunski-klub-sportowy-wisla", "Toruński Klub Sportowy „Wisła”", "0000534567", False, []),
    ("fundacja-mlodzi-na-skarpie", "Fundacja Młodzi na Skarpie", "0000845678", True, []),
]

STREETS = (
    "ul. Szeroka", "ul. Chełmińska", "ul. Bydgoska", "ul. Mickiewicza", "ul. Rydygiera",
    "ul. Dziewulskiego", "ul. Legionów", "ul. Lubicka", "ul. Szosa Lubicka", "ul. Kościuszki",
    "ul. Gagarina", "ul. Żółkiewskiego", "ul. Olsztyńska", "ul. Poznańska",
)  # fmt: skip


def load_competences() -> dict[str, Competence]:
    existing = {c.name: c for c in db.session.scalars(sa.select(Competence))}
    for name in demo_data.COMPETENCES:
        if name not in existing:
            name_en, name_uk = demo_data.COMPETENCE_TRANSLATIONS.get(name, ("", ""))
            existing[name] = Competence(name=name, name_en=name_en, name_uk=name_uk)
            db.session.add(existing[name])
    db.session.flush()
    return existing


def _fill_profile(organisation, number, theme_key, districts, tags, competences) -> None:
    """Give a freshly created (or still empty) demo organisation a full, varied profile."""
    areas, theme_competences, description, projects, offers = demo_data.THEMES[theme_key]
    # Vary the profiles: rotate extra areas and competences, and drop some offers/projects.
    extra_area = ("volunteering", "local_communities", "education", "culture", "health")[number % 5]
    organisation.areas = [OrganisationArea(code=c) for c in dict.fromkeys([*areas, extra_area])]
    organisation.districts = [OrganisationDistrict(code=c) for c in districts]
    extra = demo_data.COMPETENCES[(number * 7) % len(demo_data.COMPETENCES)]
    organisation.competences = [competences[n] for n in dict.fromkeys([*theme_competences, extra])]
    organisation.tags = tags
    first_sentence = description.split(". ")[0].rstrip(".") + "."
    organisation.short_description = first_sentence[:300]
    organisation.description = (
        f"{description}\n\nDziałamy w Toruniu od {2000 + number % 24} roku. "
        "Zapraszamy do współpracy inne organizacje, szkoły i mieszkańców."
    )
    organisation.street = f"{STREETS[number % len(STREETS)]} {number % 90 + 1}"
    organisation.postcode = f"87-1{number % 3}0"
    organisation.email = f"kontakt@{organisation.slug[:40]}.example.org"
    organisation.phone = f"+48 56 6{number % 10}{number % 7} {number:02d} {(number * 3) % 100:02d}"
    organisation.website = f"https://{organisation.slug[:40]}.example.org"
    organisation.social_links = f"https://www.facebook.com/{organisation.slug[:40]}"
    organisation.nip = with_nip_check_digit(f"956{200000 + number * 37:06d}")
    organisation.regon = with_regon_check_digit(f"34{100000 + number * 53:06d}")
    organisation.projects = [
        Project(title=title, year_start=start, year_end=end, funder=funder,
                description=f"{title}: projekt realizowany w Toruniu.")
        for title, start, end, funder in projects[: 1 + number % len(projects)]
    ]  # fmt: skip
    organisation.offers = [
        Offer(kind=OfferKind(kind), title=title, description="Skontaktuj się z nami mailowo.")
        for kind, title in offers[: (number % (len(offers) + 1)) or 1]
    ]


def load(users: dict) -> dict[str, Organisation]:
    competences = load_competences()
    organisations: dict[str, Organisation] = {}
    now = utcnow()
    for slug, name, krs, verified, members in DEMO_ORGANISATIONS:
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            organisation = Organisation(
                slug=slug, name=name, krs=krs, verified_at=now if verified else None
            )
            db.session.add(organisation)
            for key, role in members:
                organisation.memberships.append(Membership(user=users[key], role=role))
        organisations[slug] = organisation

    for number, (slug, organisation) in enumerate(organisations.items(), start=1):
        if not organisation.short_description:
            theme, districts, tags = demo_data.FOUNDATION_THEMES[slug]
            organisation.legal_form = (
                LegalForm.SPORTS_CLUB if "klub" in slug else
                LegalForm.FOUNDATION if slug.startswith("fundacja") else LegalForm.ASSOCIATION
            )  # fmt: skip
            _fill_profile(organisation, number, theme, districts, tags, competences)

    for number, (name, legal_form, theme, districts, tags) in enumerate(
        demo_data.ORGANISATIONS, start=10
    ):
        slug = slugify(name, "organizacja")
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            organisation = Organisation(
                slug=slug,
                name=name,
                legal_form=LegalForm(legal_form),
                krs=None if legal_form == "ordinary_association" else f"00006{number * 1231:05d}",
                verified_at=now if number % 3 else None,
            )
            db.session.add(organisation)
            _fill_profile(organisation, number, theme, districts, tags, competences)
            # Some profiles were last touched long ago: their owners see the "stale" flag.
            if number % 9 == 0:
                organisation.profile_updated_at = now - timedelta(days=400 + number)
        organisations[slug] = organisation

    # The neighbours' association forgot its profile for over a year (stale flag demo).
    rubinkowo = organisations["stowarzyszenie-rubinkowo-sasiedzi"]
    if now - rubinkowo.profile_updated_at < timedelta(days=366):
        rubinkowo.profile_updated_at = now - timedelta(days=420)
    db.session.flush()

    # A pending request to join, for the owner's "members" page.
    seniors = organisations["fundacja-razem-dla-seniora"]
    if not db.session.scalar(
        sa.select(MembershipRequest.id).where(MembershipRequest.organisation_id == seniors.id)
    ):
        db.session.add(
            MembershipRequest(
                organisation=seniors,
                user=users["volunteer2"],
                kind=RequestKind.JOIN,
                message="Prowadzę z Wami klub seniora na Rubinkowie, chcę dopisywać projekty.",
            )
        )
    db.session.flush()  # the search index follows the flush (app/organisations/search_index.py)
    return organisations
