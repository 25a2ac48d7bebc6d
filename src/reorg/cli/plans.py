"""Commands on plans: ``validate``, ``apply``, ``diff``, ``plans`` (list, ``show``).

A plan is a JSON file (see docs/data-format.md) naming its baseline, a dataset in the store at ``--db``.
``validate`` tries every operation and prints each refusal (exit 2 if any); ``apply`` applies the plan,
stores it under a name and prints what changed; ``diff`` compares two stored things, each a dataset or a
plan (applied to its baseline); ``plans`` lists the stored plans and ``plans show`` one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, line, progress_bar, stored, table, unit_of_work
from reorg.io import read_plan
from reorg.plan import Diff
from reorg.services import plans as service

__all__ = ["plans_app"]

#: rows of a list shown in a table before "... and N more"
SHOWN = 20

PlanFile = Annotated[Path, typer.Argument(help="Plan JSON file.", dir_okay=False)]


@app.command("validate")
def validate_command(ctx: typer.Context, plan_file: PlanFile, json_output: JsonOpt = False) -> None:
    """Check a plan against its baseline: OK, or every operation that would be refused (exit 2)."""
    plan = read_plan(plan_file)
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_output) as bar:
        result = service.validate_plan(uow, plan=plan, progress=bar)
    if json_output:
        emit_json(result.to_dict())
    elif result.ok:
        line(f"OK: {result.operations} operations apply to {result.baseline}")
    else:
        for error in result.errors:
            line(("refused", "red"), f" {error}")
        line(f"{len(result.errors)} of {result.operations} operations refused")
    if not json_output and result.remaining:
        shown = ", ".join(f"{name}: {n}" for name, n in result.remaining.items())
        line(f"still there after the plan (inherited or reported only): {shown}")
    if not result.ok:
        raise typer.Exit(2)


@app.command("apply")
def apply_command(
    ctx: typer.Context,
    plan_file: PlanFile,
    name: Annotated[str | None, typer.Option("--name", help="Store the plan under this name.")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Store the plan (default) or not.")] = True,
    json_output: JsonOpt = False,
) -> None:
    """Apply a plan to its baseline, store it, and print what changed."""
    plan = read_plan(plan_file)
    plan_name = name or plan.name or plan_file.stem
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        applied = service.apply_plan(uow, plan=plan, name=plan_name, save=save, progress=bar)
    if json_output:
        emit_json(applied.to_dict())
        return
    _print_diff(applied.changes, f"{plan.baseline} → {plan_name}", details=False)
    stored(applied.saved)


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A dataset or stored plan name (before).")],
    b: Annotated[str, typer.Argument(help="A dataset or stored plan name (after).")],
    json_output: JsonOpt = False,
) -> None:
    """What changed from A to B: units per level, units added and removed, leads and people moved."""
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_output) as bar:
        compared = service.compare(uow, before=a, after=b, progress=bar)
    if json_output:
        emit_json(compared.to_dict())
        return
    _print_diff(compared.changes, f"{a} → {b}", details=True)


CHANGE = ["before", "after", "change"]


def _print_diff(changes: Diff, title: str, *, details: bool) -> None:
    levels = [[k, x, y, f"{y - x:+,}"] for k, (x, y) in changes.levels.items()]
    console.print(table(f"Units per level, {title}", ["level", *CHANGE], levels, right=CHANGE))
    kinds = [
        [level, kind, x, y, f"{y - x:+,}"]
        for level, per in changes.kinds.items()
        for kind, (x, y) in per.items()
        if x != y
    ]
    if kinds:
        columns = ["level", "kind", *CHANGE]
        console.print(table("Units per level and kind (where it changed)", columns, kinds, right=CHANGE))
    placed = [
        [level, above, x, y, f"{y - x:+,}"]
        for level, per in changes.parents.items()
        # the levels that remain and whose units now sit under another level
        if changes.levels.get(level, (0, 0))[1] > 0 and any((x == 0) != (y == 0) for x, y in per.values())
        for above, (x, y) in per.items()
    ]
    if placed:
        columns = ["level", "under level", *CHANGE]
        console.print(
            table(
                "Units per level and the level above them (where it changed)", columns, placed, right=CHANGE
            )
        )
    counts = [[k.replace("_", " "), v] for k, v in changes.counts().items() if isinstance(v, int)]
    counts.append(["headcount", f"{changes.headcount[0]:,} → {changes.headcount[1]:,}"])
    console.print(table("Changes", ["what", "how many"], counts, right=["how many"]))
    events = [[event, op, n] for event, per in changes.people_events.items() for op, n in per.items()]
    if events:
        columns = ["event", "operation", "people"]
        console.print(table("People by event and operation", columns, events, right=["people"]))
    if not details:
        return
    moved_leads = changes.leads_moved
    leads = [[c.task, ", ".join(c.before) or "-", ", ".join(c.after) or "-"] for c in moved_leads[:SHOWN]]
    if leads:
        console.print(
            table("Tasks whose lead moved", ["task", "before", "after"], leads, total=len(moved_leads))
        )
    moved = [[m.person, m.before, m.after] for m in changes.people_moved[:SHOWN]]
    if moved:
        console.print(table("People moved", ["person", "from", "to"], moved, total=len(changes.people_moved)))
    units = [
        ["added", ", ".join(changes.units_added[:SHOWN]) or "-"],
        ["removed", ", ".join(changes.units_removed[:SHOWN]) or "-"],
    ]
    console.print(table("Units", ["", "ids"], units))


plans_app = typer.Typer(
    help="The stored plans: list them (the default), or show one.", invoke_without_command=True
)
app.add_typer(plans_app, name="plans")


@plans_app.callback()
def plans(
    ctx: typer.Context,
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Only the plans saved against this dataset.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """List the stored plans, every version, newest first within a name."""
    if ctx.invoked_subcommand is not None:
        return
    with unit_of_work(ctx, readonly=True) as uow:
        records = service.list_plans(uow, baseline=baseline)
    if json_out:
        emit_json([r.to_dict() for r in records])
        return
    if not records:
        console.print(
            "No plans yet: store one with `reorg apply PLAN.json` or `reorg propose ... --save NAME`."
        )
        return
    rows = [
        [
            r.name,
            r.version,
            r.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            f"{r.baseline}@{r.baseline_version}",
            r.operations,
        ]
        for r in records
    ]
    columns = ["name", "version", "saved", "baseline", "operations"]
    console.print(table("Plans", columns, rows, right=["version", "operations"]))


@plans_app.command("show")
def show_plan(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A stored plan.")],
    version: Annotated[
        int | None, typer.Option("--version", min=1, max=2**31 - 1, help="A plan version (default: newest).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Show a stored plan: its baseline, versions, description and operations by kind."""
    with unit_of_work(ctx, readonly=True) as uow:
        detail = service.show_plan(uow, name=name, version=version)
    if json_out:
        emit_json(detail.to_dict())
        return
    record = detail.record
    line(
        (record.name, "bold"),
        f" version {record.version} of {', '.join(map(str, detail.versions))}, saved ",
        record.created_at.isoformat(),
    )
    line(f"against {record.baseline} version {record.baseline_version}")
    if detail.plan.description:
        line("description: ", detail.plan.description)
    if detail.plan.require:
        line(f"requires: {', '.join(detail.plan.require)}")
    rows = [[k, n] for k, n in sorted(detail.operations_by_kind.items())]
    console.print(table(f"{record.operations:,} operations", ["operation", "count"], rows, right=["count"]))
