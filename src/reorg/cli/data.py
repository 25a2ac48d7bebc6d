"""Commands on datasets: ``import``, ``datasets``, ``show``, ``export``.

Each opens the store at ``--db`` (default $REORG_DB, else sqlite:///reorg.db), prints Rich tables or,
with ``--json``, JSON on stdout; long steps show a progress bar on stderr. Bad input raises a ReorgError,
which the app turns into one line and exit status 2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, emit_json, open_store, progress_bar
from reorg.errors import NotFoundError
from reorg.model import ROLES, Apparatus
from reorg.progress import Progress
from reorg.store import Store, check_name

__all__ = ["dataset_summary", "unit_summary"]

#: how many unit ids a "no such unit" error suggests
SUGGESTED = 5


def _number(value: float) -> float | None:
    """A number for JSON and tables: None where absent (NaN)."""
    return None if math.isnan(value) else float(value)


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"
    return str(value)


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_shown(v) for v in row))
    return table


def _parts(synthetic: tuple[str, ...], counts: Mapping[str, int]) -> str:
    """The synthetic parts of a dataset, "all" when every table is."""
    if not synthetic:
        return "-"
    return "all" if set(counts) - {"lineage"} <= set(synthetic) else ", ".join(synthetic)


def _synthetic_label(parts: tuple[str, ...] | list[str]) -> str:
    return f"[bold yellow]SYNTHETIC[/]: {', '.join(parts)} generated, not observed" if parts else ""


# -- import ---------------------------------------------------------------------------------------


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A bundle: a folder of CSV files or an .xlsx workbook.")],
    name: Annotated[
        str | None, typer.Option("--name", help="Dataset name (default: the folder or file name).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Read a bundle and store it as a new version of a dataset, in one transaction."""
    from reorg import io

    dataset = check_name(name if name is not None else path.stem, "dataset name (choose one with --name)")
    with open_store(ctx) as store, progress_bar(enabled=not json_out) as progress:
        bundle = io.load(path, progress=progress)
        record = store.import_apparatus(bundle, name=dataset, progress=progress)
    if json_out:
        emit_json(record.to_dict())
        return
    console.print(f"Imported [bold]{record.name}[/] version {record.version}")
    console.print(_table("Rows", ["table", "rows"], [[k, v] for k, v in record.counts.items()]))
    if record.info.synthetic:
        console.print(_synthetic_label(record.info.synthetic))


# -- datasets -------------------------------------------------------------------------------------


@app.command("datasets")
def datasets(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List the stored datasets, every version, newest first within a name."""
    with open_store(ctx) as store:
        records = store.list_datasets()
    if json_out:
        emit_json([r.to_dict() for r in records])
        return
    if not records:
        console.print("No datasets yet: add one with `reorg import PATH`.")
        return
    rows = [
        [
            r.name,
            r.version,
            r.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            r.counts.get("units", 0),
            r.counts.get("duties", 0),
            r.counts.get("people", 0),
            _parts(r.info.synthetic, r.counts),
        ]
        for r in records
    ]
    columns = ["name", "version", "imported", "units", "duties", "people", "synthetic"]
    console.print(_table("Datasets", columns, rows))


# -- show -----------------------------------------------------------------------------------------


def dataset_summary(header: dict[str, Any], bundle: Apparatus) -> dict[str, Any]:
    """What ``reorg show DATASET`` prints: ``header`` (the dataset's or plan's record as JSON) and the
    units per level, top level first."""
    level_of = {str(n): i for i, n in enumerate(bundle.levels.name.tolist())}
    per_level = [
        {
            "level": level,
            "rank": int(bundle.levels.rank[level_of[level]]),
            "territorial": bool(bundle.levels.territorial[level_of[level]]),
            "units": count,
        }
        for level, count in bundle.units_per_level().items()
    ]
    return {**header, "units_per_level": per_level}


def _similar(ids: list[str], wanted: str) -> list[str]:
    """A few ids sharing the longest possible prefix with ``wanted`` (ignoring case)."""
    lowered = [u.lower() for u in ids]
    for k in range(len(wanted), 0, -1):
        prefix = wanted[:k].lower()
        near = [ids[i] for i, u in enumerate(lowered) if u.startswith(prefix)][:SUGGESTED]
        if near:
            return near
    return ids[:SUGGESTED]


def unit_summary(bundle: Apparatus, unit_id: str) -> dict[str, Any]:
    """What ``reorg show DATASET UNIT`` prints: the unit's fields and attributes, its parent chain up
    to the root, its children per level, its duties, and its headcount against its quota."""
    units = bundle.units
    row = units.index.get(unit_id)
    if row is None:
        raise NotFoundError(f"no unit {unit_id!r} (e.g. {', '.join(_similar(units.id.tolist(), unit_id))})")
    level_names = bundle.levels.name
    chain: list[dict[str, str]] = []
    up = int(units.parent[row])
    while up >= 0 and len(chain) <= len(units):
        chain.append({"id": units.id[up], "name": units.name[up], "level": level_names[units.level[up]]})
        up = int(units.parent[up])
    kids = units.children_of(row)
    levels, counts = np.unique(units.level[kids], return_counts=True)
    children = {str(level_names[lv]): int(n) for lv, n in zip(levels, counts, strict=True)}
    mine = np.flatnonzero(bundle.duties.unit == row)
    tasks, scope = bundle.tasks, bundle.duty_scope
    duties = [
        {
            "task": tasks.id[bundle.duties.task[d]],
            "name": tasks.name[bundle.duties.task[d]],
            "role": ROLES[bundle.duties.role[d]],
            "scope": units.id[scope[d]] if scope[d] >= 0 else "",
        }
        for d in mine.tolist()
    ]
    fields = {
        "id": units.id[row],
        "name": units.name[row],
        "level": str(level_names[units.level[row]]),
        "kind": units.kind[row],
        **{k: _number(getattr(units, k)[row]) for k in ("area_km2", "population", "lat", "lon")},
        **{k: _number(v[row]) for k, v in sorted(units.attributes.items())},
    }
    return {
        "unit": fields,
        "parents": chain,
        "children": children,
        "duties": duties,
        "headcount": int(bundle.headcount[row]),
        "quota": _number(units.quota[row]),
    }


def _resolve(
    store: Store, name: str, version: int | None, progress: Progress
) -> tuple[dict[str, Any], Apparatus]:
    """The summary and apparatus of a dataset, or of a stored plan (its baseline with the plan applied)."""
    try:
        record = store.get_dataset(name, version=version)
    except NotFoundError:
        if version is not None or name not in {p.name for p in store.list_plans()}:
            raise
        result = store.resolve(name, progress=progress)
        info = result.info
        header = {
            **store.get_plan(name).to_dict(),
            "counts": {**result.counts(), "lineage": len(result.lineage)},
            "title": info.name,
            "description": info.description,
            "source": info.source,
            "synthetic": list(info.synthetic),
        }
        return dataset_summary(header, result), result
    bundle = store.load(name, version=record.version, progress=progress)
    return dataset_summary(record.to_dict(), bundle), bundle


def _print_dataset(summary: dict[str, Any]) -> None:
    console.print(f"[bold]{summary['name']}[/] version {summary['version']}, created {summary['created_at']}")
    for key in ("title", "description", "source"):
        if summary.get(key):
            console.print(f"{key}: {summary[key]}")
    if "baseline" in summary:
        console.print(f"plan on {summary['baseline']} version {summary['baseline_version']}")
    if summary["synthetic"]:
        console.print(_synthetic_label(summary["synthetic"]))
    console.print(_table("Rows", ["table", "rows"], [[k, v] for k, v in summary["counts"].items()]))
    rows = [
        [x["level"], x["rank"], "yes" if x["territorial"] else "no", x["units"]]
        for x in summary["units_per_level"]
    ]
    console.print(_table("Units per level", ["level", "rank", "territorial", "units"], rows))


def _print_unit(summary: dict[str, Any], synthetic: list[str]) -> None:
    unit = summary["unit"]
    console.print(f"[bold]{unit['id']}[/] {unit['name']} ({unit['level']})")
    if synthetic:
        console.print(_synthetic_label(synthetic))
    console.print(_table("Attributes", ["field", "value"], [[k, v] for k, v in unit.items()]))
    chain = [[p["id"], p["name"], p["level"]] for p in summary["parents"]]
    console.print(_table("Parents (nearest first)", ["id", "name", "level"], chain))
    console.print(_table("Children", ["level", "units"], [[k, v] for k, v in summary["children"].items()]))
    duties = [[d["task"], d["name"], d["role"], d["scope"]] for d in summary["duties"]]
    console.print(_table("Duties", ["task", "name", "role", "scope"], duties))
    quota = summary["quota"]
    over = "" if quota is None or summary["headcount"] <= quota else " [bold red]over quota[/]"
    console.print(f"headcount {summary['headcount']} / quota {_shown(quota)}{over}")


@app.command("show")
def show(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="A dataset (or a stored plan: its baseline with the plan applied).")
    ],
    unit: Annotated[str | None, typer.Argument(help="A unit id: show that unit instead.")] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="A dataset version (default: newest).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Show a dataset (rows per table, units per level, where it comes from) or one unit of it."""
    with open_store(ctx) as store, progress_bar(enabled=not json_out) as progress:
        summary, bundle = _resolve(store, dataset, version, progress)
    if unit is not None:
        found = unit_summary(bundle, unit)
        if json_out:
            emit_json({"dataset": summary["name"], "version": summary["version"], **found})
        else:
            _print_unit(found, summary["synthetic"])
        return
    if json_out:
        emit_json(summary)
    else:
        _print_dataset(summary)


# -- export ---------------------------------------------------------------------------------------


@app.command("export")
def export(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset (or a stored plan: its resulting apparatus).")],
    target: Annotated[Path, typer.Argument(help="A folder (CSV bundle) or a FILE.xlsx workbook.")],
    version: Annotated[
        int | None, typer.Option("--version", help="A dataset version (default: newest).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write a dataset out as a bundle that `reorg import` reads back."""
    from reorg import io

    with open_store(ctx) as store, progress_bar(enabled=not json_out) as progress:
        summary, bundle = _resolve(store, dataset, version, progress)
        io.write(bundle, target)
    if json_out:
        emit_json(
            {
                "dataset": summary["name"],
                "version": summary["version"],
                "path": str(target),
                "counts": bundle.counts(),
            }
        )
        return
    console.print(f"Wrote [bold]{summary['name']}[/] version {summary['version']} to {target}")
