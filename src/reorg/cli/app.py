"""The Typer application object, its global options, its error handling and the shared rendering.

Commands live in sibling modules (one per feature) and register themselves on ``app``; each parses its
arguments, calls one service in a unit of work (``unit_of_work``) and renders the typed result.
A ``ReorgError`` anywhere, and any usage error, becomes one line on stderr and exit status 2.

Data (names, descriptions, ids) is printed as plain text, never as Rich markup, and control characters
in it are shown escaped (``show``), so that no name can restyle, link or clear a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text
from typer._click.core import Context as ClickContext  # typer vendors click; tests pin these paths
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from reorg.errors import ReorgError
from reorg.progress import Progress
from reorg.services import Database, PlanRecord, Settings, UnitOfWork, open_database
from reorg.services.plans import Explains, Proposal

__all__ = [
    "JsonOpt",
    "app",
    "console",
    "emit_json",
    "err_console",
    "line",
    "progress_bar",
    "settings_of",
    "show",
    "stored",
    "table",
    "unit_of_work",
]

#: data is text: no markup, no emoji codes, no automatic highlighting
console = Console(markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False)

#: characters shown escaped: C0 and C1 controls, and the bidirectional overrides that reorder text
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_UNSAFE.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def show(value: object) -> str:
    """``value`` as terminal-safe text: control characters escaped (``\\x1b``), everything else as is."""
    return str(value).translate(_UNSAFE)


class _Group(TyperGroup):
    """One line and exit 2 for a ReorgError or a usage error, wherever it is raised."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except ReorgError as exc:
            typer.echo(f"error: {show(exc)}", err=True)
            ctx.exit(2)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        standalone = standalone_mode
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as exc:
            if not standalone:
                raise
            context = getattr(exc, "ctx", None)
            where = f" (see: {context.command_path} --help)" if context is not None else ""
            typer.echo(f"error: {show(exc.format_message())}{where}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone:
                raise
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        if standalone:
            sys.exit(result if isinstance(result, int) else 0)
        return result


app = typer.Typer(
    cls=_Group,
    help="reorg: plan and follow the streamlining of an organization's apparatus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@dataclass
class CliState:
    """Options given before the command name, and the database opened for them (once per process)."""

    settings: Settings
    database: Database | None = field(default=None)


def _state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState(Settings.from_env())
        ctx.find_root().obj = obj
    return obj


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default: $REORG_DB, else sqlite:///reorg.db in this folder).",
            envvar="REORG_DB",
        ),
    ] = None,
) -> None:
    state = CliState(Settings.from_env(db_url=db))
    ctx.obj = state
    ctx.call_on_close(lambda: state.database.close() if state.database is not None else None)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this command line (``--db`` and the actor)."""
    return _state(ctx).settings


@contextmanager
def unit_of_work(ctx: typer.Context, *, readonly: bool = False) -> Iterator[UnitOfWork]:
    """One transaction on the database of ``--db`` (opened and migrated on first use), its audit entries
    naming the login and OS account of whoever runs the command."""
    state = _state(ctx)
    if state.database is None:
        state.database = open_database(state.settings)
    with state.database.unit_of_work(actor=state.settings.actor, readonly=readonly) as uow:
        yield uow


JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


def emit_json(data: Any) -> None:
    """Write JSON to stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def cell(value: object) -> str:
    """A table cell: "-" for nothing, thousands separators for whole numbers, data escaped."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"
    return show(value)


def table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right: Sequence[str] = (),
    total: int | None = None,
) -> Table:
    """A Rich table of plain-text cells; ``right`` names the right-aligned columns; when ``total`` exceeds
    the rows shown, a caption says how many more there are."""
    out = Table(title=show(title), title_justify="left")
    for column in columns:
        out.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        out.add_row(*(cell(v) for v in row))
    if total is not None and total > len(rows):
        out.caption = f"… and {total - len(rows):,} more (--json lists them all)"
    return out


def stored(record: PlanRecord | None) -> None:
    """Say where a plan was stored, if it was."""
    if record is not None:
        line(f"stored plan {record.name} (version {record.version}) against {record.baseline}")


E = TypeVar("E", bound=Explains)


def show_proposal(proposal: Proposal[E], json_output: bool, summary: Callable[[E, str], None]) -> None:
    """A proposal as JSON, or its summary (``summary(explanation, dataset)``) and where its plan was
    stored."""
    if json_output:
        emit_json(proposal.to_dict())
        return
    summary(proposal.explanation, proposal.dataset)
    stored(proposal.saved)


def line(*parts: object | tuple[object, str]) -> None:
    """Print one line made of plain data parts and (text, style) pairs, e.g.
    ``line("stored plan ", (name, "bold"))``; every part is escaped data, never markup."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(show(part[0]), style=part[1])
        else:
            text.append(show(part))
    console.print(text, soft_wrap=True)


def synthetic_line(parts: Sequence[str]) -> None:
    """The label every synthetic figure carries."""
    if parts:
        line(("SYNTHETIC", "bold yellow"), f": {', '.join(parts)} generated, not observed")


@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Progress]:
    """A Rich progress bar on stderr as a ``Progress`` callback; one task per stage. Off when disabled
    or when stderr is not a terminal (so that errors stay one line in logs and pipes)."""
    if not enabled or not err_console.is_terminal or os.environ.get("REORG_NO_PROGRESS"):
        yield lambda done, total, stage: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=err_console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(done: int, total: int | None, stage: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(show(stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
