"""The report's figures as captioned tables (and the chart each one gets), in the user's
language: the page shows them, the CSV files are written from them, so the two never differ."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.i18n import format_number
from app.inputs import csv_cell
from app.staff.charts import Chart, bar_chart

SECTIONS = ("sector", "spaces", "volunteering")


@dataclass
class Table:
    key: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    chart: Chart | None = None


@dataclass
class Section:
    key: str
    title: str
    facts: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)


def num(value, fmt: str = "#,##0.##") -> str:
    return "—" if value is None else format_number(value, fmt)


def pct(value) -> str:
    return "—" if value is None else format_number(value, "#,##0.#%")


def _table(key, caption, headers, rows, chart_column: int | None = 1, values=None) -> Table:
    """``rows`` as text; the chart draws ``values`` (numbers, one per row) or nothing."""
    chart = None
    if chart_column is not None and values is not None:
        chart = bar_chart(
            [
                (row[0], float(v or 0), row[chart_column])
                for row, v in zip(rows, values, strict=True)
            ]
        )
    return Table(key, caption, headers, rows, chart)


def _counts(key, caption, counts, what) -> Table:
    rows = [[c.label, num(c.count)] for c in counts]
    return _table(key, caption, [what, _("Organizacje")], rows, values=[c.count for c in counts])


def sector_section(report) -> Section:
    s = report.sector
    return Section(
        "sector",
        _("Organizacje pozarządowe"),
        [
            (_("Organizacje w bazie"), num(s.in_base)),
            (_("Nowe w okresie"), num(s.new)),
            (_("Zweryfikowane (na koniec okresu)"), num(s.verified)),
            (_("Zweryfikowane w okresie"), num(s.verified_in_period)),
        ],
        [
            _counts(
                "sphere",
                _("Organizacje według sfer zadań publicznych (art. 4)"),
                s.by_sphere,
                _("Sfera"),
            ),
            _counts("district", _("Organizacje według osiedli"), s.by_district, _("Osiedle")),
            _counts(
                "legal-form",
                _("Organizacje według formy prawnej"),
                s.by_legal_form,
                _("Forma prawna"),
            ),
        ],
    )


def _terms_label(code: str) -> str:
    return {"free": _("nieodpłatnie"), "fee": _("odpłatnie"), "barter": _("barter")}[code]


def _groups(key, caption, rows, what) -> Table:
    return _table(
        key,
        caption,
        [what, _("Godziny"), _("Rezerwacje"), _("Organizacje")],
        [[r.label, num(r.hours), num(r.bookings), num(r.organisations)] for r in rows],
        values=[r.hours for r in rows],
    )


def spaces_section(report) -> Section:
    s = report.spaces
    return Section(
        "spaces",
        _("Przestrzenie"),
        [
            (_("Rezerwacje (terminy zatwierdzone)"), num(s.bookings)),
            (_("Godziny użytkowania"), num(s.hours)),
            (_("Organizacje korzystające"), num(s.organisations_served)),
            (_("Uczestnicy (deklarowani)"), num(s.participants)),
            (_("Wykorzystanie sal (zarezerwowane ÷ godziny otwarcia)"), pct(s.utilisation)),
            (_("Godziny barteru należne"), num(s.barter_owed)),
            (_("Godziny barteru oddane"), num(s.barter_delivered)),
            (_("Nieobecności (no-show)"), num(s.no_shows)),
            (_("Późne odwołania (mniej niż 24 h przed)"), num(s.late_cancellations)),
            (_("Odrzucone wnioski (terminy)"), num(s.declined)),
        ],
        [
            _table(
                "space",
                _("Wykorzystanie przestrzeni"),
                [
                    _("Przestrzeń"),
                    _("Godziny"),
                    _("Rezerwacje"),
                    _("Udostępniający"),
                    _("Osiedle"),
                    _("Godziny otwarcia"),
                    _("Wykorzystanie"),
                    _("Organizacje"),
                    _("Uczestnicy"),
                ],
                [
                    [
                        r.space,
                        num(r.hours),
                        num(r.bookings),
                        r.provider,
                        r.district,
                        num(r.open_hours),
                        pct(r.utilisation),
                        num(r.organisations),
                        num(r.participants),
                    ]
                    for r in s.per_space
                ],
                values=[r.hours for r in s.per_space],
            ),
            _groups(
                "provider",
                _("Godziny użytkowania według udostępniających"),
                s.per_provider,
                _("Udostępniający"),
            ),
            _groups(
                "space-district",
                _("Godziny użytkowania według osiedli"),
                s.per_district,
                _("Osiedle"),
            ),
            _table(
                "terms",
                _("Warunki udostępnienia: udział w godzinach"),
                [_("Warunki"), _("Udział"), _("Godziny"), _("Rezerwacje")],
                [
                    [_terms_label(t.terms), pct(t.share), num(t.hours), num(t.bookings)]
                    for t in s.terms
                ],
                values=[t.share or 0 for t in s.terms],
            ),
            _table(
                "declined",
                _("Odrzucone wnioski według powodu"),
                [_("Powód"), _("Terminy")],
                [[r.reason or _("bez podanego powodu"), num(r.count)] for r in s.decline_reasons],
                values=[r.count for r in s.decline_reasons],
            ),
        ],
    )


def _hours(key, caption, rows, what) -> Table:
    return _table(
        key,
        caption,
        [what, _("Godziny"), _("Wolontariusze")],
        [[r.label, num(r.hours), num(r.volunteers)] for r in rows],
        values=[r.hours for r in rows],
    )


def volunteering_section(report) -> Section:
    from app.templating import local_date

    v = report.volunteering
    return Section(
        "volunteering",
        _("Wolontariat"),
        [
            (_("Opublikowane oferty"), num(v.opportunities_published)),
            (_("Zgłoszenia"), num(v.applications)),
            (_("Przyjęcia"), num(v.acceptances)),
            (_("Potwierdzone godziny"), num(v.hours)),
            (_("Wolontariusze z potwierdzonymi godzinami"), num(v.volunteers)),
            (_("Niepełnoletni wolontariusze (ze zgodą opiekuna)"), num(v.minors)),
            (
                _("Wydane zaświadczenia"),
                _("nie są rejestrowane") if v.certificates is None else num(v.certificates),
            ),
            (
                _("Wartość wkładu osobowego (minimalna stawka godzinowa w dniu pracy)")
                if v.rate is None
                else _(
                    "Wartość wkładu osobowego (stawka %(rate)s zł/godz.)",
                    rate=num(v.rate, "#,##0.00"),
                ),
                num(v.value, "#,##0.00") + " zł",
            ),
            (_("Mediana czasu odpowiedzi organizacji (godziny)"), num(v.median_response_hours)),
            (_("Zgłoszenia z odpowiedzią"), pct(v.answered_share)),
        ],
        [
            _hours(
                "sphere-hours", _("Potwierdzone godziny według sfer"), v.hours_by_sphere, _("Sfera")
            ),
            _hours(
                "district-hours",
                _("Potwierdzone godziny według osiedli"),
                v.hours_by_district,
                _("Osiedle"),
            ),
            _table(
                "month",
                _("Potwierdzone godziny według miesięcy"),
                [_("Miesiąc"), _("Godziny"), _("Wolontariusze")],
                [
                    [local_date(m.month, "LLLL y"), num(m.hours), num(m.volunteers)]
                    for m in v.hours_by_month
                ],
                values=[m.hours for m in v.hours_by_month],
            ),
            _table(
                "responses",
                _("Czas odpowiedzi organizacji na zgłoszenia"),
                [_("Organizacja"), _("Mediana (godziny)"), _("Z odpowiedzią"), _("Zgłoszenia")],
                [
                    [r.organisation, num(r.median_hours), pct(r.answered_share), num(r.counted)]
                    for r in v.responses_by_organisation
                ],
                values=[r.median_hours or 0 for r in v.responses_by_organisation],
            ),
        ],
    )


def sections(report) -> list[Section]:
    return [sector_section(report), spaces_section(report), volunteering_section(report)]


def section_csv(section: Section) -> str:
    """One section: its figures, then each table (caption, header, rows), a blank line apart."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def row(cells):
        writer.writerow([csv_cell(cell) for cell in cells])

    row([section.title])
    for label, value in section.facts:
        row([label, value])
    for table in section.tables:
        writer.writerow([])
        row([table.caption])
        row(table.headers)
        for cells in table.rows:
            row(cells)
    return out.getvalue()
