"""``reorg demo``: the main job on the built-in data (what ``make demo`` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reorg.cli.app import JsonOpt, app, console, emit_json, line, progress_bar, settings_of, unit_of_work
from reorg.datasets.registry import built_in
from reorg.datasets.vietnam import DEFAULT_SCALE, NAME
from reorg.services.demo import run_demo
from reorg.services.settings import DEFAULT_URL


@app.command("demo")
def demo_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder for the summary page and the diagnosis.")] = Path(
        "out"
    ),
    scale: Annotated[
        float,
        typer.Option("--scale", help="Synthetic staff size when the dataset is built (1 = ~2 million)."),
    ] = DEFAULT_SCALE,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the synthetic staff and of the optimizers.")
    ] = 0,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build the dataset again even if the store has it.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Build (or reuse) vietnam-2024, diagnose it, apply enacted-2025 and the optimizers' proposals,
    compare them and write a self-contained HTML summary."""
    built_in(NAME).check_scale(scale)
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        result = run_demo(uow, out, scale=scale, seed=seed, rebuild=rebuild, progress=bar)
    if json_output:
        emit_json(
            {
                "steps": [
                    {"step": s.name, "seconds": round(s.seconds, 2), "result": s.result} for s in result.steps
                ],
                "summary": str(result.summary),
                "diagnosis": str(result.diagnosis_json),
                "plans": list(result.plans),
                "web": {"login": result.web_login, "password": result.web_password},
            }
        )
        return
    table = Table(title="reorg demo on vietnam-2024 (people and results are SYNTHETIC)", title_justify="left")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("result")
    for step in result.steps:
        table.add_row(step.name, f"{step.seconds:.1f}", step.result)
    console.print(table)
    line("Summary page: ", (result.summary.resolve(), "bold"))
    line(f"Diagnosis (JSON): {result.diagnosis_json.resolve()}")
    line(
        "Explore further: "
        + " · ".join(f"reorg diff vietnam-2024 {name}" for name in result.plans)
        + " · reorg show vietnam-2024 · reorg diagnose vietnam-2024 · reorg plans · reorg audit"
    )
    url = settings_of(ctx).db_url
    serve = "reorg serve" if url == DEFAULT_URL else f"reorg --db {url} serve"
    line(
        "Web app on this data: ",
        (serve, "bold"),
        " (or .venv/bin/reorg serve), then open http://127.0.0.1:8000/ and sign in as ",
        (result.web_login, "bold"),
        " with password ",
        (result.web_password, "bold"),
        " (set by this run; change it with: reorg users password demo)",
    )
