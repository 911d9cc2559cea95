"""The spaces domain."""
