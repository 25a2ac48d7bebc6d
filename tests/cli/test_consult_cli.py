"""``reorg consult``: open a round, answer it, close it, read and export its results from the command line."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from cli_kit import assert_refused, run, run_json

from reorg.plan import Plan
from reorg.services import Settings, datasets, open_database, plans, users

EXAMPLE = Path(str(files("reorg.datasets") / "example"))
MERGE = {
    "op": "merge",
    "units": ["c-north-1", "c-north-2"],
    "into": {"id": "c-north-12", "name": "Maple-Thorn"},
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Examplia with plan ``merge-north`` and two users, a reviewer and an expert."""
    url = f"sqlite:///{tmp_path / 'consult.db'}"
    with open_database(Settings(db_url=url)) as store, store.unit_of_work(actor="test") as uow:
        datasets.import_bundle(uow, path=EXAMPLE, name="examplia")
        plans.apply_plan(
            uow, plan=Plan.from_dict({"baseline": "examplia", "operations": [MERGE]}), name="merge-north"
        )
        for login, role in (("rev", "reviewer"), ("exp", "expert")):
            users.add_user(uow, login=login, password="correct horse battery", role=role)
    return url


def test_open_answer_close_results_export(db: str, tmp_path: Path) -> None:
    """A round goes from open to frozen results and a workbook through the CLI."""
    opened = run_json(
        db,
        "consult",
        "open",
        "merge-north",
        "--question",
        "Merge?",
        "--deadline",
        "2099-01-01T00:00+00:00",
        "--invite",
        "rev=committee",
        "--invite",
        "@expert",
    )
    number = str(opened["id"])
    assert {i["login"]: i["group"] for i in opened["invited"]} == {"rev": "committee", "exp": "expert"}
    assert (
        run_json(db, "consult", "answer", number, "--as", "rev", "--answer", "0=agree:5:fine")["answers"] == 1
    )
    run_json(
        db, "consult", "answer", number, "--as", "exp", "--answer", "0=disagree:2", "--answer", "plan=abstain"
    )
    closed = run_json(db, "consult", "close", number)
    assert closed["state"] == "closed"
    item = closed["results"]["items"][0]
    assert (item["votes"], item["share"], item["consensus"]) == (2, 0.5, 0.0)
    assert run_json(db, "consult", "results", number)["frozen"] is True
    assert [r["id"] for r in run_json(db, "consult", "list")] == [int(number)]
    out = tmp_path / "round.xlsx"
    assert run(db, "consult", "export", number, "--out", str(out)).exit_code == 0
    assert "Comments" in openpyxl.load_workbook(out).sheetnames
    assert "consultation" in run(db, "consult", "show", number).stdout


def test_refusals_are_one_line(db: str) -> None:
    """A bad answer, an unknown round, a closed round: exit 2 with one line."""
    assert_refused(run(db, "consult", "show", "9"), "no consultation 9")
    opened = run_json(
        db,
        "consult",
        "open",
        "merge-north",
        "--question",
        "Q",
        "--deadline",
        "2099-01-01T00:00+00:00",
        "--invite",
        "rev",
    )
    number = str(opened["id"])
    assert_refused(
        run(db, "consult", "answer", number, "--as", "rev", "--answer", "zero=agree"), "ITEM=STANCE"
    )
    assert_refused(
        run(db, "consult", "answer", number, "--as", "rev", "--answer", "0=maybe"), "agree, disagree"
    )
    assert_refused(
        run(db, "consult", "answer", number, "--as", "exp", "--answer", "0=agree"), "no consultation"
    )
    assert_refused(
        run(db, "consult", "open", "merge-north", "--question", "Q", "--deadline", "soon", "--invite", "rev"),
        "ISO",
    )
    run_json(db, "consult", "close", number)
    assert_refused(run(db, "consult", "answer", number, "--as", "rev", "--answer", "0=agree"), "closed")
