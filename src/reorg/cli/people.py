"""``reorg people evaluate|benefits DATASET``: evaluation on results and the benefits owed to leavers.

Both read the dataset (or a stored plan, applied to its baseline) from the store at ``--db``; tables,
``--json`` or ``--xlsx`` (one sheet per list, for an HR officer to filter). Figures on synthetic people
carry the SYNTHETIC label. Salary-derived amounts per person appear only with ``--personal``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

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
from reorg.errors import InputError
from reorg.people import EvaluationConfig
from reorg.services import people as service

people_app = typer.Typer(
    help="People: evaluation on results, benefits owed to leavers.", no_args_is_help=True
)
app.add_typer(people_app, name="people")

#: rows shown in the terminal tables (--json lists everyone)
SHOWN = 20

DatasetArg = Annotated[
    str, typer.Argument(help="A stored dataset, or a stored plan (applied to its baseline).")
]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="Also write the lists to this .xlsx file.")]
UnitsOpt = Annotated[
    list[str] | None,
    typer.Option("--units", help="Only the people of this unit and its subunits (repeatable)."),
]


def _synthetic(parts: tuple[str, ...]) -> None:
    synthetic_line([p for p in parts if p in ("people", "results")])


@people_app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    dataset: DatasetArg,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Evaluation rules as TOML (see docs/people.md).")
    ] = None,
    units: UnitsOpt = None,
    xlsx: XlsxOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Score, rate (with the cap on excellent per unit), rank and screen everyone on their results."""
    config = EvaluationConfig.from_toml(config_file) if config_file else EvaluationConfig()
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        done = service.evaluate(
            uow, dataset=dataset, config=config, units=units, xlsx=xlsx, progress=progress
        )
    if json_out:
        emit_json(done.to_dict())
        return
    ev = done.evaluation
    counts = ev.counts()
    _synthetic(done.synthetic)
    names = ev.config.names
    rows = [[n, label, counts[n]] for n, label in zip(names, ev.config.labels, strict=True)]
    rows += [["unrated", "no results (listed, not skipped)", counts["unrated"]]]
    rows += [[k, "", counts[k]] for k in ("capped", "screened", "talent")]
    title = f"Evaluation of {done.dataset}, period {ev.period or '-'} ({counts['people']:,} people)"
    console.print(table(title, ["level", "label", "people"], rows, right=["people"]))
    for key, title, columns in (
        ("screening", "Screening list", ("id", "unit", "rating", "score", "screened")),
        ("talent", "Talent pool", ("id", "unit", "level", "score", "rank_level")),
        ("unrated", "Unrated", ("id", "unit", "unrated")),
    ):
        total = len(done.listed(key))
        if total:
            shown = [[_cell(r[c]) for c in columns] for r in done.rows(key, SHOWN)]
            console.print(table(f"{title} ({total:,})", list(columns), shown, total=total))
    if xlsx is not None:
        line(f"Wrote {xlsx}")


def _cell(value: Any) -> Any:
    return "; ".join(value) if isinstance(value, list) else value


def _read_ids(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"a readable UTF-8 file of person ids, one per line ({exc})") from None
    return [s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")]


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, "a date as YYYY-MM-DD", value=value) from None


@people_app.command("benefits")
def benefits_command(
    ctx: typer.Context,
    dataset: DatasetArg,
    ruleset: Annotated[
        Path | None,
        typer.Option(
            "--ruleset", help="A ruleset TOML (default: Decree 178/2024 as amended by Decree 67/2025)."
        ),
    ] = None,
    units: UnitsOpt = None,
    people_file: Annotated[
        Path | None, typer.Option("--people-file", help="Ids of the people who leave, one per line.")
    ] = None,
    transfer_file: Annotated[
        Path | None, typer.Option("--transfer-file", help="Ids of people moved to another post instead.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The leaving date, YYYY-MM-DD (default: today).")
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision-date", help="The restructuring decision's date (default: the leaving date)."
        ),
    ] = None,
    personal: Annotated[
        bool,
        typer.Option("--personal", help="Show each person's amount and breakdown (salary-derived data)."),
    ] = False,
    released: Annotated[
        bool,
        typer.Option(
            "--released", help="DATASET is a stored plan: the people it releases, by releasing operation."
        ),
    ] = False,
    xlsx: XlsxOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What a policy owes the people who leave: regime per person; cost, annual saving and payback
    per unit and in total."""
    leaving = _date(as_of, "--as-of") or dt.date.today()
    ids = _read_ids(people_file) if people_file else None
    moved = _read_ids(transfer_file) if transfer_file else []
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_out) as progress:
        done = service.benefits(
            uow,
            dataset=dataset,
            as_of=leaving,
            ruleset=ruleset,
            people=ids,
            people_source=str(people_file) if people_file else "--people-file",
            units=units,
            transferred=moved,
            decision_date=_date(decision, "--decision-date"),
            personal=personal,
            released=released,
            xlsx=xlsx,
            progress=progress,
        )
    if json_out:
        emit_json(done.to_dict())
        return
    rs = done.benefits.ruleset
    _synthetic(done.synthetic)
    if rs.illustrative:
        line(("ILLUSTRATIVE", "bold yellow"), f": {rs.name}")
    total = done.benefits.total
    money = rs.currency or "currency"
    rows: list[list[object]] = [
        ["ruleset", rs.name],
        ["leaving on / decision", f"{done.benefits.as_of} / {done.benefits.decision_date}"],
        ["people", total.people],
        *[[f"  {k}", v] for k, v in total.by_regime.items()],
        [f"cost ({money})", round(total.cost)],
        [f"annual payroll saved ({money}/year)", round(total.annual_saving)],
        ["payback (years)", "-" if total.payback_years is None else f"{total.payback_years:.2f}"],
    ]
    console.print(table(f"Benefits in {done.dataset}", ["", "value"], rows, right=["value"]))
    units_rows = [
        [
            u.unit,
            u.people,
            round(u.cost),
            round(u.annual_saving),
            "-" if u.payback_years is None else f"{u.payback_years:.2f}",
        ]
        for u in sorted(done.benefits.units, key=lambda u: -u.cost)[:SHOWN]
    ]
    columns = ["unit", "people", f"cost ({money})", "saved/year", "payback (y)"]
    console.print(table("By unit", columns, units_rows, right=columns[1:], total=len(done.benefits.units)))
    per_op = [
        [o["operation"], o["op"], o["people"], round(o["cost"]), round(o["annual_saving"])]
        for o in done.by_operation()
    ]
    if per_op:
        columns = ["operation", "kind", "people", f"cost ({money})", "saved/year"]
        console.print(table("By releasing operation", columns, per_op, right=columns[2:]))
    people_rows = done.rows()
    person_columns = ["id", "unit", "regime", "missing"] + (["amount"] if personal else [])
    shown = [[_cell(r.get(c)) for c in person_columns] for r in people_rows[:SHOWN]]
    console.print(table("People", person_columns, shown, right=["amount"], total=len(people_rows)))
    if xlsx is not None:
        line(f"Wrote {xlsx}")
