"""People workbooks an HR officer can filter: one sheet per list, a header row with an autofilter, text
kept as text (an id or a name starting with '=' is never a formula)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reorg.errors import ReorgError
from reorg.io.workbook import ooxml_escape
from reorg.report.findings import flat_summary

__all__ = ["write_benefits_xlsx", "write_evaluation_xlsx", "write_people_xlsx", "write_placement_xlsx"]


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding ``value``: text stays text (never a formula), escaped as Excel does."""
    cell = WriteOnlyCell(sheet, value=ooxml_escape(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet(
    book: openpyxl.Workbook, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}1"
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, c, bold=True) for c in columns])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])


def write_people_xlsx(
    path: Path,
    summary: Mapping[str, Any],
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> Path:
    """Write a Summary sheet (``summary`` flattened to metric, value) and one sheet per (title, columns,
    rows) to ``path``; an unwritable path is a ReorgError naming it."""
    if path.is_dir():
        raise ReorgError(f"cannot write {path}: it is a folder (name a file ending in .xlsx)")
    book = openpyxl.Workbook(write_only=True)
    rows = []
    for key, value in flat_summary(summary):
        shown = value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        rows.append((key, shown))
    _sheet(book, "Summary", ("metric", "value"), rows)
    for title, columns, body in sheets:
        _sheet(book, title, columns, body)
    try:
        book.save(path)
    except OSError as exc:
        raise ReorgError(f"cannot write {path}: {exc.strerror}") from None
    return path


def write_evaluation_xlsx(path: Path, data: Mapping[str, Any], levels: Sequence[str]) -> Path:
    """The workbook of an evaluation (``Evaluated.to_dict()``): Summary, Ratings, Unrated, Screening,
    Talent pool and By unit sheets; ``levels`` are the level names."""
    columns = ("id", "unit", "level", "score", "rating", "label", "rank_unit", "rank_level", "capped")
    listed = [[r[c] for c in columns] for r in data["people"]]
    summary = {k: data[k] for k in ("dataset", "version", "synthetic", "period", "counts")}
    summary["synthetic"] = ", ".join(data["synthetic"]) or "none"
    return write_people_xlsx(
        path,
        summary,
        [
            ("Ratings", columns, listed),
            (
                "Unrated",
                ("id", "unit", "level", "reason"),
                [(r["id"], r["unit"], r["level"], r["unrated"]) for r in data["unrated"]],
            ),
            (
                "Screening",
                ("id", "unit", "level", "rating", "score", "reasons"),
                [
                    (r["id"], r["unit"], r["level"], r["rating"], r["score"], "; ".join(r["screened"]))
                    for r in data["screening"]
                ],
            ),
            (
                "Talent pool",
                ("id", "unit", "level", "rating", "score", "rank_level"),
                [
                    (r["id"], r["unit"], r["level"], r["rating"], r["score"], r["rank_level"])
                    for r in data["talent"]
                ],
            ),
            (
                "By unit",
                ("unit", *levels, "unrated"),
                [tuple(u.values()) for u in data["units"]],
            ),
        ],
    )


def write_benefits_xlsx(path: Path, data: Mapping[str, Any], terms: Sequence[str]) -> Path:
    """The workbook of a benefits report (``BenefitsReport.to_dict()``): Summary, People and By unit
    sheets; ``terms`` are the ``regime.term`` columns shown with personal data."""
    total = data["total"]
    summary = {
        "dataset": data["dataset"],
        "synthetic": ", ".join(data["synthetic"]) or "none",
        "ruleset": data["ruleset"]["name"],
        "currency": data["ruleset"]["currency"],
        "as_of": data["as_of"],
        "decision_date": data["decision_date"],
        "total": {k: v for k, v in total.items() if k not in ("unit", "by_regime")},
        "by_regime": total["by_regime"],
    }
    columns = ["id", "unit", "regime", "missing"]
    if data["personal"]:
        columns += ["amount", "annual_saving", *terms]
    body = []
    for row in data["people"]:
        values = [row["id"], row["unit"], row["regime"] or "", ", ".join(row["missing"])]
        if data["personal"]:
            parts = {f"{row['regime']}.{k}": v for k, v in row["breakdown"].items()}
            values += [row["amount"], row["annual_saving"], *(parts.get(t) for t in terms)]
        body.append(values)
    units = [
        (
            u["unit"],
            u["people"],
            u["cost"],
            u["annual_saving"],
            u["payback_years"],
            "; ".join(f"{k} {v}" for k, v in u["by_regime"].items()),
        )
        for u in data["units"]
    ]
    return write_people_xlsx(
        path,
        summary,
        [
            ("People", columns, body),
            ("By unit", ("unit", "people", "cost", "annual_saving", "payback_years", "by_regime"), units),
        ],
    )


def write_placement_xlsx(path: Path, data: Mapping[str, Any]) -> Path:
    """The workbook of a placement (``Placed.to_dict()``): Summary, Placed, Surplus (with the regime to
    filter on) and By unit sheets; birth dates, salary coefficients and amounts when ``personal``."""
    summary = {
        "dataset": data["dataset"],
        "plan": data["plan"],
        "synthetic": ", ".join(data["synthetic"]) or "none",
        "ruleset": data["ruleset"]["name"],
        "currency": data["ruleset"]["currency"],
        "totals": {k: v for k, v in data["totals"].items() if k not in ("surplus_by_regime", "objective")},
        "surplus_by_regime": data["totals"]["surplus_by_regime"],
    }
    extra = ["birth_date", "salary_coefficient"] if data["personal"] else []
    placed = ["id", "unit", "from", "was", "position", "leader", "score", "fit", *extra]
    surplus = ["id", "unit", "from", "was", "score", "regime", *extra]
    surplus += ["amount", "annual_saving"] if data["personal"] else []
    units = [
        (u["unit"], u["candidates"], u["posts"], u["placed"], u["surplus"],
         "; ".join(f"{p} {f}/{q}" for p, (f, q) in u["filled_of_posts"].items()))
        for u in data["units"]
    ]  # fmt: skip
    return write_people_xlsx(
        path,
        summary,
        [
            ("Placed", placed, [[r.get(c) for c in placed] for r in data["placed"]]),
            ("Surplus", surplus, [[r.get(c) for c in surplus] for r in data["surplus"]]),
            ("By unit", ("unit", "candidates", "posts", "placed", "surplus", "filled of posts"), units),
        ],
    )
