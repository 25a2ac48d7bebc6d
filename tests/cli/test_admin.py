"""Listing and showing plans, the audit log, deleting datasets, and what every command shares: one-line
usage errors, data printed as text (never markup or control codes), private files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import create_dataset, create_plan

from reorg.model import Apparatus, LevelRow, UnitRow, build_apparatus
from reorg.plan import Merge, NewUnit, Plan, Rename
from reorg.store import Database

MERGE = Plan("tiny", operations=(Merge(("c1", "c2"), NewUnit("c12", "C1+C2")),), description="merge two")


@pytest.fixture
def db(tmp_path: Path, tiny: Apparatus) -> str:
    """A database holding dataset ``tiny`` (twice) and plan ``merge`` against its second version."""
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    with Database(url) as store:
        create_dataset(store, tiny, name="tiny", actor="cli:anna")
        create_dataset(store, tiny, name="tiny", actor="cli:binh")
        create_plan(store, MERGE, name="merge", actor="cli:binh")
    return url


def test_plans_list_and_show(db: str) -> None:
    """`plans` lists every stored plan with its baseline version; `plans show` its operations by kind."""
    listed = run_json(db, "plans")
    assert [(p["name"], p["version"], p["baseline"], p["baseline_version"]) for p in listed] == [
        ("merge", 1, "tiny", 2)
    ]
    shown = run_json(db, "plans", "show", "merge")
    assert shown["operations_by_kind"] == {"merge": 1}
    assert shown["description"] == "merge two"
    assert shown["plan"]["operations"][0]["units"] == ["c1", "c2"]
    assert "merge" in run(db, "plans").stdout
    assert_refused(run(db, "plans", "show", "nope"), "no plan 'nope'")


def test_audit_filters(db: str) -> None:
    """`audit` lists writes newest first, filtered by dataset (with its plans) and by actor."""
    entries = run_json(db, "audit")
    assert [(e["action"], e["target"]) for e in entries] == [
        ("save_plan", "merge@1"),
        ("import", "tiny@2"),
        ("import", "tiny@1"),
    ]
    assert [e["target"] for e in run_json(db, "audit", "--actor", "cli:anna")] == ["tiny@1"]
    assert len(run_json(db, "audit", "--dataset", "tiny")) == 3
    assert run_json(db, "audit", "--since", "2999-01-01") == []
    assert len(run_json(db, "audit", "--until", "2999-01-01", "--limit", "2")) == 2
    assert_refused(run(db, "audit", "--dataset", "nope"), "no dataset 'nope'")
    assert_refused(run(db, "audit", "--limit", "0"), "--limit")


def test_delete_refused_while_a_plan_depends(db: str) -> None:
    """Deleting a dataset a stored plan is saved against is refused; --cascade deletes both; a version
    no plan depends on goes alone; every delete is audited."""
    assert_refused(run(db, "datasets", "delete", "tiny"), "plans merge depend on it")
    gone = run_json(db, "datasets", "delete", "tiny", "--version", "1")
    assert [d["version"] for d in gone["datasets"]] == [1]
    assert [d["version"] for d in run_json(db, "datasets")] == [2]
    gone = run_json(db, "datasets", "delete", "tiny", "--cascade")
    assert [p["name"] for p in gone["plans"]] == ["merge"]
    assert run_json(db, "datasets") == []
    assert run_json(db, "plans") == []
    actions = [e["action"] for e in run_json(db, "audit")]
    assert actions[:3] == ["delete_dataset", "delete_plan", "delete_dataset"]
    assert_refused(run(db, "datasets", "delete", "tiny"), "no dataset 'tiny'")


@pytest.mark.parametrize(
    "args",
    [["show"], ["nonsense"], ["show", "tiny", "--version", "abc"], ["audit", "--since", "yesterday"]],
)
def test_usage_errors_are_one_line(db: str, args: list[str]) -> None:
    """A missing argument, an unknown command or a badly typed option is one line and exit 2."""
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")


HOSTILE = [
    "Office [/] A",
    "Sở Tài chính [cũ]",
    "[link=file:///etc/passwd]x[/link]",
    "clear\x1b[2J",
    ":smile:",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_names_are_printed_as_text(tmp_path: Path, name: str) -> None:
    """Names with markup brackets, links, emoji codes or escape sequences are shown as written (control
    characters escaped) by show and diff, and never crash them. (Readers and plans refuse control
    characters; a stored one, e.g. written by an older reorg, is still shown escaped.)"""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    app = build_apparatus(
        levels=[LevelRow("top", 0, True), LevelRow("office", 1)],
        units=[UnitRow("r", "Root", "top"), UnitRow("o", name, "office", parent_id="r")],
    )
    with Database(url) as store:
        create_dataset(store, app, name="h")
        renamed = name if name.isprintable() else "plain"
        create_plan(store, Plan("h", operations=(Rename("r", renamed),)), name="renamed")
    shown = name.replace("\x1b", "\\x1b")
    for args in (["show", "h", "o"], ["show", "renamed", "o"], ["diff", "h", "renamed"]):
        result = run(url, *args)
        assert result.exit_code == 0, result.output
        if args[0] == "show":
            assert shown in result.stdout.replace("\n", "")
        assert "\x1b[2J" not in result.stdout


def test_files_are_private(tmp_path: Path, tiny: Apparatus) -> None:
    """The database, an export and a findings workbook made by the reorg command are readable by their
    owner only, whatever the umask."""
    code = "import os, sys; os.umask(0o022); from reorg.cli import main; sys.argv[0] = 'reorg'; main()"
    env = {**os.environ, "REORG_DB": f"sqlite:///{tmp_path / 'private.db'}"}
    bundle = tmp_path / "bundle"
    from reorg import io

    io.write(tiny, bundle)
    for args in (["import", str(bundle), "--name", "t"], ["export", "t", str(tmp_path / "out.xlsx")],
                 ["diagnose", "t", "--xlsx", str(tmp_path / "f.xlsx")]):  # fmt: skip
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    for made in ("private.db", "out.xlsx", "f.xlsx"):
        mode = stat.S_IMODE((tmp_path / made).stat().st_mode)
        assert mode & 0o077 == 0, f"{made} has mode {mode:o}"


def test_findings_workbook_into_a_folder_is_one_line(db: str, tmp_path: Path) -> None:
    """`diagnose --xlsx` naming a folder is refused in one line, before anything is written."""
    assert_refused(run(db, "diagnose", "tiny", "--xlsx", str(tmp_path)), "it is a folder")
