"""The summary report of a reform as an XLSX workbook: the figures of the page, one sheet per table.

Written from the same ``ReportData`` as the HTML page (``reorg.report.reform``), in the same language,
with numbers as numbers (a reader can sum them) and text kept as text (a name starting with '=' is never
a formula). Each sheet has a header row; a sheet whose figures rest on synthetic data, or come from a
source, says so in a note under its table. Sheet names are the translated titles, made valid (at most
31 characters, none of ``[]:*?/\\``) and unique.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reorg import i18n
from reorg.diagnose.findings import SEVERITIES
from reorg.errors import ReorgError
from reorg.io.workbook import ooxml_escape
from reorg.report.data import Count, ReportData
from reorg.report.tracking_sheets import TRACKING_SHEETS, tracking_sheets
from reorg.report.words import Words, words

__all__ = ["SHEETS", "write_workbook"]

#: the sheets in order (keys of ``Words.sheets``); "costs" and "regimes", "differences" and "map"
#: only when the report has them, then the roadmap, consultation and monitoring sheets
#: (``reorg.report.tracking_sheets``)
SHEETS = (
    "overview",
    "apparatus",
    "apparatus_kinds",
    "findings_severity",
    "findings_kind",
    "top_findings",
    "operations_kind",
    "operations",
    "people",
    "costs",
    "regimes",
    "compared",
    "differences",
    "map",
    *TRACKING_SHEETS,
)

_INVALID = re.compile(r"[\[\]:*?/\\]")
Row = Sequence[Any]


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ooxml_escape(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


class _Book:
    def __init__(self, w: Words) -> None:
        self.book = openpyxl.Workbook(write_only=True)
        self.w = w
        self.names: set[str] = set()

    def sheet(self, key: str, headers: Row, rows: Sequence[Row], notes: Sequence[str] = ()) -> None:
        """A sheet titled ``Words.sheets[key]``: the header row, the rows, then a blank row and the notes."""
        title = _INVALID.sub(" ", self.w.sheets[key])[:31].strip() or key
        base, n = title, 2
        while title.lower() in self.names:
            title = f"{base[:28]} {n}"
            n += 1
        self.names.add(title.lower())
        sheet = self.book.create_sheet(title)
        sheet.append([_cell(sheet, h, bold=True) for h in headers])
        for row in rows:
            sheet.append([_cell(sheet, v) for v in row])
        if notes:
            sheet.append([])
            for note in notes:
                sheet.append([_cell(sheet, note)])


def _before_after(rows: Sequence[Count], name: Any, total: str | None) -> list[Row]:
    out: list[Row] = [(name(c.name), c.before, c.after, c.change) for c in rows]
    if total is not None:
        b, a = sum(c.before for c in rows), sum(c.after for c in rows)
        out.append((total, b, a, a - b))
    return out


def _notes(data: ReportData, w: Words, synthetic: bool, sourced: bool = False) -> list[str]:
    notes = []
    if synthetic:
        parts = ", ".join(w.part(p) for p in data.synthetic)
        notes.append(f"{w['synthetic_parts']}: {parts}")
    if sourced and data.source:
        notes.append(f"{w['source']}: {data.source}")
    return notes


def _overview(data: ReportData, w: Words) -> list[Row]:
    yes, no = w["yes"], w["no"]
    return [
        (w["dataset"], data.dataset, "", ""),
        (w["version"], data.dataset_version, "", ""),
        (w["plan_name"], data.plan, "", ""),
        (w["version"], data.plan_version, "", ""),
        (w["language"], i18n.LANGUAGES[w.lang], "", ""),
        (w["source"], data.source, "", ""),
        (w["synthetic_parts"], ", ".join(w.part(p) for p in data.synthetic), "", ""),
        (w["units_after"], data.units_total[1], yes if data.synthetic_in("units") else no, data.source),
        (w["findings_after"], data.findings_total[1], yes if data.findings_synthetic else no, ""),
        (w["operations"], data.operations_total, no, ""),
        (w["headcount_after"], data.headcount[1], yes if data.synthetic_in("people") else no, ""),
        *_tracking_overview(data, w),
    ]


def _tracking_overview(data: ReportData, w: Words) -> list[Row]:
    """The roadmap's length and continuity, the rounds, the share done, or that each is absent."""
    yes, no = w["yes"], w["no"]
    r, m = data.roadmap, data.monitoring
    rows: list[Row] = [
        (w["roadmap"], w["no_roadmap"], "", "")
        if r is None
        else (f"{w['roadmap']}: {w['days']}", r.days, no, ""),
    ]
    if r is not None:
        rows.append((w["continuity_holds"], yes if r.continuous else no, no, ""))
    rows.append(
        (w["consultation"], w["no_consultation"], "", "")
        if not data.consultations
        else (f"{w['consultation']}: {w['round']}", len(data.consultations), no, "")
    )
    rows.append(
        (w["monitoring"], w["no_monitoring"], "", "")
        if m is None
        else (f"{w['monitoring']}: {w['share_done']}", m.overall.share, yes if m.synthetic else no, "")
    )
    return rows


def _costs(data: ReportData, w: Words) -> list[Row]:
    c = data.costs
    if c is None:
        return []
    ruleset = f"{c.ruleset} ({w['illustrative']})" if c.illustrative else c.ruleset
    return [
        (w["ruleset"], ruleset),
        (w["as_of"], c.as_of.isoformat()),
        (w["units_formed"], c.units),
        (w["candidates"], c.candidates),
        (w["posts"], c.posts),
        (w["placed"], c.placed),
        (w["placed_as_leaders"], c.placed_as_leaders),
        (w["surplus"], c.surplus),
        (f"{w['cost']} ({c.currency})", c.cost),
        (f"{w['annual_saving']} ({c.currency})", c.annual_saving),
        (w["payback"], c.payback_years if c.payback_years is not None else ""),
    ]


def _compared(data: ReportData, w: Words) -> list[Row]:
    plans = data.plans
    rows: list[Row] = [(w["operations"], *(p.operations for p in plans))]
    rows += [
        (f"{w['units_after']}: {lv}", *(p.units_after.get(lv, 0) for p in plans)) for lv in data.plan_levels
    ]
    rows.append((w["headcount_after"], *(p.headcount_after for p in plans)))
    rows.append((w["moved"], *(p.moved for p in plans)))
    rows.append((w["released"], *(p.released for p in plans)))
    rows += [
        (f"{w['findings_after']}: {w.severity(s)}", *(p.findings_after.get(s, 0) for p in plans))
        for s in SEVERITIES
    ]
    return rows


def write_workbook(data: ReportData, lang: str, path: Path) -> Path:
    """Write the report's workbook in ``lang`` to ``path``; an unwritable path is a ReorgError naming it."""
    w = words(lang)
    b = _Book(w)
    ba = (w["before"], w["after"], w["change"])
    people_synthetic = data.synthetic_in("people")
    b.sheet("overview", (w["figure"], w["value"], w["synthetic"], w["source"]), _overview(data, w))
    b.sheet(
        "apparatus",
        (w["level"], *ba),
        _before_after(data.levels, str, w["total"]),
        _notes(data, w, data.synthetic_in("units"), sourced=True),
    )
    b.sheet(
        "apparatus_kinds",
        (w["level"], w["kind"], *ba),
        [(c.level, c.name, c.before, c.after, c.change) for c in data.kinds],
        _notes(data, w, data.synthetic_in("units"), sourced=True),
    )
    findings_notes = _notes(data, w, data.findings_synthetic)
    b.sheet(
        "findings_severity",
        (w["severity"], *ba),
        _before_after(data.findings_by_severity, w.severity, w["total"]),
        findings_notes,
    )
    b.sheet(
        "findings_kind",
        (w["finding"], *ba),
        _before_after(data.findings_by_kind, w.kind, None),
        findings_notes,
    )
    top = [(w.severity(f.severity), w.kind(f.kind), w.finding(f)) for f in data.top_findings]
    b.sheet("top_findings", (w["severity"], w["finding"], w["explanation"]), top, findings_notes)
    by_kind: list[Row] = [(w.op(op), n) for op, n in data.operations_by_kind]
    b.sheet("operations_kind", (w["operation"], w["count"]), [*by_kind, (w["total"], data.operations_total)])
    b.sheet(
        "operations",
        ("#", w["operation"], w["details"]),
        [(o.index, w.op(o.op), o.details) for o in data.operations],
    )
    people: list[Row] = [
        (w["headcount_before"], data.headcount[0]),
        (w["headcount_after"], data.headcount[1]),
        (w["moved"], data.moved),
        (w["released"], data.released),
        (w["added"], data.added),
    ]
    b.sheet("people", (w["figure"], w["value"]), people, _notes(data, w, people_synthetic))
    if data.costs is not None:
        b.sheet("costs", (w["figure"], w["value"]), _costs(data, w), _notes(data, w, people_synthetic))
        regimes = [(r, n) for r, n in data.costs.surplus_by_regime]
        b.sheet("regimes", (w["regime"], w["count"]), regimes, _notes(data, w, people_synthetic))
    b.sheet(
        "compared",
        (w["figure"], *(p.name for p in data.plans)),
        _compared(data, w),
        _notes(data, w, people_synthetic),
    )
    if len(data.plans) > 1:
        mine = data.plans[0].units_after
        heads: list[str] = [w["level"], data.plan]
        for p in data.plans[1:]:
            heads += [p.name, w["difference"]]
        rows: list[Row] = []
        for lv in data.plan_levels:
            row: list[Any] = [lv, mine.get(lv, 0)]
            for p in data.plans[1:]:
                row += [p.units_after.get(lv, 0), mine.get(lv, 0) - p.units_after.get(lv, 0)]
            rows.append(row)
        b.sheet("differences", heads, rows)
    if data.map is not None:
        yes, no = w["yes"], w["no"]
        areas = [(a.id, a.name, a.after_id, a.after_name, yes if a.estimated else no) for a in data.map.areas]
        b.sheet(
            "map",
            (w["id"], w["name"], w["went_into"], w["name"], w["estimated"]),
            areas,
        )
    for key, headers, lines, notes in tracking_sheets(data, w, lambda x: i18n.format_number(x, w.lang, 2)):
        b.sheet(key, headers, lines, notes)
    try:
        b.book.save(path)
    except OSError as exc:
        raise ReorgError(f"cannot write {path}: {exc.strerror}") from None
    return path
