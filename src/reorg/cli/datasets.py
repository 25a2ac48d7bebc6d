"""``reorg dataset build NAME``: build a built-in dataset, store it with its reference plan, and
optionally write it out as a bundle.

Built-in datasets: ``vietnam-2024`` (stored with plan ``enacted-2025``). People and results in it are
synthetic; the command says so wherever it prints them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, emit_json, open_store, progress_bar
from reorg.datasets.vietnam import DEFAULT_SCALE, MAX_SCALE
from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.plan.operations import Plan
from reorg.progress import Progress

__all__ = ["BUILT_IN", "dataset_app"]

dataset_app = typer.Typer(help="Built-in datasets.", no_args_is_help=True)
app.add_typer(dataset_app, name="dataset")


def _vietnam(scale: float, seed: int, progress: Progress) -> tuple[Apparatus, Plan]:
    from reorg.datasets import vietnam

    built = vietnam.build(scale=scale, seed=seed, progress=progress)
    return built, vietnam.enacted_plan(built)


#: name -> builder(scale, seed, progress) returning the dataset and its reference plan
BUILT_IN: dict[str, Callable[[float, int, Progress], tuple[Apparatus, Plan]]] = {"vietnam-2024": _vietnam}


def _levels_table(built: Apparatus) -> Table:
    table = Table(title="Units per level", title_justify="left")
    table.add_column("level")
    table.add_column("units", justify="right")
    for level, count in built.units_per_level().items():
        table.add_row(level, f"{count:,}")
    return table


@dataset_app.command("build")
def build_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=f"The dataset to build: {', '.join(BUILT_IN)}.")],
    scale: Annotated[
        float,
        typer.Option(
            "--scale",
            help="Staff size: people per unit = synthetic norm x scale (0 < scale <= 1; 1 = ~2 million).",
        ),
    ] = DEFAULT_SCALE,
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
    builder = BUILT_IN.get(name)
    if builder is None:
        raise NotFoundError(f"no built-in dataset {name!r}; there is {', '.join(BUILT_IN)}")
    if not 0 < scale <= MAX_SCALE:
        raise InputError("--scale", f"a number greater than 0 and at most {MAX_SCALE:g}", value=str(scale))
    started = time.perf_counter()
    result: dict[str, Any] = {"dataset": name, "scale": scale, "seed": seed}
    with progress_bar(enabled=not json_output) as bar:
        built, plan = builder(scale, seed, bar)
        if store:
            with open_store(ctx) as db:
                result["stored"] = db.import_apparatus(built, name=name, progress=bar).to_dict()
                result["plan"] = db.save_plan(plan, name=plan.name).to_dict()
        if out is not None:
            from reorg import io

            io.write(built, out)
            result["bundle"] = str(out)
    result["counts"] = built.counts()
    result["synthetic"] = list(built.info.synthetic)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if json_output:
        emit_json(result)
        return
    _print(built, plan, result)


def _print(built: Apparatus, plan: Plan, result: dict[str, Any]) -> None:
    counts = built.counts()
    console.print(f"Built [bold]{result['dataset']}[/] in {result['seconds']} s: {built.info.description}")
    console.print(_levels_table(built))
    console.print(f"{counts['people']:,} people and {counts['results']:,} results", highlight=False)
    if built.info.synthetic:
        parts = ", ".join(built.info.synthetic)
        console.print(f"[bold yellow]SYNTHETIC[/]: {parts} generated, not observed", highlight=False)
    if "stored" in result:
        console.print(
            f"stored dataset {result['stored']['name']} version {result['stored']['version']}, "
            f"plan {plan.name} version {result['plan']['version']} ({len(plan.operations):,} operations)",
            highlight=False,
        )
    if "bundle" in result:
        console.print(f"wrote the bundle to {result['bundle']}", highlight=False)
