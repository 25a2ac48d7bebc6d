"""``reorg ensemble``: sample valid divisions of a level with ReCom chains on Dask, resume a run, and
place stored plans in the ensemble's distributions (docs/ensembles.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, line, progress_bar, show, table, unit_of_work
from reorg.errors import InputError
from reorg.services import ensembles as service
from reorg.tomlfile import read_toml

#: width of the text histograms, characters
BAR = 24
_BLOCKS = " ▁▂▃▄▅▆▇█"


@app.command("ensemble")
def ensemble_command(
    ctx: typer.Context,
    dataset: Annotated[str | None, typer.Argument(help="A dataset in the store (not with --resume).")] = None,
    level: Annotated[str | None, typer.Option("--level", help="The level whose units are grouped.")] = None,
    spec_file: Annotated[
        Path | None,
        typer.Option("--spec", help="TOML territory spec (as for propose territory).", dir_okay=False),
    ] = None,
    steps: Annotated[int | None, typer.Option("--steps", help="Steps per chain (default 1000).")] = None,
    chains: Annotated[int, typer.Option("--chains", help="Independent chains.")] = 4,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the run (same seed, same chains).")] = 0,
    batch: Annotated[int, typer.Option("--batch", help="Steps per Parquet file and saved state.")] = 100,
    thin: Annotated[int, typer.Option("--thin", help="Record every THIN-th step.")] = 1,
    start: Annotated[
        str | None, typer.Option("--start", help="A stored plan to start from (default: propose territory).")
    ] = None,
    nest_in: Annotated[
        str | None,
        typer.Option("--nest-in", help="A stored plan whose merged units of the spec's nest_by level nest."),
    ] = None,
    tolerance: Annotated[
        float | None, typer.Option("--tolerance", help="Population within this fraction of the ideal.")
    ] = None,
    attribute: Annotated[
        list[str] | None, typer.Option("--attribute", help="A unit attribute to sum per region (repeat).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="A Dask scheduler address (default: all local cores).")
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Local workers (default: cores).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="New folder for the run.")] = None,
    resume: Annotated[Path | None, typer.Option("--resume", help="A run folder to continue.")] = None,
    compare: Annotated[
        list[str] | None, typer.Option("--compare", help="A stored plan to place in the ensemble (repeat).")
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Sample valid divisions of a level (ReCom chains) and say where plans fall in them."""
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        if resume is not None:
            if dataset is not None:
                raise InputError(
                    "DATASET", "no dataset with --resume (the run folder names it)", value=dataset
                )
            run = service.resume_ensemble(
                uow, folder=resume, steps=steps, scheduler=scheduler, workers=workers, progress=bar
            )
        else:
            if dataset is None or level is None or spec_file is None:
                raise InputError("reorg ensemble", "DATASET, --level and --spec (or --resume DIR)")
            spec = read_toml(spec_file, "territory spec")
            folder = out or Path("ensembles") / f"{dataset}-{level}-seed{seed}"
            run = service.run_ensemble(
                uow,
                dataset=dataset,
                level=level,
                spec=spec,
                steps=steps or 1000,
                chains=chains,
                out=folder,
                seed=seed,
                batch=batch,
                thin=thin,
                start=start,
                nest_in=nest_in,
                tolerance=tolerance,
                attributes=tuple(attribute or ()),
                scheduler=scheduler,
                workers=workers,
                progress=bar,
            )
        placements = [service.compare_plan(uow, folder=run.folder, plan=p) for p in compare or ()]
    if json_output:
        emit_json({**run.to_dict(), "placements": [p.to_dict() for p in placements]})
        return
    _print_run(run)
    for placement in placements:
        _print_placement(placement)


def _print_run(run: service.EnsembleRun) -> None:
    m = run.manifest
    rates = ", ".join(f"{r:.0%}" for r in run.acceptance)
    line(
        f"run {show(run.folder)}: {m.chains} chains x {min(m.done)} steps (seed {m.seed}); acceptance {rates}"
    )
    rows = [
        [s.name, f"{s.mean:.4g}", f"{s.low:.4g}", f"{s.high:.4g}", f"{s.rhat:.3f}", f"{s.ess:.0f}"]
        for s in run.measures
    ]
    console.print(
        table("measures over the ensemble", ["measure", "mean", "min", "max", "R-hat", "ESS"], rows)
    )


def _spark(counts: tuple[int, ...]) -> str:
    top = max(counts) or 1
    return "".join(_BLOCKS[round(8 * c / top)] for c in counts)


def _print_placement(p: service.Placement) -> None:
    rows = []
    for r in p.rows:
        width = r.edges[-1] - r.edges[0]
        at = min(len(r.counts) - 1, int((r.value - r.edges[0]) / width * len(r.counts))) if width > 0 else 0
        bars = _spark(r.counts)
        marked = bars[:at] + "|" + bars[at + 1 :]
        rows.append([r.name, f"{r.value:.4g}", f"{r.percentile:.1f}", marked])
    title = f"{p.plan} in the ensemble ({p.draws} draws; | marks the plan)"
    console.print(table(title, ["measure", "value", "percentile", "histogram"], rows))
