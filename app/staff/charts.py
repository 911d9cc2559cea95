"""Bar charts as plain geometry for the SVG templates (templates/staff/_charts.html): no
script, no inline style, so the CSP holds; every chart sits next to its data table."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 230
BAR_SPACE = 320  # the longest bar
ROW = 28
BAR = 18
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str  # shortened to fit; the table holds the full text
    value_text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(items: list[tuple[str, float, str]]) -> Chart | None:
    """``(label, value, value as shown)`` items as horizontal bars; None when all are zero."""
    top = max((value for _, value, _ in items), default=0)
    if not items or top <= 0:
        return None
    bars = [
        Bar(
            _short(label),
            text,
            index * ROW,
            max(round(BAR_SPACE * value / top), 1 if value else 0),
        )
        for index, (label, value, text) in enumerate(items)
    ]
    return Chart(WIDTH, len(bars) * ROW, LABEL_WIDTH, bars)
