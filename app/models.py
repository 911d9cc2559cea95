"""Imports every model so the metadata (and Alembic autogenerate) sees the whole schema."""

# ruff: noqa: F401
from app.accounts.models import Consent, User, UserSession
from app.audit.models import AuditEvent
from app.calendars.imports.models import CalendarSource, ImportedBusy
from app.calendars.models import FeedToken
from app.mail import OutboxAttachment, OutboxMessage
from app.moderation.models import ContentReport, Hiding
from app.organisations.models import (
    Competence,
    Invitation,
    MemberRole,
    Membership,
    MembershipRequest,
    Offer,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Project,
)
from app.search.models import SearchDocument, SearchTerm
from app.spaces.details_models import FeeWaiver, SpaceDetails, SpacePhoto
from app.spaces.models import (
    BarterDelivery,
    Booking,
    BookingSeries,
    BookingStatusChange,
    Closure,
    OpeningHours,
    Provider,
    ProviderKind,
    ProviderManager,
    Space,
    SpaceFeature,
)
from app.spaces.rounds.models import (
    Allocation,
    AllocationRound,
    RoomWish,
    RoundActivity,
    RoundApplication,
    RoundSpace,
    RoundWindow,
    TimeRange,
)
from app.vocabularies.models import Term
from app.volunteering.agreements.models import (
    Agreement,
    AgreementTemplate,
    ChildProtectionStandards,
    GuardianConsent,
    Opinion,
    RegisterCheck,
    TimesheetEntry,
)
from app.volunteering.grants.models import Grant, GrantAssignment, GrantRate
from app.volunteering.groups import SchoolGroup
from app.volunteering.models import (
    Opportunity,
    OpportunityTag,
    Shift,
    Signup,
    SignupEvent,
    VolunteerProfile,
)
from app.volunteering.recognition import VolunteerRecognition
from app.volunteering.stories import VolunteerStory
