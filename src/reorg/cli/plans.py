"""Commands on plans: ``validate``, ``apply``, ``diff``.

A plan is a JSON file (see reorg.plan.operations) naming its baseline, a dataset in the store at
``--db``. ``validate`` tries every operation and prints each refusal (exit 2 if any); ``apply`` applies
the plan, stores it under a name and prints what changed; ``diff`` compares two stored things, each a
dataset or a plan (applied to its baseline). All take ``--json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, emit_json, open_store, progress_bar
from reorg.errors import InputError, PlanError
from reorg.model import Apparatus
from reorg.plan import Diff, Plan, apply, check, diff, validate
from reorg.plan.invariants import REPORTED, STRUCTURAL
from reorg.store import check_name

__all__ = ["read_plan"]

#: rows of a list shown in a table before "... and N more"
SHOWN = 20

PlanFile = Annotated[Path, typer.Argument(help="Plan JSON file.", exists=True, dir_okay=False, readable=True)]


def read_plan(path: Path) -> Plan:
    """The plan in a JSON file; a file that is not UTF-8 is an InputError, a malformed plan a PlanError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(str(path), "a UTF-8 JSON plan") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path), f"a JSON plan ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    return Plan.from_dict(data)


def _error_dict(error: PlanError) -> dict[str, Any]:
    return {
        "operation": error.operation,
        "op": error.op,
        "invariant": error.invariant,
        "message": str(error),
        "ids": list(error.ids),
    }


def _remaining(after: Apparatus) -> dict[str, int]:
    """Violations the result still has (inherited from the baseline, or reported only), per invariant."""
    counts: dict[str, int] = {}
    for v in check(after, [*STRUCTURAL, *REPORTED]):
        counts[v.invariant] = counts.get(v.invariant, 0) + 1
    return counts


@app.command("validate")
def validate_command(ctx: typer.Context, plan_file: PlanFile, json_output: JsonOpt = False) -> None:
    """Check a plan against its baseline: OK, or every operation that would be refused (exit 2)."""
    plan = read_plan(plan_file)
    with open_store(ctx) as store:
        baseline = store.load(plan.baseline)
    with progress_bar(enabled=not json_output) as bar:
        result = validate(baseline, plan, progress=bar)
    remaining = _remaining(result.after)
    if json_output:
        emit_json(
            {
                "ok": result.ok,
                "baseline": plan.baseline,
                "operations": len(plan.operations),
                "errors": [_error_dict(e) for e in result.errors],
                "remaining": remaining,
            }
        )
    elif result.ok:
        console.print(f"OK: {len(plan.operations)} operations apply to {plan.baseline}")
    else:
        for error in result.errors:
            console.print(f"[red]refused[/] {error}", highlight=False, soft_wrap=True)
        console.print(f"{len(result.errors)} of {len(plan.operations)} operations refused")
    if not json_output and remaining:
        shown = ", ".join(f"{name}: {n}" for name, n in remaining.items())
        console.print(f"still there after the plan (inherited or reported only): {shown}", highlight=False)
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
    plan_name = check_name(name or plan.name or plan_file.stem, "plan name")
    with open_store(ctx) as store:
        baseline = store.load(plan.baseline)
        with progress_bar(enabled=not json_output) as bar:
            after = apply(baseline, plan, progress=bar)
        record = store.save_plan(plan, name=plan_name) if save else None
    changes = diff(baseline, after)
    if json_output:
        emit_json(
            {"plan": plan_name, "saved": record.to_dict() if record else None, "summary": _summary(changes)}
        )
        return
    _print_diff(changes, f"{plan.baseline} → {plan_name}", details=False)
    if record is not None:
        console.print(f"stored plan {record.name} (version {record.version}) against {record.baseline}")


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A dataset or stored plan name (before).")],
    b: Annotated[str, typer.Argument(help="A dataset or stored plan name (after).")],
    json_output: JsonOpt = False,
) -> None:
    """What changed from A to B: units per level, units added and removed, leads and people moved."""
    with open_store(ctx) as store, progress_bar(enabled=not json_output) as bar:
        before, after = store.resolve(a, progress=bar), store.resolve(b, progress=bar)
    changes = diff(before, after)
    if json_output:
        emit_json(changes.to_dict())
        return
    _print_diff(changes, f"{a} → {b}", details=True)


def _summary(changes: Diff) -> dict[str, Any]:
    return {
        "levels": {k: {"before": x, "after": y} for k, (x, y) in changes.levels.items()},
        "kinds": {
            level: {k: {"before": x, "after": y} for k, (x, y) in per.items()}
            for level, per in changes.kinds.items()
        },
        "units_added": len(changes.units_added),
        "units_removed": len(changes.units_removed),
        "leads_moved": len(changes.leads_moved),
        "people_moved": len(changes.people_moved),
        "people_released": len(changes.people_released),
        "people_added": len(changes.people_added),
        "headcount": {"before": changes.headcount[0], "after": changes.headcount[1]},
    }


def _table(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], total: int | None = None
) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in ("before", "after", "change") else "left")
    for row in rows:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    if total is not None and total > len(rows):
        table.caption = f"… and {total - len(rows):,} more (--json lists them all)"
    return table


def _print_diff(changes: Diff, title: str, *, details: bool) -> None:
    levels = [[k, x, y, f"{y - x:+,}"] for k, (x, y) in changes.levels.items()]
    console.print(_table(f"Units per level, {title}", ["level", "before", "after", "change"], levels))
    kinds = [
        [level, kind, x, y, f"{y - x:+,}"]
        for level, per in changes.kinds.items()
        for kind, (x, y) in per.items()
        if x != y
    ]
    if kinds:
        console.print(
            _table(
                "Units per level and kind (where it changed)",
                ["level", "kind", "before", "after", "change"],
                kinds,
            )
        )
    summary = _summary(changes)
    counts = [[k.replace("_", " "), v] for k, v in summary.items() if isinstance(v, int)]
    counts.append(["headcount", f"{changes.headcount[0]:,} → {changes.headcount[1]:,}"])
    console.print(_table("Changes", ["what", "how many"], counts))
    if not details:
        return
    leads = [
        [c.task, ", ".join(c.before) or "-", ", ".join(c.after) or "-"] for c in changes.leads_moved[:SHOWN]
    ]
    if leads:
        console.print(
            _table("Tasks whose lead moved", ["task", "before", "after"], leads, len(changes.leads_moved))
        )
    moved = [[m.person, m.before, m.after] for m in changes.people_moved[:SHOWN]]
    if moved:
        console.print(_table("People moved", ["person", "from", "to"], moved, len(changes.people_moved)))
    units = [
        ["added", ", ".join(changes.units_added[:SHOWN]) or "-"],
        ["removed", ", ".join(changes.units_removed[:SHOWN]) or "-"],
    ]
    console.print(_table("Units", ["", "ids"], units))
