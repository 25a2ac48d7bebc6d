"""``reorg people place DATASET PLAN``: place the people of a stored plan's replaced units by merit.

Reads the baseline dataset and the stored plan from the store at ``--db``; prints the totals, the new
units and the first rows of the placed and surplus lists; ``--json`` for everything, ``--xlsx`` for a
workbook (one sheet per list), ``--save NAME`` to store the plan extended with the placement's
``move_people`` and ``release_people`` operations. Personal data only with ``--personal``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, console, emit_json, line, progress_bar, table, unit_of_work
from reorg.cli.people import SHOWN, XlsxOpt, _cell, _date, _synthetic, people_app
from reorg.errors import InputError
from reorg.io.quotas import read_quotas
from reorg.people import EvaluationConfig, PlacementConfig
from reorg.services import placement as service
from reorg.tomlfile import read_toml


def _configs(path: Path | None) -> tuple[PlacementConfig, EvaluationConfig]:
    """The [placement] and [evaluation] tables of the config file (defaults without one)."""
    if path is None:
        return PlacementConfig(), EvaluationConfig()
    data = read_toml(path, "placement config")
    for key in data:
        if key not in ("placement", "evaluation"):
            raise InputError(str(path), "the tables [placement] and [evaluation]", field=str(key))
    return (
        PlacementConfig.from_mapping(data.get("placement", {}), source=str(path)),
        EvaluationConfig.from_mapping(data.get("evaluation", {}), source=str(path)),
    )


@people_app.command("place")
def place_command(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The stored dataset the plan was made on.")],
    plan: Annotated[str, typer.Argument(help="A stored plan on DATASET.")],
    quotas: Annotated[
        Path | None,
        typer.Option("--quotas", help="Posts per new unit and position: CSV unit_id,position,quota."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="TOML: [placement] weights and leader positions, [evaluation] rules."),
    ] = None,
    ruleset: Annotated[
        Path | None,
        typer.Option("--ruleset", help="The benefit ruleset for the surplus (default: Decree 178)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The surplus's leaving date, YYYY-MM-DD (default: today).")
    ] = None,
    decision: Annotated[
        str | None, typer.Option("--decision-date", help="The restructuring decision's date.")
    ] = None,
    personal: Annotated[
        bool, typer.Option("--personal", help="Show birth dates, salary coefficients and amounts per person.")
    ] = False,
    save: Annotated[
        str | None, typer.Option("--save", help="Store the plan followed by the placement under this name.")
    ] = None,
    xlsx: XlsxOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Place people into the new units by merit (leaders first, exact per unit); list the surplus with
    the regime each is eligible for, and the cost, annual saving and payback."""
    placement, evaluation = _configs(config_file)
    given = read_quotas(quotas) if quotas else None
    with unit_of_work(ctx, readonly=not save) as uow, progress_bar(enabled=not json_out) as progress:
        done = service.place_people(
            uow,
            dataset=dataset,
            plan=plan,
            quotas=given,
            config=placement,
            evaluation=evaluation,
            ruleset=ruleset,
            as_of=_date(as_of, "--as-of") or dt.date.today(),
            decision_date=_date(decision, "--decision-date"),
            personal=personal,
            save=save,
            xlsx=xlsx,
            progress=progress,
        )
    if json_out:
        emit_json(done.to_dict())
        return
    _synthetic(done.synthetic)
    if done.illustrative:
        line(("ILLUSTRATIVE", "bold yellow"), f": {done.ruleset}")
    t = done.totals()
    money = done.currency or "currency"
    rows: list[list[object]] = [
        ["new units", t["units"]],
        ["candidates", t["candidates"]],
        ["posts", t["slots"]],
        ["placed", t["placed"]],
        ["  of them in leader posts", t["placed_as_leaders"]],
        ["surplus", t["surplus"]],
        *[[f"  {k}", v] for k, v in t["surplus_by_regime"].items()],
        [f"benefit cost ({money})", round(t["cost"])],
        [f"annual payroll saved ({money}/year)", round(t["annual_saving"])],
        ["payback (years)", "-" if t["payback_years"] is None else f"{t['payback_years']:.2f}"],
    ]
    console.print(table(f"Placement of {done.plan} on {done.dataset}", ["", "value"], rows, right=["value"]))
    units = [[u["unit"], u["candidates"], u["posts"], u["placed"], u["surplus"]] for u in done.by_unit()]
    columns = ["unit", "candidates", "posts", "placed", "surplus"]
    console.print(table("New units", columns, units[:SHOWN], right=columns[1:], total=len(units)))
    extra = ["birth_date", "salary_coefficient"] if personal else []
    for title, rows_, cols in (
        ("Placed", done.placed_rows(SHOWN), ["id", "unit", "from", "was", "position", "score", *extra]),
        ("Surplus", done.surplus_rows(SHOWN), ["id", "unit", "was", "score", "regime", *extra]
         + (["amount"] if personal else [])),
    ):  # fmt: skip
        total = t["placed"] if title == "Placed" else t["surplus"]
        console.print(table(title, cols, [[_cell(r.get(c)) for c in cols] for r in rows_], total=total))
    if done.saved is not None:
        line(f"stored plan {done.saved.name} (version {done.saved.version}) against {done.dataset}")
    if xlsx is not None:
        line(f"Wrote {xlsx}")
