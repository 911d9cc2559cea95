"""Volunteering board: opportunities, shifts, sign-ups, matching, hours and certificates."""
