"""The diagnosis as a workbook a person can filter: a Summary sheet (metric, value) and a Findings sheet."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reorg.diagnose import Report
from reorg.errors import ReorgError
from reorg.io.workbook import ooxml_escape

__all__ = ["flat_summary", "write_findings_xlsx"]


def flat_summary(summary: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) rows of a nested summary: ``spans.histogram.3-5``."""
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flat_summary(value, name + ".")
        else:
            yield name, value


def _text_cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding ``value``; text stays text (never a formula, even when it starts with '='), with
    characters XML cannot hold escaped as Excel does."""
    cell = WriteOnlyCell(sheet, value=ooxml_escape(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_findings_xlsx(report: Report, path: Path) -> Path:
    """Write the workbook to ``path`` (a file, not a folder); an unwritable path is a ReorgError naming it."""
    if path.is_dir():
        raise ReorgError(f"cannot write {path}: it is a folder (name a file ending in .xlsx)")
    book = openpyxl.Workbook(write_only=True)
    summary = book.create_sheet("Summary")
    summary.append([_text_cell(summary, h, bold=True) for h in ("metric", "value")])
    for key, value in flat_summary(report.summary.to_dict()):
        shown = value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        summary.append([_text_cell(summary, key), _text_cell(summary, shown)])
    findings = book.create_sheet("Findings")
    columns = ("rank", "severity", "kind", "score", "units", "tasks", "explanation", "evidence")
    findings.append([_text_cell(findings, h, bold=True) for h in columns])
    for rank, f in enumerate(report.findings, start=1):
        evidence = "; ".join(f"{k}={v:g}" for k, v in f.evidence.items())
        row = [rank, f.severity, f.kind, round(f.score, 6), "; ".join(f.units), "; ".join(f.tasks)]
        findings.append([_text_cell(findings, v) for v in [*row, f.explanation, evidence]])
    try:
        book.save(path)
    except OSError as exc:
        raise ReorgError(f"cannot write {path}: {exc.strerror}") from None
    return path
