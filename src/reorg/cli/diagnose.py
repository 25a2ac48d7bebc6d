"""``reorg diagnose DATASET``: what makes an apparatus cumbersome, as a Rich table, JSON or a workbook.

The dataset (or a stored plan, applied to its baseline) is read from the store at ``--db``; thresholds
come from ``--config FILE.toml`` (see docs/diagnosis.md). ``--xlsx FILE`` also writes a workbook with a
Summary sheet and a Findings sheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import openpyxl
import typer
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, emit_json, open_store, progress_bar
from reorg.diagnose import DiagnosisConfig, Report, diagnose
from reorg.errors import ReorgError
from reorg.io.workbook import ooxml_escape

__all__ = ["flat_summary", "write_report_xlsx"]

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
#: findings shown in the terminal table unless --top says otherwise
SHOWN = 30


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


def write_report_xlsx(report: Report, path: Path) -> None:
    """A workbook with a Summary sheet (metric, value) and a Findings sheet (one row per finding)."""
    book = openpyxl.Workbook(write_only=True)
    summary = book.create_sheet("Summary")
    summary.append([_text_cell(summary, h, bold=True) for h in ("metric", "value")])
    for key, value in flat_summary(report.summary):
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


def _print(report: Report, top: int) -> None:
    """The summary figures and the top findings as Rich tables."""
    s = report.summary
    figures = Table(title=f"Diagnosis of {s.get('dataset') or 'the apparatus'}", title_justify="left")
    figures.add_column("metric")
    figures.add_column("value", justify="right")
    per_level = s.get("units_per_level")
    per_level = per_level if isinstance(per_level, Mapping) else {}
    rows = [
        ("units per level", ", ".join(f"{k} {v:,}" for k, v in per_level.items())),
        ("layers (depth norm)", f"{s.get('layers')} ({s.get('depth_norm')})"),
        ("duplication index", f"{s.get('duplication_index', 0):.4f}"),
        ("unclear-responsibility index", f"{s.get('unclear_responsibility_index', 0):.4f}"),
        ("headcount / quota", f"{s.get('headcount', 0):,} / {s.get('quota', 0):,.0f}"),
    ]
    counts = s.get("findings")
    counts = counts if isinstance(counts, Mapping) else {}
    rows.append(("findings", ", ".join(f"{k} {v:,}" for k, v in counts.items() if v) or "none"))
    for name, value in rows:
        figures.add_row(name, str(value))
    console.print(figures)
    if not report.findings:
        return
    table = Table(title=f"Findings (top {min(top, len(report.findings))} of {len(report.findings)} reported)")
    for column in ("#", "severity", "kind", "units", "explanation"):
        table.add_column(column, overflow="fold")
    for rank, f in enumerate(report.findings[:top], start=1):
        units = ", ".join(f.units[:3]) + (" ..." if len(f.units) > 3 else "")
        style = SEVERITY_STYLE[f.severity]
        table.add_row(str(rank), f"[{style}]{f.severity}[/]", f.kind, units, f.explanation)
    console.print(table)


@app.command("diagnose")
def diagnose_command(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="A stored dataset, or a stored plan (applied to its baseline).")
    ],
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Thresholds as TOML (see docs/diagnosis.md).")
    ] = None,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Also write the report to this .xlsx file.")
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, help=f"Findings to show (default: {SHOWN} in the table, all in JSON)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Find duplicated and unclear responsibilities, overlaps, extra layers, undersized and overstaffed
    units, ranked by severity."""
    config = DiagnosisConfig.from_toml(config_file) if config_file else DiagnosisConfig()
    with open_store(ctx) as store, progress_bar(enabled=not json_out) as progress:
        apparatus = store.resolve(dataset, progress=progress)
        report = diagnose(apparatus, config, progress=progress)
    if xlsx is not None:
        write_report_xlsx(report, xlsx)
    if json_out:
        data = report.to_dict()
        if top is not None:
            data["findings"] = data["findings"][:top]  # type: ignore[index]
        emit_json(data)
        return
    _print(report, top or SHOWN)
    if xlsx is not None:
        console.print(f"Wrote {xlsx}")
