"""Commands on roadmaps and monitoring: ``roadmap build|check|show|export`` and
``monitor report|status|deviations`` (docs/roadmap.md).

``roadmap build PLAN`` lays a stored plan out in time (or reads an edited roadmap file with ``--from``),
checks its continuity and stores it; ``check`` prints the breaks (exit 2 if any); ``show`` the dates,
critical path and milestones; ``export`` writes the roadmap file. ``monitor report PLAN FILE`` stores
progress reports from a CSV file; ``status`` and ``deviations`` show where the roadmap stands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, line, progress_bar, table, unit_of_work
from reorg.errors import InputError
from reorg.roadmap.continuity import Continuity
from reorg.roadmap.fileformat import reports_from_csv
from reorg.services import roadmaps as service

__all__ = ["monitor_app", "roadmap_app"]

SHOWN = 20

roadmap_app = typer.Typer(
    help="Lay a plan out in time, check continuity at every step.", no_args_is_help=True
)
monitor_app = typer.Typer(
    help="Progress reports, status, deviations and good practices.", no_args_is_help=True
)
app.add_typer(roadmap_app, name="roadmap")
app.add_typer(monitor_app, name="monitor")

PlanName = Annotated[str, typer.Argument(help="A stored plan's name.")]


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, "a date (YYYY-MM-DD)", value=value) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"a readable file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "a file in UTF-8") from None


def _print_continuity(result: Continuity) -> None:
    if result.ok:
        line(("continuity OK", "green"), f": {result.boundaries} step boundaries checked")
        return
    for b in result.breaks[:SHOWN]:
        line(("break", "red"), f" step {b.step} on {b.date.isoformat()}: {b.invariant}: {b.message}")
        if b.fix is not None and b.fix.kind == "reorder":
            line(f"  fix: move step {b.fix.step} after step {b.fix.after}")
        elif b.fix is not None:
            places = ", ".join(b.fix.places)
            line(
                f"  fix: {b.fix.unit} keeps leading {b.fix.task} in {places} until step {b.fix.after} is done"
            )
    line(f"{len(result.breaks)} breaks at {result.boundaries} step boundaries")


@roadmap_app.command("build")
def build_command(
    ctx: typer.Context,
    plan: PlanName,
    start: Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")] = "2025-03-01",
    source: Annotated[
        Path | None, typer.Option("--from", help="An edited roadmap file (TOML) instead.", dir_okay=False)
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Build a plan's roadmap (or import an edited one), check its continuity and store it."""
    day = _date(start, "--start")
    assert day is not None
    text = _read(source) if source is not None else None
    with unit_of_work(ctx) as uow, progress_bar(enabled=not json_output) as bar:
        built = service.build_roadmap(
            uow, plan=plan, start=day, text=text, source=str(source or "roadmap"), progress=bar
        )
    if json_output:
        emit_json(built.to_dict())
        return
    r = built.record
    line(f"stored the roadmap of {plan} (version {r.version}): {r.steps} steps, {built.dependencies} "
         f"dependencies, {built.days} days")  # fmt: skip
    _print_continuity(built.continuity)


@roadmap_app.command("check")
def check_command(ctx: typer.Context, plan: PlanName, json_output: JsonOpt = False) -> None:
    """Check the stored roadmap's continuity at every step boundary (exit 2 on a break)."""
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_output) as bar:
        result = service.check_roadmap(uow, plan=plan, progress=bar)
    if json_output:
        emit_json(result.to_dict())
    else:
        _print_continuity(result)
    if not result.ok:
        raise typer.Exit(2)


@roadmap_app.command("show")
def show_command(ctx: typer.Context, plan: PlanName, json_output: JsonOpt = False) -> None:
    """Dates, critical path, milestones and the first steps of the stored roadmap."""
    with unit_of_work(ctx, readonly=True) as uow, progress_bar(enabled=not json_output) as bar:
        view = service.show_roadmap(uow, plan=plan, progress=bar)
    if json_output:
        emit_json(view.to_dict())
        return
    line(f"roadmap of {plan} (version {view.record.version}): {view.start.isoformat()} to "
         f"{view.end.isoformat()}, {view.days} days, {view.record.steps} steps")  # fmt: skip
    more = len(view.critical_path) - SHOWN
    line(
        f"critical path: {' → '.join(view.critical_path[:SHOWN])}" + (f" and {more} more" if more > 0 else "")
    )
    rows = [(m["name"], m["date"], m["steps"]) for m in view.milestones]
    console.print(table("milestones", ("milestone", "date", "steps"), rows, right=("steps",)))
    bars = [(b["id"], b["name"], b["level"], b["start"], b["end"], b["slack"]) for b in view.gantt[:SHOWN]]
    columns = ("step", "name", "level", "start", "end", "slack")
    console.print(table("steps", columns, bars, right=("slack",), total=view.steps))
    _print_continuity(view.continuity)


@roadmap_app.command("export")
def export_command(
    ctx: typer.Context,
    plan: PlanName,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Roadmap file to write (TOML).", dir_okay=False)
    ],
) -> None:
    """Write the stored roadmap as a file to edit and re-import with ``roadmap build --from``."""
    with unit_of_work(ctx, readonly=True) as uow:
        text = service.export_roadmap(uow, plan=plan)
    output.write_text(text, encoding="utf-8")
    line(f"wrote {output}")


@monitor_app.command("report")
def report_command(
    ctx: typer.Context,
    plan: PlanName,
    file: Annotated[
        Path, typer.Argument(help="Progress reports (CSV: step,date,share,...).", dir_okay=False)
    ],
    json_output: JsonOpt = False,
) -> None:
    """Store progress reports on the roadmap's steps (all or nothing)."""
    reports = reports_from_csv(_read(file), source=str(file))
    with unit_of_work(ctx) as uow:
        done = service.report_progress(uow, plan=plan, reports=reports, source=str(file), first_row=2)
    if json_output:
        emit_json(done.to_dict())
    else:
        line(f"stored {done.stored} progress reports on {plan}")


AsOf = Annotated[str | None, typer.Option("--as-of", help="Status date (YYYY-MM-DD); default today.")]


@monitor_app.command("status")
def status_command(
    ctx: typer.Context, plan: PlanName, as_of: AsOf = None, json_output: JsonOpt = False
) -> None:
    """Share done by level and overall, against the share the schedule expects."""
    with unit_of_work(ctx, readonly=True) as uow:
        view = service.monitor_status(uow, plan=plan, as_of=_date(as_of, "--as-of"))
    if json_output:
        emit_json(view.to_dict())
        return
    st = view.status
    rows = [
        (r.group, r.steps, r.done, f"{r.share:.0%}", f"{r.expected:.0%}") for r in (*st.by_level, st.overall)
    ]
    rows[-1] = ("all", *rows[-1][1:])
    columns = ("level", "steps", "done", "done (share)", "planned")
    console.print(table(f"status on {st.as_of.isoformat()}", columns, rows, right=columns[1:]))
    line(f"{len(st.deviations)} deviations, {len(st.good_practices)} good practices ({view.reports} reports)")


@monitor_app.command("deviations")
def deviations_command(
    ctx: typer.Context, plan: PlanName, as_of: AsOf = None, json_output: JsonOpt = False
) -> None:
    """Deviations with their evidence, and good practices."""
    with unit_of_work(ctx, readonly=True) as uow:
        view = service.monitor_status(uow, plan=plan, as_of=_date(as_of, "--as-of"))
    st = view.status
    if json_output:
        emit_json({"as_of": st.as_of.isoformat(), "deviations": [d.to_dict() for d in st.deviations],
                   "good_practices": [g.to_dict() for g in st.good_practices]})  # fmt: skip
        return
    rows = [(d.kind, d.step, d.unit, ", ".join(f"{k}={v}" for k, v in d.evidence)) for d in st.deviations]
    console.print(table("deviations", ("kind", "step", "unit", "evidence"), rows[:SHOWN], total=len(rows)))
    good = [(g.step, g.unit, f"{g.share:.0%}", f"{g.expected:.0%}", g.days) for g in st.good_practices]
    columns = ("step", "unit", "done", "planned", "days ahead")
    console.print(table("good practices", columns, good[:SHOWN], total=len(good)))
