"""Lists fold their filters into one line on a phone (<details>, no JavaScript needed), and the
folded panel says how many filters are in use (issue 10: filters pushed results two screens
down)."""

from __future__ import annotations

import re

import pytest

LISTS = {
    "/przestrzenie/": "kind=room",
    "/organizacje/": "verified=1",
    "/wolontariat/": "kind=micro",
}


@pytest.mark.parametrize("path", LISTS)
def test_the_filters_fold_into_a_panel(client, path):
    page = client.get(path).text
    panel = re.search(r'<details class="filters-panel">(.*?)</details>', page, re.S)
    assert panel, "no folding filter panel"
    assert '<form class="filters"' in panel.group(1)
    summary = re.search(r"<summary>(.*?)</summary>", panel.group(1), re.S).group(1)
    assert "Filtry" in summary and "aktywn" not in summary


@pytest.mark.parametrize("path", LISTS)
def test_the_folded_panel_counts_the_filters_in_use(client, path):
    page = client.get(f"{path}?{LISTS[path]}&strona=2").text
    summary = re.search(r'class="filters-panel">\s*<summary>(.*?)</summary>', page, re.S).group(1)
    assert "1 aktywny" in summary  # the page number is not a filter
