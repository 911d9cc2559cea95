"""One compiled URL builder per distinct rule for the whole test session.

Werkzeug compiles two builder functions per rule (through ``ast`` and ``compile``) whenever an
app registers its blueprints: with ~460 rules that was 0.2 s of every ``create_app``, most of
what a test's own app cost (thousands of apps per run). A builder depends only on the rule's
parsed parts (``_trace``), the names of its defaults and whether unknown arguments are appended;
the rule itself is bound when it is called. So the session keeps the function per such key.
Rules whose defaults fill a part of the path (resolved by a converter when compiling) are
compiled as usual. tests/test_url_builders.py checks that each kept builder is the one Werkzeug
would compile.
"""

from __future__ import annotations

from werkzeug.routing import rules

ORIGINAL = rules.Rule._compile_builder
_kept: dict[tuple, object] = {}


def builder_key(rule: rules.Rule, append_unknown: bool) -> tuple | None:
    defaults = rule.defaults or {}
    if any(is_dynamic and data in defaults for is_dynamic, data in rule._trace):
        return None
    return (tuple(rule._trace), tuple(defaults), append_unknown)


def _compile_builder(self, append_unknown: bool = True):
    key = builder_key(self, append_unknown)
    if key is None:
        return ORIGINAL(self, append_unknown)
    if key not in _kept:
        _kept[key] = ORIGINAL(self, append_unknown)
    return _kept[key]


def install() -> None:
    rules.Rule._compile_builder = _compile_builder
