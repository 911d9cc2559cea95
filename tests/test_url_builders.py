"""The test session's kept URL builders (tests/url_builders.py) are the ones Werkzeug compiles."""

from __future__ import annotations

from flask import url_for

from tests.url_builders import ORIGINAL, builder_key


def _same_function(kept, fresh) -> bool:
    a, b = kept.__code__, fresh.__code__
    return (a.co_code, a.co_consts, a.co_names, a.co_varnames, kept.__defaults__) == (
        b.co_code,
        b.co_consts,
        b.co_names,
        b.co_varnames,
        fresh.__defaults__,
    )


def test_every_rule_builds_with_the_function_werkzeug_would_compile(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    shared = 0
    for rule in rules:
        for append_unknown, bound in ((False, rule._build), (True, rule._build_unknown)):
            assert bound.__self__ is rule
            assert _same_function(bound.__func__, ORIGINAL(rule, append_unknown)), rule.rule
            shared += builder_key(rule, append_unknown) is not None
    assert shared > 100  # the cache is in use


def test_urls_of_a_second_app_are_its_own(app, client):
    with app.test_request_context():
        assert url_for("organisations.profile", slug="fundacja") == "/organizacje/fundacja"
        assert url_for("pages.home", page=2) == "/?page=2"
