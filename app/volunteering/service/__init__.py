"""Volunteering domain logic as plain functions, by topic; callers use ``service.sign_up(...)``.

- ``signups``: sign up, withdraw, the waitlist and its promotion, answers, attendance.
- ``opportunities``: an organisation's offers and shifts (write, publish, add, move, cancel).
- ``notifications``: the e-mails and their signed links.
- ``reminders``: the periodic mails (shift reminders, unanswered applications, digest).
- ``reports``: responsiveness, hours, the applicants' CSV, certificate entries.

Services only flush: the request (``app.unit_of_work``) or the job's ``transaction()`` commits.
"""

from app.volunteering.models import ACTIVE_STATUSES
from app.volunteering.service.notifications import (
    organisation_recipients,
    signup_from_token,
    signup_token,
)
from app.volunteering.service.opportunities import (
    MICRO_MAX_DURATION,
    ShiftTimesInvalid,
    add_shift,
    can_move,
    cancel_shift,
    cannot_move_message,
    change_capacity,
    close,
    create_opportunity,
    move_shift,
    publish,
    shift_time_errors,
    update_opportunity,
)
from app.volunteering.service.reminders import (
    DIGEST_INTERVAL,
    send_digests,
    send_reminders,
    send_unanswered_reminders,
)
from app.volunteering.service.reports import (
    DEFAULT_HOURLY_RATE,
    UNANSWERED_AFTER,
    HoursReport,
    Responsiveness,
    applicants_csv,
    certificate_organisations,
    confirmed_work,
    default_report_period,
    hourly_rate,
    hours_report,
    opportunities_of,
    pending_count,
    responsiveness,
)
from app.volunteering.service.signups import (
    ADULT_AGE,
    LATE_CANCELLATION,
    PLATFORM_MIN_AGE,
    Guardian,
    Guest,
    age_in_year,
    cancel,
    change_birth_year,
    check_age,
    confirm_coming,
    decide,
    existing_profile,
    lock_shift,
    needs_guardian,
    profile_for,
    record_attendance,
    sign_up,
    too_young_for_shift,
)

__all__ = [
    "ACTIVE_STATUSES",
    "ADULT_AGE",
    "DEFAULT_HOURLY_RATE",
    "DIGEST_INTERVAL",
    "LATE_CANCELLATION",
    "MICRO_MAX_DURATION",
    "PLATFORM_MIN_AGE",
    "UNANSWERED_AFTER",
    "Guardian",
    "Guest",
    "HoursReport",
    "Responsiveness",
    "ShiftTimesInvalid",
    "add_shift",
    "age_in_year",
    "applicants_csv",
    "can_move",
    "cancel",
    "cancel_shift",
    "cannot_move_message",
    "certificate_organisations",
    "change_birth_year",
    "change_capacity",
    "check_age",
    "close",
    "confirm_coming",
    "confirmed_work",
    "create_opportunity",
    "decide",
    "default_report_period",
    "existing_profile",
    "hourly_rate",
    "hours_report",
    "lock_shift",
    "move_shift",
    "needs_guardian",
    "opportunities_of",
    "organisation_recipients",
    "pending_count",
    "profile_for",
    "publish",
    "record_attendance",
    "responsiveness",
    "send_digests",
    "send_reminders",
    "send_unanswered_reminders",
    "shift_time_errors",
    "sign_up",
    "signup_from_token",
    "signup_token",
    "too_young_for_shift",
    "update_opportunity",
]
