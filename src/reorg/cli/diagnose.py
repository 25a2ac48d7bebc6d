"""``reorg diagnose DATASET``: what makes an apparatus cumbersome, as a Rich table, JSON or a workbook.

The dataset (or a stored plan, applied to its baseline) is read from the store at ``--db``; thresholds
come from ``--config FILE.toml`` (see docs/diagnosis.md). ``--xlsx FILE`` also writes a workbook with a
Summary sheet and a Findings sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from reorg.cli.app import JsonOpt, app, console, emit_json, line, progress_bar, show, table, unit_of_work
from reorg.diagnose import DiagnosisConfig, Report
from reorg.services import diagnosis as service

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
#: findings shown in the terminal table unless --top says otherwise
SHOWN = 30


def _print(report: Report, top: int) -> None:
    """The summary figures and the top findings as Rich tables."""
    s = report.summary
    rows = [
        ("units per level", ", ".join(f"{k} {v:,}" for k, v in s.units_per_level.items())),
        ("layers (depth norm)", f"{s.layers.layers} ({s.layers.depth_norm})"),
        ("duplication index", f"{s.responsibility.duplication_index:.4f}"),
        ("unclear-responsibility index", f"{s.responsibility.unclear_responsibility_index:.4f}"),
        ("headcount / quota", f"{s.quota.headcount:,} / {s.quota.quota:,.0f}"),
        (
            "below standard / judged, per kind",
            ", ".join(
                f"{k} {s.standards.below_by_kind.get(k, 0):,} / {n:,}"
                for k, n in s.standards.assessed_by_kind.items()
            )
            or "none",
        ),
        ("findings", ", ".join(f"{k} {v:,}" for k, v in s.findings.items() if v) or "none"),
    ]
    title = f"Diagnosis of {s.dataset or 'the apparatus'}"
    console.print(table(title, ["metric", "value"], [list(r) for r in rows], right=["value"]))
    if not report.findings:
        return
    found = Table(title=f"Findings (top {min(top, len(report.findings))} of {len(report.findings)} reported)")
    for column in ("#", "severity", "kind", "units", "explanation"):
        found.add_column(column, overflow="fold")
    for rank, f in enumerate(report.findings[:top], start=1):
        units = ", ".join(f.units[:3]) + (" ..." if len(f.units) > 3 else "")
        severity = Text(f.severity, style=SEVERITY_STYLE[f.severity])
        found.add_row(str(rank), severity, f.kind, show(units), show(f.explanation))
    console.print(found)


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
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        diagnosed = service.diagnose_dataset(uow, name=dataset, config=config, xlsx=xlsx, progress=progress)
    report = diagnosed.report
    if json_out:
        data = report.to_dict()
        if top is not None:
            data["findings"] = data["findings"][:top]  # type: ignore[index]
        emit_json(data)
        return
    _print(report, top or SHOWN)
    if xlsx is not None:
        line(f"Wrote {xlsx}")
