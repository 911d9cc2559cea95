"""Demo volunteering data: opportunities of every kind and tag from the demo organisations,
full shifts with waitlists, and confirmed hours for the demo volunteers. Idempotent: an
opportunity already present (same organisation and title) is left alone."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering.models import (
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Shift,
    Signup,
    SignupEvent,
    SignupStatus,
    VolunteerProfile,
)
from app.volunteering.search_index import reindex_opportunities

# organisation slug, title, sphere, kind, district, address, online, tags, min age, approval,
# shifts as (days from today, start hour, hours, capacity)
OPPORTUNITIES = [
    (
        "fundacja-razem-dla-seniora", "Spacery z seniorami po Rubinkowie", "seniors",
        OpportunityKind.REGULAR, "rubinkowo", "ul. Dziewulskiego 35", False,
        ["seniors", "intergenerational", "neighbourhood"], 16, True,
        [(2, 10, 2, 4), (9, 10, 2, 4), (16, 10, 2, 4)],
    ),
    (
        "fundacja-razem-dla-seniora", "Telefon do seniora – rozmowy przez telefon", "seniors",
        OpportunityKind.FLEXIBLE, None, "", True, ["accessible", "seniors"], 18, True, [],
    ),
    (
        "fundacja-razem-dla-seniora", "Wigilia dla samotnych seniorów", "social_assistance",
        OpportunityKind.ONE_OFF, "stare-miasto", "Rynek Staromiejski 1", False,
        ["families", "intergenerational", "accessible"], 13, True, [(5, 14, 5, 2)],
    ),
    (
        "stowarzyszenie-rubinkowo-sasiedzi", "Sąsiedzkie sprzątanie skweru", "local_communities",
        OpportunityKind.MICRO, "rubinkowo", "skwer przy ul. Rydygiera", False,
        ["neighbourhood", "families", "youth"], 13, False, [(3, 17, 1, 10), (10, 17, 1, 10)],
    ),
    (
        "stowarzyszenie-rubinkowo-sasiedzi", "Odrabianie lekcji w świetlicy osiedlowej",
        "children_youth", OpportunityKind.REGULAR, "rubinkowo", "ul. Konstelacji 7", False,
        ["youth", "intergenerational"], 16, True, [(1, 15, 2, 3), (8, 15, 2, 3)],
    ),
    (
        "torunski-klub-sportowy-wisla", "Obsługa biegu nad Wisłą", "sport",
        OpportunityKind.ONE_OFF, "bydgoskie-przedmiescie", "Bulwar Filadelfijski", False,
        ["sport", "youth", "accessible"], 15, True, [(6, 8, 5, 2)],
    ),
    (
        "fundacja-mlodzi-na-skarpie", "Korepetycje online dla uczniów z Ukrainy", "education",
        OpportunityKind.FLEXIBLE, None, "", True, ["youth"], 16, True, [(4, 18, 1, 5)],
    ),
    (
        "fundacja-mlodzi-na-skarpie", "Mural na Skarpie – malowanie", "culture",
        OpportunityKind.MICRO, "na-skarpie", "ul. Szuwarowa 2", False,
        ["families", "neighbourhood", "sport"], 13, False, [(3, 11, 2, 8)],
    ),
]  # fmt: skip

PROFILES = {
    "volunteer": {
        "birth_year": 1996, "interests": ["seniors", "ecology_animals", "culture"],
        "availability": ["5-morning", "6-morning", "2-evening"], "district": "rubinkowo",
        "skills": "prawo jazdy, fotografia", "digest_opt_in": True,
    },
    "volunteer2": {
        "birth_year": 1954, "interests": ["seniors", "local_communities"],
        "availability": ["0-morning", "2-morning", "4-morning"], "district": "na-skarpie",
        "skills": "gotowanie", "accessibility_needs": "chodzę o lasce",
    },
    "volunteer3": {
        "birth_year": local_today().year - 16, "interests": ["children_youth", "sport", "education"],
        "availability": ["1-afternoon", "3-afternoon", "5-morning"], "district": "rubinkowo",
    },
}  # fmt: skip


def _signup(shift, user, status, *, position=None, guardian=False, hours=None, at=None):
    at = at or utcnow()
    signup = Signup(
        shift=shift,
        user=user,
        status=status,
        waitlist_position=position,
        pending_since=at if status != SignupStatus.WAITLISTED else None,
        responded_at=at + timedelta(hours=5) if status == SignupStatus.ACCEPTED else None,
        guardian_name="Anna Dąbrowska" if guardian else None,
        guardian_contact="600 123 456" if guardian else None,
        guardian_consent_at=at if guardian else None,
    )
    if hours is not None:
        signup.attended = True
        signup.hours = Decimal(hours)
        signup.hours_confirmed_at = shift.ends_at + timedelta(hours=2)
    signup.events.append(SignupEvent(from_status=None, to_status=status, actor=user, at=at))
    if status in (SignupStatus.PENDING, SignupStatus.ACCEPTED):
        shift.taken += 1
    db.session.add(signup)
    return signup


def load(users: dict, organisations: dict) -> None:
    today = local_today()
    for key, fields in PROFILES.items():
        user = users[key]
        exists = db.session.scalar(
            sa.select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id)
        )
        if exists is None:
            db.session.add(VolunteerProfile(user=user, **fields))
    created: dict[str, Opportunity] = {}
    for (
        slug,
        title,
        sphere,
        kind,
        district,
        address,
        online,
        tags,
        min_age,
        approval,
        shifts,
    ) in OPPORTUNITIES:
        organisation = organisations[slug]
        existing = db.session.scalar(
            sa.select(Opportunity).where(
                Opportunity.organisation_id == organisation.id, Opportunity.title == title
            )
        )
        if existing is not None:
            continue
        opportunity = Opportunity(
            organisation=organisation,
            title=title,
            description=_description(title),
            sphere=sphere,
            kind=kind,
            status=OpportunityStatus.PUBLISHED,
            district=district,
            address=address,
            is_online=online,
            min_age=min_age,
            requires_approval=approval,
            contact_name="Katarzyna Nowak" if slug == "fundacja-razem-dla-seniora" else "",
            published_at=utcnow() - timedelta(days=len(created)),
            skills="cierpliwość, prawo jazdy" if sphere == "seniors" else "",
            languages="polski, ukraiński" if sphere == "education" else "polski",
        )
        opportunity.set_tags(tags)
        for days, hour, hours, capacity in shifts:
            start = local_to_utc(today + timedelta(days=days), time(hour, 0))
            opportunity.shifts.append(
                Shift(
                    starts_at=start,
                    ends_at=start + timedelta(hours=hours),
                    capacity=capacity,
                    taken=0,
                )
            )
        db.session.add(opportunity)
        created[title] = opportunity
    db.session.flush()  # new offers are indexed on flush (app/volunteering/search_index.py)
    # Offers loaded before they were searchable (an older demo database) are indexed too.
    reindex_opportunities()
    if not created:
        return
    volunteer, senior, pupil = users["volunteer"], users["volunteer2"], users["volunteer3"]

    # A full shift with a waitlist: Wigilia has two places.
    wigilia = created.get("Wigilia dla samotnych seniorów")
    if wigilia is not None:
        shift = wigilia.shifts[0]
        _signup(shift, senior, SignupStatus.ACCEPTED)
        _signup(shift, users["ngo_owner2"], SignupStatus.PENDING)
        _signup(shift, volunteer, SignupStatus.WAITLISTED, position=1)
        _signup(shift, pupil, SignupStatus.WAITLISTED, position=2, guardian=True)
    run = created.get("Obsługa biegu nad Wisłą")
    if run is not None:
        shift = run.shifts[0]
        _signup(shift, volunteer, SignupStatus.ACCEPTED)
        _signup(shift, pupil, SignupStatus.PENDING, guardian=True, at=utcnow() - timedelta(days=4))
        _signup(shift, users["cal_manager"], SignupStatus.WAITLISTED, position=1)

    # Confirmed hours: past shifts of the walks and the homework club.
    walks = created.get("Spacery z seniorami po Rubinkowie")
    if walks is not None:
        for weeks in (3, 2, 1):
            start = local_to_utc(today - timedelta(weeks=weeks), time(10, 0))
            past = Shift(
                opportunity=walks,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                capacity=4,
                taken=0,
            )
            db.session.add(past)
            _signup(past, volunteer, SignupStatus.ACCEPTED, hours="2", at=start - timedelta(days=3))
            _signup(past, senior, SignupStatus.ACCEPTED, hours="1.5", at=start - timedelta(days=2))
    club = created.get("Odrabianie lekcji w świetlicy osiedlowej")
    if club is not None:
        start = local_to_utc(today - timedelta(days=6), time(15, 0))
        past = Shift(
            opportunity=club,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=3,
            taken=0,
        )
        db.session.add(past)
        _signup(
            past,
            pupil,
            SignupStatus.ACCEPTED,
            guardian=True,
            hours="2",
            at=start - timedelta(days=4),
        )
    db.session.flush()
    _legal_documents(created, users, organisations)


# The demo guardian's consent link: /wolontariat/zgoda/demo-zgoda-opiekuna (demo data only).
DEMO_CONSENT_TOKEN = "demo-zgoda-opiekuna"


def _legal_documents(created: dict, users: dict, organisations: dict) -> None:
    """NNW insurance on short offers, the seniors' foundation's agreement template, two
    agreements (one over 30 days, signed on paper) and a minor waiting for the guardian."""
    from app.volunteering.agreements import guardians
    from app.volunteering.agreements import service as agreements
    from app.volunteering.agreements.models import (
        ChildProtectionStandards,
        GuardianConsent,
        Opinion,
        RegisterCheck,
    )

    for title in ("Wigilia dla samotnych seniorów", "Obsługa biegu nad Wisłą"):
        if title in created:
            created[title].nnw_insurer = "PZU SA"
            created[title].nnw_policy = "NNW/2026/0147"
    if "Sąsiedzkie sprzątanie skweru" in created:
        created[
            "Sąsiedzkie sprzątanie skweru"
        ].nnw_statement = "Wolontariusze są ubezpieczeni w ramach polisy zbiorowej stowarzyszenia."
    owner, volunteer = users["ngo_owner"], users["volunteer"]
    club = created.get("Odrabianie lekcji w świetlicy osiedlowej")
    if club is not None:
        club.works_with_children = True
        neighbours = organisations["stowarzyszenie-rubinkowo-sasiedzi"]
        db.session.add(
            ChildProtectionStandards(
                organisation_id=neighbours.id,
                url="https://example.org/rubinkowo-sasiedzi/standardy-ochrony-maloletnich.pdf",
                adopted_on=local_today() - timedelta(days=400),
            )
        )
        first = min(club.shifts, key=lambda shift: shift.starts_at)
        db.session.add(
            RegisterCheck(
                organisation_id=neighbours.id,
                user_id=users["volunteer3"].id,
                checked_on=to_local(first.starts_at).date() - timedelta(days=3),
                checked_by_id=users["ngo_owner2"].id,
            )
        )
    agreements.save_template(
        organisations["fundacja-razem-dla-seniora"],
        {
            "health_safety": (
                "Podczas spacerów wolontariusz dba o tempo dostosowane do seniora, omija śliskie "
                "nawierzchnie i w razie złego samopoczucia seniora dzwoni pod numer 112 oraz do "
                "koordynatorki. Przed pierwszym spacerem koordynatorka omawia z wolontariuszem "
                "zasady bezpieczeństwa."
            )
        },
        actor=owner,
    )
    walks = created.get("Spacery z seniorami po Rubinkowie")
    if walks is not None:
        first = min(walks.shifts, key=lambda shift: shift.starts_at)
        signup = next(s for s in first.signups if s.user_id == volunteer.id)
        agreement = agreements.ensure_agreement(signup)
        agreement.volunteer_accepted_at = first.starts_at - timedelta(days=4)
        agreement.volunteer_accepted_version = agreement.template_version
        agreement.organisation_accepted_at = first.starts_at - timedelta(days=4)
        agreement.organisation_accepted_by_id = owner.id
        agreement.written_signed_on = (first.starts_at - timedelta(days=2)).date()
        agreement.written_recorded_at = first.starts_at - timedelta(days=2)
        agreement.written_recorded_by_id = owner.id
        db.session.add(
            Opinion(
                organisation_id=walks.organisation_id,
                user_id=volunteer.id,
                volunteer_name=volunteer.name,
                request_note="Do CV, proszę.",
                requested_at=utcnow() - timedelta(days=3),
                text=(
                    "Pani Ola przez trzy tygodnie towarzyszyła seniorom w spacerach po "
                    "Rubinkowie: punktualnie, cierpliwie i z dużą życzliwością. Polecamy ją do "
                    "każdej pracy z osobami starszymi."
                ),
                written_at=utcnow() - timedelta(days=1),
                written_by_id=owner.id,
            )
        )
    run = created.get("Obsługa biegu nad Wisłą")
    if run is not None:
        shift = run.shifts[0]
        accepted = next(s for s in shift.signups if s.user_id == volunteer.id)
        agreement = agreements.ensure_agreement(accepted)
        agreement.volunteer_accepted_at = utcnow() - timedelta(hours=3)
        agreement.volunteer_accepted_version = agreement.template_version
        pupil = next(s for s in shift.signups if s.user_id == users["volunteer3"].id)
        pupil.guardian_consent_at = None
        pupil.guardian_contact = "anna.dabrowska@example.org"
        agreements.ensure_agreement(pupil)
        db.session.add(
            GuardianConsent(
                signup=pupil,
                guardian_name=pupil.guardian_name,
                guardian_email=pupil.guardian_contact,
                token_hash=guardians.hash_token(DEMO_CONSENT_TOKEN),
                expires_at=min(utcnow() + guardians.LINK_VALID, shift.starts_at),
            )
        )
    db.session.flush()
    if walks is not None:
        _school_group(walks, users)
        _grant_and_story(walks, volunteer, owner)
    db.session.flush()


def _grant_and_story(walks: Opportunity, volunteer, owner) -> None:
    """The foundation's city grant with the example rate table, the walks engagement counted
    in it as auxiliary work (its report: /wolontariat/organizacja/<slug>/dotacje), and Ola's
    story of the walks, approved by the foundation."""
    from app.volunteering.agreements.models import Agreement
    from app.volunteering.grants import service as grants
    from app.volunteering.stories import StoryStatus, VolunteerStory

    today = local_today()
    grant = grants.create_grant(
        walks.organisation,
        name="Aktywni seniorzy na Rubinkowie",
        competition=f"Otwarty konkurs ofert Gminy Miasta Toruń {today.year} – polityka senioralna",
        agreement_number=f"WSP.526.12.{today.year}",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=120),
    )
    agreement = db.session.scalar(
        sa.select(Agreement).where(
            Agreement.opportunity_id == walks.id, Agreement.user_id == volunteer.id
        )
    )
    if agreement is not None:
        grants.assign(grant, agreement_id=agreement.id, rate_id=grant.rates[0].id, actor=owner)
    db.session.add(
        VolunteerStory(
            user_id=volunteer.id,
            organisation_id=walks.organisation_id,
            author_name="Ola",
            title="Spacery, które zmieniły moje wtorki",
            body=(
                "Zaczęłam od jednego spaceru, bo miałam wolne przedpołudnie. Po trzech "
                "tygodniach wiem, która ławka na Rubinkowie ma najlepszy widok.\n\n"
                "Najwięcej nauczyłam się słuchać. Polecam każdemu, kto ma dwie godziny w tygodniu."
            ),
            status=StoryStatus.PUBLISHED,
            submitted_at=utcnow() - timedelta(days=2),
            decided_at=utcnow() - timedelta(days=1),
            decided_by_id=owner.id,
            published_at=utcnow() - timedelta(days=1),
        )
    )


def _school_group(walks: Opportunity, users: dict) -> None:
    """The school manager coordinates her school's volunteering club: two pupils on a walk,
    waiting for their parents' paper consent."""
    from app.volunteering.groups import Pupil, sign_up_group

    upcoming = sorted(
        (shift for shift in walks.shifts if shift.starts_at > utcnow()), key=lambda s: s.starts_at
    )
    if len(upcoming) < 2:
        return
    year = local_today().year - 16
    sign_up_group(
        upcoming[1].id,
        coordinator=users["school_manager"],
        school="Szkoła Podstawowa nr 7 – szkolne koło wolontariatu",
        pupils=[Pupil("Kacper Mazur", year, "Ewa Mazur"), Pupil("Lena Wrona", year, "Adam Wrona")],
    )


def _description(title: str) -> str:
    return (
        f"{title}. Szukamy osób, które chcą podzielić się czasem. Na miejscu wszystko "
        "wyjaśnimy, zapewniamy ubezpieczenie i porozumienie wolontariackie przy dłuższej "
        "współpracy. Po wszystkim wystawimy zaświadczenie."
    )


__all__ = ["load"]
