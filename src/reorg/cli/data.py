"""Commands on datasets: ``import``, ``datasets`` (list, ``delete``), ``show``, ``export``.

Each parses its arguments, calls one service (``reorg.services.datasets``) and renders the result as
tables or, with ``--json``, JSON on stdout; long steps show a progress bar on stderr.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import (
    JsonOpt,
    app,
    console,
    emit_json,
    line,
    progress_bar,
    synthetic_line,
    table,
    unit_of_work,
)
from reorg.services import DatasetRecord
from reorg.services import datasets as service

__all__ = ["datasets_app"]

VersionOpt = Annotated[
    int | None, typer.Option("--version", min=1, max=2**31 - 1, help="A dataset version (default: newest).")
]


def _parts(record: DatasetRecord) -> str:
    """The synthetic parts of a dataset, "all" when every table is."""
    synthetic, counts = record.info.synthetic, record.counts
    if not synthetic:
        return "-"
    return "all" if set(counts) - {"lineage"} <= set(synthetic) else ", ".join(synthetic)


def _rows(counts: Mapping[str, int]) -> list[list[object]]:
    return [[k, v] for k, v in counts.items()]


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
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_out) as progress:
        record = service.import_bundle(uow, path=path, name=name, progress=progress)
    if json_out:
        emit_json(record.to_dict())
        return
    line("Imported ", (record.name, "bold"), f" version {record.version}")
    console.print(table("Rows", ["table", "rows"], _rows(record.counts), right=["rows"]))
    synthetic_line(record.info.synthetic)


datasets_app = typer.Typer(
    help="The stored datasets: list them (the default), or delete one.", invoke_without_command=True
)
app.add_typer(datasets_app, name="datasets")


@datasets_app.callback()
def datasets(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List the stored datasets, every version, newest first within a name."""
    if ctx.invoked_subcommand is not None:
        return
    with unit_of_work(ctx, readonly=True) as uow:
        records = service.list_datasets(uow)
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
            _parts(r),
        ]
        for r in records
    ]
    columns = ["name", "version", "imported", "units", "duties", "people", "synthetic"]
    console.print(table("Datasets", columns, rows, right=["version", "units", "duties", "people"]))


@datasets_app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The dataset to delete (every version unless --version).")],
    version: VersionOpt = None,
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also delete the stored plans saved against what goes.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Delete a dataset, refused while a stored plan depends on it unless --cascade; one transaction,
    written to the audit log."""
    with unit_of_work(ctx) as uow:
        deleted = service.delete_dataset(uow, name=name, version=version, cascade=cascade)
    if json_out:
        emit_json(deleted.to_dict())
        return
    versions = ", ".join(str(d.version) for d in deleted.datasets)
    line("Deleted dataset ", (name, "bold"), f" (version {versions})")
    for plan in deleted.plans:
        line(f"deleted plan {plan.name} version {plan.version} (saved against it)")


def _print_dataset(summary: service.DatasetSummary) -> None:
    source = summary.source
    line((source.name, "bold"), f" version {source.version}, created {source.created_at.isoformat()}")
    for key, value in (
        ("title", source.info.name),
        ("description", source.info.description),
        ("source", source.info.source),
    ):
        if value:
            line(f"{key}: ", value)
    if source.plan is not None:
        line(f"plan on {source.plan.baseline} version {source.plan.baseline_version}")
    synthetic_line(source.info.synthetic)
    console.print(table("Rows", ["table", "rows"], _rows(source.counts), right=["rows"]))
    rows = [[x.level, x.rank, x.territorial, x.attached, x.units] for x in summary.levels]
    headers = ["level", "rank", "territorial", "attached", "units"]
    console.print(table("Units per level", headers, rows, right=["rank", "units"]))


def _print_unit(unit: service.UnitDetail) -> None:
    fields = unit.unit
    line((fields["id"], "bold"), f" {fields['name']} ({fields['level']})")
    synthetic_line(unit.synthetic)
    console.print(table("Attributes", ["field", "value"], [[k, v] for k, v in fields.items()]))
    chain = [[p["id"], p["name"], p["level"]] for p in unit.parents]
    console.print(table("Parents (nearest first)", ["id", "name", "level"], chain))
    console.print(
        table("Children", ["level", "units"], [[k, v] for k, v in unit.children.items()], right=["units"])
    )
    duties = [[d["task"], d["name"], d["role"], d["scope"]] for d in unit.duties]
    console.print(table("Duties", ["task", "name", "role", "scope"], duties))
    quota = "-" if unit.quota is None else f"{unit.quota:g}"
    line(
        f"headcount {unit.headcount:,} / quota {quota}",
        *([(" over quota", "bold red")] if unit.over_quota else []),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="A dataset (or a stored plan: its baseline with the plan applied).")
    ],
    unit: Annotated[str | None, typer.Argument(help="A unit id: show that unit instead.")] = None,
    version: VersionOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show a dataset (rows per table, units per level, where it comes from) or one unit of it."""
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        if unit is not None:
            detail = service.show_unit(uow, name=dataset, unit=unit, version=version, progress=progress)
        else:
            summary = service.show_dataset(uow, name=dataset, version=version, progress=progress)
    if json_out:
        emit_json(detail.to_dict() if unit is not None else summary.to_dict())
    elif unit is not None:
        _print_unit(detail)
    else:
        _print_dataset(summary)


@app.command("export")
def export(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="A dataset (or a stored plan: its resulting apparatus).")],
    target: Annotated[Path, typer.Argument(help="A folder (CSV bundle) or a FILE.xlsx workbook.")],
    version: VersionOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write a dataset out as a bundle that `reorg import` reads back."""
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        exported = service.export_dataset(
            uow, name=dataset, target=target, version=version, progress=progress
        )
    if json_out:
        emit_json(exported.to_dict())
        return
    line("Wrote ", (exported.dataset, "bold"), f" version {exported.version} to {exported.path}")
