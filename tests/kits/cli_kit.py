"""Test helpers for the command line: run a command against a database, read its JSON, check a refusal."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from reorg.cli import app


def run(db: str, *args: str) -> Result:
    """``reorg --db DB ARGS`` in-process."""
    return CliRunner().invoke(app, ["--db", db, *args])


def run_json(db: str, *args: str) -> Any:
    """The JSON a successful ``reorg --db DB ARGS --json`` prints."""
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_refused(result: Result, message: str) -> None:
    """The command exited 2 with one line on stderr, ``error: ...`` containing ``message``."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
