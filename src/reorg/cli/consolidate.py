"""``reorg propose merge DATASET --level L [...]``: merge and dissolve units of one level;
``reorg propose internal DATASET PLAN [...]``: the internal model after the mergers of stored plan PLAN;
``reorg propose abolish DATASET LEVEL [...]``: abolish a level.

The merge spec comes from ``--spec FILE.toml`` (see reorg.optimize.merge.spec) and/or options; an
option overrides the file (``internal`` reads the same spec for the departments). ``merge`` prints a
table of the operations (units, similarity, shared tasks, duplicated leads removed, headcount against
quota, what binds) and the totals; ``internal`` a table per merged unit (departments before, after the
merger and after the internal model, people against quota, leadership posts) and one of the department
operations; ``abolish`` the tasks the level led and where each went. ``--json`` prints the plan and the
full explanation; ``--save NAME`` stores the plan, ``--out FILE`` writes its JSON.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reorg.cli.app import (
    JsonOpt,
    console,
    emit_json,
    line,
    progress_bar,
    show,
    show_proposal,
    stored,
    unit_of_work,
)
from reorg.cli.propose import SHOWN, OutOpt, SaveOpt, SpecOpt, propose_app
from reorg.errors import InputError
from reorg.optimize import merge
from reorg.optimize.abolish import AbolishSpec
from reorg.services import abolish as abolish_service
from reorg.services import merge as merge_service

__all__ = ["abolish_command", "internal_command", "merge_command"]

#: the merge solver (merge and internal model)
MethodOpt = Annotated[str | None, typer.Option("--method", help='"auto", "exact" (CP-SAT) or "greedy".')]


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
    method: MethodOpt = None,
    spec_file: SpecOpt = None,
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Merge units of a level that do the same work; dissolve those whose tasks are held beside them."""
    spec = _merge_spec(
        spec_file,
        target=target,
        min_similarity=min_similarity,
        max_tasks=max_tasks,
        max_headcount=max_headcount,
        method=method,
    )
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = merge_service.propose_merge(
            uow, dataset=dataset, level=level, spec=spec, save=save, out=out, progress=bar
        )
    show_proposal(proposal, json_output, _print_merge)


def _merge_spec(spec_file: Path | None, **options: Any) -> merge.MergeSpec:
    """The spec file (or the defaults) with the options given (not None) on top."""
    spec = merge.MergeSpec.from_toml(spec_file) if spec_file else merge.MergeSpec()
    try:
        return dataclasses.replace(spec, **{k: v for k, v in options.items() if v is not None})
    except ValueError as exc:
        raise InputError("options", str(exc)) from None


def _print_merge(ex: merge.Explanation, dataset: str, *, totals: bool = True) -> None:
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
    if not totals:
        return
    t = ex.totals
    methods = sorted({f"{g.method} ({g.status})" for g in ex.groups})
    line(
        f"{int(t['units'])} units -> {int(t['units_after'])}: {int(t['merges'])} mergers, "
        f"{int(t['dissolutions'])} dissolutions; {int(t['pairs'])} pairs could merge; "
        f"similarity merged {t['objective']:.3f} (bound {t['bound']:.3f}); "
        f"{', '.join(methods) or 'nothing to solve'}; {ex.seconds:.2f} s"
    )


@propose_app.command("internal")
def internal_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset in the store.")],
    plan: Annotated[str, typer.Argument(help="A stored plan on DATASET that merges units.")],
    level: Annotated[str | None, typer.Option("--level", help="Only the merged units of this level.")] = None,
    target: Annotated[
        int | None, typer.Option("--target", help="Departments per merged unit after merging.")
    ] = None,
    min_similarity: Annotated[
        float | None, typer.Option("--min-similarity", help="Least similarity of two departments merged.")
    ] = None,
    max_tasks: Annotated[
        int | None, typer.Option("--max-tasks", help="Most tasks of a merged department.")
    ] = None,
    max_headcount: Annotated[
        float | None, typer.Option("--max-headcount", help="Most people of a merged department.")
    ] = None,
    method: MethodOpt = None,
    spec_file: SpecOpt = None,
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """The internal model after a merger: each merged unit's departments consolidated where their
    tasks overlap, its people against its quota, its leadership posts before and after."""
    spec = _merge_spec(
        spec_file,
        target=target,
        min_similarity=min_similarity,
        max_tasks=max_tasks,
        max_headcount=max_headcount,
        method=method,
    )
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = merge_service.propose_internal_model(
            uow, dataset=dataset, plan=plan, spec=spec, level=level, save=save, out=out, progress=bar
        )
    show_proposal(proposal, json_output, _print_internal)


def _print_internal(ex: merge.InternalExplanation, dataset: str) -> None:
    t = ex.totals
    if not ex.units:
        levels = ", ".join(f"{level} {n}" for level, n in ex.merged_by_level.items())
        line(f"{int(t['merged_units'])} merged units ({levels}) in {ex.merger}; none has departments")
        return
    table = Table(title=show(f"{dataset}: the internal model after {ex.merger}"))
    columns = ("merged unit", "from", "departments", "people / quota", "leader posts", "ops")
    for column in columns:
        left = column in ("merged unit", "from")
        table.add_column(column, justify="left" if left else "right", no_wrap=not left)
    for u in ex.units[:SHOWN]:
        quota = "-" if u.quota_after is None else f"{u.quota_after:g}" + (" (over)" if u.over_quota else "")
        table.add_row(
            show(u.unit),
            show(", ".join(u.predecessors)),
            f"{u.departments_before} -> {u.departments_merged} -> {u.departments_after}",
            f"{u.headcount_after} / {quota}",
            f"{u.leaders_before} -> {u.leaders_merged} -> {u.leaders_after}",
            str(len(u.operations)),
        )
    console.print(table)
    if len(ex.units) > SHOWN:
        line(f"... and {len(ex.units) - SHOWN} more merged units")
    reports = [r for u in ex.units for r in u.operations]
    if reports:
        _print_merge(
            merge.Explanation(", ".join(ex.levels), tuple(reports), ex.groups, {}, ex.seconds),
            dataset,
            totals=False,
        )
    line(
        f"{int(t['merged_units'])} merged units, {int(t['with_departments'])} with departments: "
        f"{int(t['departments_before'])} departments before -> {int(t['departments_merged'])} after the "
        f"merger -> {int(t['departments_after'])} ({int(t['mergers'])} mergers, {int(t['dissolutions'])} "
        f"dissolutions from operation {ex.first + 1}); leadership posts {int(t['leaders_before'])} -> "
        f"{int(t['leaders_merged'])} -> {int(t['leaders_after'])}; {ex.seconds:.2f} s"
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
