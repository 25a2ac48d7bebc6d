"""The Typer application object, its global options and its error handling.

Commands live in sibling modules (one per feature) and register themselves on ``app``.
A ``ReorgError`` anywhere becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from typer.core import TyperGroup

from reorg.errors import ReorgError
from reorg.progress import Progress
from reorg.store import Store

__all__ = [
    "CliState",
    "JsonOpt",
    "actor",
    "app",
    "console",
    "default_db_url",
    "emit_json",
    "err_console",
    "open_store",
    "progress_bar",
    "state",
]

console = Console()
err_console = Console(stderr=True)


class _Group(TyperGroup):
    """Turns a ReorgError into one line and exit 2, wherever it is raised."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ReorgError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(2)


app = typer.Typer(
    cls=_Group,
    help="reorg: plan and follow the streamlining of an organization's apparatus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class CliState:
    """Options given before the command name."""

    db: str | None = None


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, CliState) else CliState()


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
    ctx.obj = CliState(db=db)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


def emit_json(data: Any) -> None:
    """Write JSON to stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def default_db_url() -> str:
    return os.environ.get("REORG_DB") or "sqlite:///reorg.db"


def actor() -> str:
    """Who the audit log names for writes from this command line: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name to be found (e.g. a container without one)
        return "cli"


@contextmanager
def open_store(ctx: typer.Context) -> Iterator[Store]:
    """The store named by ``--db`` / $REORG_DB (default ./reorg.db), closed on exit."""
    with Store(state(ctx).db or default_db_url(), actor=actor()) as store:
        yield store


@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Progress]:
    """A Rich progress bar on stderr as a ``Progress`` callback; one task per stage. Off when disabled
    or when stderr is not a terminal (so that errors stay one line in logs and pipes)."""
    if not enabled or not err_console.is_terminal:
        yield lambda done, total, stage: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=err_console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(done: int, total: int | None, stage: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
