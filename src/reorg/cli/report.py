"""``reorg report DATASET PLAN``: the summary report of a reform as an HTML page and an XLSX workbook.

The plan (a stored plan made on the stored dataset DATASET) is compared with the plans of ``--compare``
and written in ``--lang`` (en, vi or uk) into the folder ``--out`` as ``report.html`` and
``report.xlsx`` (see docs/report.md). Whoever runs the command owns the store, and reads it as an
administrator does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, emit_json, line, progress_bar, synthetic_line, unit_of_work
from reorg.errors import InputError
from reorg.i18n import LANGUAGES
from reorg.services import access
from reorg.services import report as service

#: who the command line reads the store as: its owner
OPERATOR = access.Principal(login="cli", role="admin")


@app.command("report")
def report_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The stored dataset the plan was made on.")],
    plan: Annotated[str, typer.Argument(help="A stored plan made on DATASET.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write report.html and report.xlsx into.")],
    compare: Annotated[
        list[str] | None, typer.Option("--compare", help="A stored plan to compare with (repeatable).")
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help=f"Language of the report: {', '.join(LANGUAGES)}.")
    ] = "en",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The day the surplus leaves, YYYY-MM-DD, for its benefits (default: today)."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the summary report of a plan: the apparatus and its findings before and after, the plan,
    people and their costs, the compared plans, the territorial map, the roadmap and its continuity,
    the consultation rounds and the monitoring status."""
    try:
        leaving = dt.date.fromisoformat(as_of) if as_of is not None else None
    except ValueError:
        raise InputError("--as-of", "a date as YYYY-MM-DD", value=as_of) from None
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        written = service.write_reform_report(
            uow,
            dataset=dataset,
            plan=plan,
            compare=compare or [],
            lang=lang,
            out=out,
            viewer=OPERATOR,
            as_of=leaving,
            progress=progress,
        )
    if json_out:
        emit_json(written.to_dict())
        return
    data = written.data
    before, after = data.units_total
    line(f"Report of {data.plan} on {data.dataset} ({written.lang}): units {before:,} -> {after:,}")
    synthetic_line(data.synthetic)
    line(f"Wrote {written.html}")
    line(f"Wrote {written.xlsx}")
