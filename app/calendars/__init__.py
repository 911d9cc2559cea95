"""The calendars domain."""
