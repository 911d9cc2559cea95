"""Seasonal allocation rounds (nabór): organisations apply for standing weekly slots, staff
allocate them on a board, and the allocation becomes booking series (see docs/spaces.md)."""
