"""``reorg export-org PLAN``: an approved plan's resulting structure as W3C ORG (JSON-LD or Turtle).

Only a plan whose approval stands can be exported (the same rule as the public pages); the export holds
units, their levels, their tree and the tasks each leads, nothing personal (docs/report.md, "W3C ORG
export").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, emit_json, line, unit_of_work
from reorg.errors import ReorgError
from reorg.services import publish


@app.command("export-org")
def export_org_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="An approved stored plan.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"The format: {' or '.join(publish.ORG_FORMATS)}.")
    ] = "ttl",
    base: Annotated[
        str, typer.Option("--base", help="Base IRI of the units (default urn:reorg:PLAN:).")
    ] = "",
    names_lang: Annotated[
        str, typer.Option("--names-lang", help="Language tag of the unit and task names (default: none).")
    ] = "",
    json_out: JsonOpt = False,
) -> None:
    """Write an approved plan's structure as W3C ORG: organizations, their units and lead tasks."""
    with unit_of_work(ctx, readonly=True) as uow:
        text = publish.export_org(uow, name=plan, fmt=fmt, base=base, lang=names_lang)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReorgError(f"cannot write {out}: {exc.strerror}") from None
    if json_out:
        emit_json({"plan": plan, "format": fmt, "out": str(out), "bytes": len(text.encode())})
        return
    line(f"Wrote {out}")
