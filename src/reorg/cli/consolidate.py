"""``reorg propose merge DATASET --level L [...]``: merge and dissolve units of one level;
``reorg propose abolish DATASET LEVEL [...]``: abolish a level.

The merge spec comes from ``--spec FILE.toml`` (see reorg.optimize.merge.spec) and/or options; an
option overrides the file. ``merge`` prints a table of the operations (units, similarity, shared tasks,
duplicated leads removed, headcount against quota, what binds) and the totals; ``abolish`` the tasks the
level led and where each went. ``--json`` prints the plan and the full explanation; ``--save NAME``
stores the plan, ``--out FILE`` writes its JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, console, emit_json, line, progress_bar, show, stored, unit_of_work
from reorg.cli.propose import SHOWN, OutOpt, SaveOpt, SpecOpt, propose_app
from reorg.errors import InputError
from reorg.optimize import merge
from reorg.optimize.abolish import AbolishSpec
from reorg.services import abolish as abolish_service
from reorg.services import merge as merge_service

__all__ = ["abolish_command", "merge_command"]


@propose_app.command("merge")
def merge_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset in the store.")],
    level: Annotated[str, typer.Option("--level", help="The level whose units are merged.")],
    target: Annotated[int | None, typer.Option("--target", help="Units per place after merging.")] = None,
    min_similarity: Annotated[
        float | None, typer.Option("--min-similarity", help="Least similarity of two units merged.")
    ] = None,
    max_tasks: Annotated[int | None, typer.Option("--max-tasks", help="Most tasks of a merged unit.")] = None,
    max_headcount: Annotated[
        float | None, typer.Option("--max-headcount", help="Most people of a merged unit.")
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help='"auto", "exact" (CP-SAT) or "greedy".')
    ] = None,
    spec_file: SpecOpt = None,
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Merge units of a level that do the same work; dissolve those whose tasks are held beside them."""
    spec = merge.MergeSpec.from_toml(spec_file) if spec_file else merge.MergeSpec()
    changes: dict[str, Any] = {
        k: v
        for k, v in (
            ("target", target),
            ("min_similarity", min_similarity),
            ("max_tasks", max_tasks),
            ("max_headcount", max_headcount),
            ("method", method),
        )
        if v is not None
    }
    try:
        spec = dataclasses.replace(spec, **changes)
    except ValueError as exc:
        raise InputError("options", str(exc)) from None
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = merge_service.propose_merge(
            uow, dataset=dataset, level=level, spec=spec, save=save, out=out, progress=bar
        )
    if json_output:
        emit_json(proposal.to_dict())
        return
    _print_merge(proposal.explanation, dataset)
    stored(proposal.saved)


def _print_merge(ex: merge.Explanation, dataset: str) -> None:
    table = Table(title=show(f"{dataset}: {ex.level} mergers"))
    columns = ("operation", "units", "into", "similarity", "shared", "dup. leads", "people / quota", "binds")
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("operation", "units", "into", "binds") else "right"
        )
    for r in ex.operations[:SHOWN]:
        quota = "-" if r.quota is None else f"{r.quota:g}"
        table.add_row(
            r.kind,
            show(", ".join(r.units)),
            show(r.into),
            f"{r.similarity_min:.2f}",
            str(r.shared_tasks),
            str(r.duplicated_leads),
            f"{r.headcount} / {quota}",
            r.binds,
        )
    console.print(table)
    if len(ex.operations) > SHOWN:
        line(f"... and {len(ex.operations) - SHOWN} more operations")
    t = ex.totals
    methods = sorted({f"{g.method} ({g.status})" for g in ex.groups})
    line(
        f"{int(t['units'])} units -> {int(t['units_after'])}: {int(t['merges'])} mergers, "
        f"{int(t['dissolutions'])} dissolutions; {int(t['pairs'])} pairs could merge; "
        f"similarity merged {t['objective']:.3f} (bound {t['bound']:.3f}); "
        f"{', '.join(methods) or 'nothing to solve'}; {ex.seconds:.2f} s"
    )


@propose_app.command("abolish")
def abolish_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset in the store.")],
    level: Annotated[str, typer.Argument(help="The level to abolish, e.g. district.")],
    prefer: Annotated[
        str, typer.Option("--prefer", help='Where a task not led above goes: "down" (default) or "up".')
    ] = "down",
    people: Annotated[
        str, typer.Option("--people", help='Staff with no similar agency above: "up" or "release".')
    ] = "up",
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Abolish a level: its units go, their children move up, each task it led goes up or down."""
    try:
        spec = AbolishSpec(prefer=prefer, people=people)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError("options", str(exc)) from None
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = abolish_service.propose_abolish_level(
            uow, dataset=dataset, level=level, spec=spec, save=save, out=out, progress=bar
        )
    if json_output:
        emit_json(proposal.to_dict())
        return
    ex = proposal.explanation
    table = Table(title=show(f"{dataset}: abolishing {ex.level}, where each task goes"))
    for column in ("task", "direction", "reason", "places", "led above"):
        table.add_column(column, justify="right" if column in ("places", "led above") else "left")
    for task in ex.tasks[:SHOWN]:
        table.add_row(show(task.task), task.direction, task.reason, str(task.places), str(task.led_above))
    console.print(table)
    if len(ex.tasks) > SHOWN:
        line(f"... and {len(ex.tasks) - SHOWN} more tasks")
    t = ex.totals
    moved = sum(1 for a in ex.agencies if a.successor)
    line(
        f"{int(t['units_gone'])} units go, {int(t['units_created'])} created below; "
        f"{int(t['tasks_up'])} tasks up, {int(t['tasks_down'])} down; "
        f"staff of {moved} agencies ({int(t['people_moved'])} people) to the most similar agency above; "
        f"{ex.lead_transfers} lead transfers appended"
    )
    before = ", ".join(f"{k} {v}" for k, v in sorted(ex.violations_before.items())) or "none"
    after = ", ".join(f"{k} {v}" for k, v in sorted(ex.violations_after.items())) or "none"
    line(f"structural violations before: {before}; after: {after}; {ex.seconds:.2f} s")
    stored(proposal.saved)
