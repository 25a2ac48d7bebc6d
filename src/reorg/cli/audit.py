"""``reorg audit``: who changed what and when, filtered by dataset (with its plans), actor and date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, table, unit_of_work
from reorg.services import audit as service

#: how dates and times are given on the command line (UTC)
FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]


#: characters of an entry's detail shown in the table (--json gives it whole)
DETAIL_SHOWN = 80


def _detail(detail: Mapping[str, Any]) -> str:
    """``version=2, baseline=tiny@1, counts=…``: the top-level facts, nested ones elided."""
    parts = [f"{k}={v}" if not isinstance(v, Mapping | list) else f"{k}=…" for k, v in detail.items()]
    text = ", ".join(parts)
    return text if len(text) <= DETAIL_SHOWN else text[: DETAIL_SHOWN - 1] + "…"


@app.command("audit")
def audit_command(
    ctx: typer.Context,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Only entries about this dataset and its plans.")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only entries by this actor.")] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=FORMATS, help="From this date or time (UTC)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option("--until", formats=FORMATS, help="Before this date or time (UTC)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="The newest N entries (1 to 10,000).")] = 100,
    json_out: JsonOpt = False,
) -> None:
    """Show the audit log, newest first: every write with its actor, time, target and detail."""
    with unit_of_work(ctx, readonly=True) as uow:
        entries = service.list_audit(uow, dataset=dataset, actor=actor, since=since, until=until, limit=limit)
    if json_out:
        emit_json([e.to_dict() for e in entries])
        return
    if not entries:
        console.print("No audit entries match.")
        return
    rows = [
        [
            e.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            e.actor,
            e.action,
            e.target,
            _detail(e.detail),
        ]
        for e in entries
    ]
    console.print(table("Audit log (newest first)", ["when", "actor", "action", "target", "detail"], rows))
