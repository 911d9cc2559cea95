"""Demo volunteering opportunities (added by the volunteering board)."""

from __future__ import annotations


def load(users: dict, organisations: dict) -> None:
    return None
