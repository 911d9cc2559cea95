"""End-to-end user flows, run by ``tests/browser/test_flows.py`` twice: with JavaScript (htmx
enhancements active) and without it (plain links and forms), because every flow must work in
both. Each module of this package registers its flows with ``@flow``; a domain adds its own
module (``flows/volunteering.py``, ``flows/spaces.py`` ...) and nothing else needs editing.

A flow is a function ``(page, ctx) -> None`` that drives ``page`` like a person would (links,
labels, buttons; no direct URLs for steps a user would click) and asserts the outcome.
``ctx.login(role)`` logs a demo user in through the login form on the same page.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

FLOWS: dict[str, Flow] = {}


@dataclass
class Flow:
    name: str
    run: Callable
    marks: list = field(default_factory=list)
    javascript: tuple[bool, ...] = (True, False)


def flow(name: str | None = None, *, marks=(), javascript=(True, False)):
    """Register a flow. ``marks``: pytest marks for it (e.g. a strict xfail for a feature that
    has not landed yet); ``javascript``: which modes to run (both unless there is a reason)."""

    def register(function):
        key = name or function.__name__
        assert key not in FLOWS, f"two flows named {key}"
        FLOWS[key] = Flow(key, function, list(marks), tuple(javascript))
        return function

    return register


def load_all() -> dict[str, Flow]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return FLOWS


def parameters():
    """pytest parameters: one per flow and JavaScript mode, ids like ``login-nojs``."""
    params = []
    for item in load_all().values():
        for javascript in item.javascript:
            params.append(
                pytest.param(
                    item, javascript, id=f"{item.name}-{'js' if javascript else 'nojs'}",
                    marks=item.marks,
                )
            )  # fmt: skip
    return params
