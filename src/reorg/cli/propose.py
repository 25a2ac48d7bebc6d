"""``reorg propose territory DATASET --level commune [...]``: contiguous consolidation of one level;
``reorg propose leads DATASET [...]``: one lead per task in each place.

Bounds and weights come from ``--spec FILE.toml`` (see reorg.optimize.territory.spec and
reorg.optimize.duties.spec) and/or options; an option overrides the file. ``territory`` prints a table
per nesting group (regions, target, upper bound, status), the constraints that bound the regions and
the objective; ``leads`` a table of the cells fixed per task, what bound them and the cost. ``--json``
prints the plan and the full explanation; ``--save NAME`` stores the plan, ``--out FILE`` writes its
JSON.
"""

from __future__ import annotations

import collections
import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, line, progress_bar, show, show_proposal, unit_of_work
from reorg.errors import InputError
from reorg.optimize import duties
from reorg.optimize.territory import Explanation, TerritorySpec
from reorg.services import leads as leads_service
from reorg.services import territory as service

__all__ = ["propose_app"]

#: groups shown in the table before "... and N more"
SHOWN = 20

propose_app = typer.Typer(help="Propose a leaner structure.", no_args_is_help=True)
app.add_typer(propose_app, name="propose")

Pairs = list[str] | None
SpecOpt = Annotated[
    Path | None, typer.Option("--spec", help="TOML spec.", exists=True, dir_okay=False, readable=True)
]
SaveOpt = Annotated[str | None, typer.Option("--save", help="Store the plan under this name.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write the plan JSON to this file.")]


def _pairs(values: list[str] | None, option: str, default: float | None = None) -> dict[str, float]:
    """KEY=NUMBER items as a dict; a bare KEY takes ``default`` when there is one."""
    out: dict[str, float] = {}
    for item in values or []:
        key, sep, number = item.partition("=")
        if not key.strip() or (not sep and default is None):
            raise InputError(option, "KEY=NUMBER", value=item)
        try:
            out[key.strip()] = float(number) if sep else float(default or 0.0)
        except ValueError:
            raise InputError(option, "KEY=NUMBER", value=item) from None
    return out


def _spec(
    spec_file: Path | None,
    *,
    target: int | None,
    minimums: dict[str, float],
    maximums: dict[str, float],
    nest_by: str | None,
    weights: dict[str, Any],
    seed: int | None,
    method: str | None,
    time_limit: float | None,
) -> TerritorySpec:
    """The spec file (or defaults) with the options given on the command line on top."""
    base = TerritorySpec.from_toml(spec_file) if spec_file else TerritorySpec()
    changes: dict[str, Any] = {}
    if target is not None:
        changes["target"] = target
    if minimums:
        changes["minimums"] = {**base.minimums, **minimums}
    if maximums:
        changes["maximums"] = {**base.maximums, **maximums}
    if nest_by is not None:
        changes["nest_by"] = "" if nest_by == "none" else nest_by
    if weights:
        changes["weights"] = dataclasses.replace(base.weights, **weights)
    if seed is not None:
        changes["seed"] = seed
    if method is not None:
        changes["method"] = method
    if time_limit is not None:
        changes["effort"] = dataclasses.replace(base.effort, time_limit_s=time_limit)
    try:
        return dataclasses.replace(base, **changes)
    except ValueError as exc:
        raise InputError("options", str(exc)) from None


@propose_app.command("territory")
def territory_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset in the store.")],
    level: Annotated[str, typer.Option("--level", help="The level whose units are grouped.")],
    target: Annotated[int | None, typer.Option("--target", help="Regions in all (default: max-p).")] = None,
    minimum: Annotated[
        Pairs, typer.Option("--min", help="Minimum per region, e.g. population=16000.")
    ] = None,
    maximum: Annotated[Pairs, typer.Option("--max", help="Maximum per region, e.g. area_km2=2000.")] = None,
    nest_by: Annotated[
        str | None, typer.Option("--nest-by", help='"parent" (default), a level name, or "none".')
    ] = None,
    nest_in: Annotated[
        str | None,
        typer.Option(
            "--nest-in",
            help="A stored plan: nest in the units of the --nest-by level as that plan merges them "
            "(e.g. --nest-in enacted-2025 --nest-by province).",
        ),
    ] = None,
    cohesion: Annotated[
        Pairs,
        typer.Option(
            "--cohesion",
            help='Former unit[=weight] whose members to keep together: "parent", a level name (e.g. '
            "district) or a grouping attribute.",
        ),
    ] = None,
    homogeneity: Annotated[
        Pairs, typer.Option("--homogeneity", help="Attribute[=weight] to keep alike.")
    ] = None,
    compactness: Annotated[float | None, typer.Option("--compactness", help="Compactness weight.")] = None,
    balance: Annotated[float | None, typer.Option("--balance", help="Balance weight.")] = None,
    balance_by: Annotated[str | None, typer.Option("--balance-by", help="Attribute to balance.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (same seed, same plan).")] = None,
    method: Annotated[str | None, typer.Option("--method", help='"heuristic" or "exact" (CP-SAT).')] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="Seconds per solve.")] = None,
    spec_file: SpecOpt = None,
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Group the units of a level into contiguous regions that meet the minimums."""
    weights: dict[str, Any] = {}
    if homogeneity:
        weights["homogeneity"] = _pairs(homogeneity, "--homogeneity", default=1.0)
    if cohesion:
        weights["cohesion"] = _pairs(cohesion, "--cohesion", default=1.0)
    for key, value in (("compactness", compactness), ("balance", balance), ("balance_by", balance_by)):
        if value is not None:
            weights[key] = value
    spec = _spec(
        spec_file,
        target=target,
        minimums=_pairs(minimum, "--min"),
        maximums=_pairs(maximum, "--max"),
        nest_by=nest_by,
        weights=weights,
        seed=seed,
        method=method,
        time_limit=time_limit,
    )
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = service.propose_territory(
            uow, dataset=dataset, level=level, spec=spec, nest_in=nest_in, save=save, out=out, progress=bar
        )
    show_proposal(proposal, json_output, _print_summary)


def _print_summary(ex: Explanation, dataset: str) -> None:
    table = Table(title=show(f"{dataset}: {ex.level} regions per group"))
    for column in ("group", "units", "regions", "target", "upper bound", "status"):
        table.add_column(column, justify="left" if column in ("group", "status") else "right")
    for g in ex.groups[:SHOWN]:
        target = "" if g.target is None else str(g.target)
        table.add_row(
            show(g.group or "(all)"), str(g.units), str(g.regions), target, str(g.upper_bound), g.status
        )
    console.print(table)
    if len(ex.groups) > SHOWN:
        line(f"... and {len(ex.groups) - SHOWN} more groups")
    problems = [g for g in ex.groups if g.status != "ok" or g.notes]
    for g in problems[:SHOWN]:
        notes = "; ".join([*g.notes, *(f"infeasible piece: {', '.join(p[:5])}" for p in g.infeasible)])
        line((g.group or "(all)", "yellow"), f": {g.status}" + (f" — {notes}" if notes else ""))
    binding = collections.Counter(r.binding for r in ex.regions)
    shown = ", ".join(f"{k}: {n}" for k, n in binding.most_common())
    line(f"binding constraints: {shown}")
    obj = ex.objective
    terms = ", ".join(
        f"{k} {obj[k]:.4f}" for k in ("compactness", "homogeneity", "balance", "cohesion") if k in obj
    )
    late = " (time limit hit)" if ex.timed_out else ""
    line(
        f"{int(obj['regions'])} regions, {int(obj['regions_below_minimum'])} below a minimum; "
        f"objective {obj['objective']:.4f} ({terms}); {ex.seconds:.2f} s{late}"
    )


@propose_app.command("leads")
def leads_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset in the store.")],
    max_per_unit: Annotated[
        int | None,
        typer.Option("--max-per-unit", help="Most lead duties a unit may hold (default: no limit)."),
    ] = None,
    spec_file: SpecOpt = None,
    save: SaveOpt = None,
    out: OutOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Choose one lead for every task and place led several times or not at all; the others support."""
    spec = duties.LeadsSpec.from_toml(spec_file) if spec_file else duties.LeadsSpec()
    if max_per_unit is not None:
        try:
            spec = dataclasses.replace(spec, max_per_unit=max_per_unit)
        except ValueError as exc:
            raise InputError("--max-per-unit", str(exc), value=str(max_per_unit)) from None
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        proposal = leads_service.propose_leads(
            uow, dataset=dataset, spec=spec, save=save, out=out, progress=bar
        )
    show_proposal(proposal, json_output, _print_leads)


def _print_leads(ex: duties.Explanation, dataset: str) -> None:
    per_task: dict[str, list[duties.CellReport]] = collections.defaultdict(list)
    for cell in ex.cells:
        per_task[cell.task].append(cell)
    table = Table(title=show(f"{dataset}: one lead per task and place"))
    for column in ("task", "duplicated", "unled", "leads chosen", "binds"):
        table.add_column(column, justify="right" if column in ("duplicated", "unled") else "left")
    for task, cells in list(per_task.items())[:SHOWN]:
        chosen = collections.Counter(c.lead for c in cells)
        binds = collections.Counter(c.binds.split(" of ")[0] for c in cells)
        table.add_row(
            show(task),
            str(sum(c.kind == "duplicate" for c in cells)),
            str(sum(c.kind == "gap" for c in cells)),
            show(", ".join(f"{u} ({n})" if n > 1 else u for u, n in chosen.most_common(3)))
            + (" ..." if len(chosen) > 3 else ""),
            ", ".join(f"{k}: {n}" for k, n in binds.most_common()),
        )
    console.print(table)
    if len(per_task) > SHOWN:
        line(f"... and {len(per_task) - SHOWN} more tasks")
    t = ex.totals
    cap = (
        "no capacity limit" if ex.max_per_unit is None else f"at most {ex.max_per_unit} lead duties per unit"
    )
    line(
        f"{int(t['cells'])} cells fixed ({int(t['duplicates'])} duplicated, {int(t['gaps'])} unled) in "
        f"{int(t['tasks'])} tasks by {int(t['operations'])} transfers; {cap}"
        + (f", binding in {ex.capacity_bound} cells" if ex.capacity_bound else "")
    )
    terms = ", ".join(f"{k} {t[k]:.3f}" for k in duties.TERMS)
    line(f"cost {t['cost']:.3f} ({terms}); {ex.seconds:.2f} s")
