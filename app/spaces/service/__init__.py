# ruff: noqa: F401  (the package re-exports its modules' public names)
"""Spaces domain logic as plain functions, by topic; callers keep ``service.approve(...)``.

- ``availability``: recurrence, opening hours, closures, booking rules, conflicts, settings
- ``planning``: a request's occurrences and their problems, before anything is written
- ``bookings``: requests and every decision on a booking (one lock per space)
- ``terms``: school terms and the re-confirmation of standing bookings
- ``barter``: what NGOs owe and delivered
- ``notifications``: labels and the mails about bookings
- ``week``: the week grid and dashboards
- ``admin``: providers, their spaces and managers
"""

from app.spaces.service.admin import (
    DUPLICATE_PROVIDER,
    DUPLICATE_SPACE,
    SpaceDescription,
    _unique_slug,
    add_manager,
    create_provider,
    create_space,
    remove_manager,
    set_space_active,
    update_space_description,
)
from app.spaces.service.availability import (
    CLOSURE_REASONS,
    MAX_LOAN_DAYS,
    MAX_OCCURRENCES,
    all_rooms,
    blocked_by_import,
    closure_label,
    closures_by_space,
    closures_for,
    conflict_reasons,
    conflicts_for,
    decision_problems,
    imported_busy,
    occurrence_days,
    opening_intervals,
    peak_quantity,
    pending_competitors,
    rule_problems,
    slot_for,
    slot_holders,
    uses_school_weeks,
)
from app.spaces.service.barter import (
    BarterLedger,
    barter_ledger,
    barter_partners,
    barter_ratio,
    record_delivery,
    withdraw_delivery,
)
from app.spaces.service.bookings import (
    SLOT_JUST_TAKEN,
    BookingConflict,
    approve,
    cancel,
    create_request,
    decline,
    lock_space,
    move,
    readd,
    set_status,
)
from app.spaces.service.inbox import InboxPage, inbox_page
from app.spaces.service.notifications import STATUS_LABELS, format_slot, status_label
from app.spaces.service.operations import (
    ON_BEHALF_CHANNELS,
    active_ban,
    booking_from_token,
    confirm_attendance,
    ensure_not_banned,
    enter_booking,
    lift_ban,
    mark_no_show,
    no_shows_counted,
    on_behalf_label,
    provider_bans,
    release_by_organisation,
    reminder_token,
    run_booking_reminders,
    run_pending_reminders,
    waiting_for,
)
from app.spaces.service.photos import first_photos
from app.spaces.service.planning import (
    BookingRequest,
    PlannedOccurrence,
    plan_request,
    request_problems,
)
from app.spaces.service.settings import (
    SpaceSettings,
    add_closure,
    affected_by_closure,
    notify_closure,
    remove_closure,
    update_space,
)
from app.spaces.service.terms import (
    RECONFIRM_DAYS,
    confirm_for_term,
    reconfirm_series,
    run_reconfirmation,
    term_bounds,
    term_of,
)
from app.spaces.service.week import (
    Interval,
    WeekDay,
    occupancy,
    organisation_bookings,
    provider_inbox,
    week_grid,
    week_start,
)
