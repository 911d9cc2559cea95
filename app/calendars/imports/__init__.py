"""Busy times imported from providers' own calendars (a school's timetable, its events).

- ``models``: the sources (URL, status) and their busy intervals (UID, RECURRENCE-ID, start,
  end: never a summary, description or attendee, school calendars hold personal data), and the
  query the spaces' availability asks (``busy_by_space``)
- ``guard``: the SSRF guard (public addresses only unless ``CALENDAR_IMPORT_ALLOWLIST``)
- ``fetch``: one conditional, bounded HTTP download that connects to the checked address
- ``parse``: .ics bytes to busy intervals (icalendar + recurring-ical-events)
- ``service``: add, preview, synchronise, remove; status, collisions and failure mails
- ``tasks``: the per-source job and its hourly schedule; ``blueprint`` has the provider pages
  and ``flask --app wsgi sync-calendars``

Importing this package loads no web layer (see ``blueprint``)."""
