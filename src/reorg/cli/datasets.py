"""``reorg dataset build NAME``: build a built-in dataset, store it with its reference plan (one
transaction), and optionally write it out as a bundle. People and results in ``vietnam-2024`` are
synthetic; the command says so wherever it prints them."""

from __future__ import annotations

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
from reorg.datasets.registry import BUILT_IN
from reorg.services import builtin as service

__all__ = ["dataset_app"]

dataset_app = typer.Typer(help="Built-in datasets.", no_args_is_help=True)
app.add_typer(dataset_app, name="dataset")


def _render(built: service.Built) -> None:
    app_, counts = built.apparatus, built.apparatus.counts()
    line("Built ", (built.name, "bold"), f" in {built.seconds:.2f} s: ", app_.info.description)
    rows = [[level, count] for level, count in app_.units_per_level().items()]
    console.print(table("Units per level", ["level", "units"], rows, right=["units"]))
    line(f"{counts['people']:,} people and {counts['results']:,} results")
    synthetic_line(app_.info.synthetic)
    if built.stored is not None and built.stored_plan is not None:
        line(
            f"stored dataset {built.stored.name} version {built.stored.version}, plan {built.plan.name} "
            f"version {built.stored_plan.version} ({len(built.plan.operations):,} operations)"
        )
    if built.bundle is not None:
        line(f"wrote the bundle to {built.bundle}")


@dataset_app.command("build")
def build_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=f"The dataset to build: {', '.join(BUILT_IN)}.")],
    scale: Annotated[
        float | None,
        typer.Option(
            "--scale",
            help="Staff size: people per unit = synthetic norm x scale (0 < scale <= 1; 1 = ~2 million; "
            "default: the dataset's own, 0.02 for vietnam-2024).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic staff and results.")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the dataset as a bundle: a folder or FILE.xlsx.")
    ] = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Store the dataset and its plan (default) or not.")
    ] = True,
    json_output: JsonOpt = False,
) -> None:
    """Build a built-in dataset, store it and its reference plan, and optionally write a bundle."""
    with progress_bar(enabled=not json_output) as bar:
        if store:
            with unit_of_work(ctx) as uow:
                built = service.build_dataset(uow, name=name, scale=scale, seed=seed, out=out, progress=bar)
        else:
            built = service.build_dataset(None, name=name, scale=scale, seed=seed, out=out, progress=bar)
    if json_output:
        emit_json(built.to_dict())
    else:
        _render(built)
