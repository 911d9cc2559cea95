"""Wkład osobowy: an organisation's grants, their rate tables and the per-grant report."""
