"""The roadmap and monitor commands against a temporary SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from roadmap_kit import apparatus, handover_plan
from store_kit import create_dataset

from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the roadmap kit's apparatus as ``kit`` and the hand-over plan as ``handover``."""
    url = f"sqlite:///{tmp_path / 'roadmap.db'}"
    with Database(url) as store:
        create_dataset(store, apparatus(), name="kit")
        with store.unit_of_work(actor="test") as uow:
            plan = handover_plan()
            uow.plans.create(type(plan)("kit", plan.operations, name="handover", require=()), name="handover")
    return url


def test_build_show_export_and_reimport(db: str, tmp_path: Path) -> None:
    """Build stores version 1 with its continuity; an exported file re-imported is version 2."""
    built = run_json(db, "roadmap", "build", "handover", "--start", "2025-03-01")
    assert built["version"] == 1
    assert built["steps"] == 7
    shown = run_json(db, "roadmap", "show", "handover")
    assert shown["start"] == "2025-03-01"
    assert shown["critical_path"]
    out = tmp_path / "rm.toml"
    assert run(db, "roadmap", "export", "handover", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8").replace('id = "s1"', 'id = "first"', 1)
    out.write_text(text, encoding="utf-8")
    again = run_json(db, "roadmap", "build", "handover", "--from", str(out))
    assert again["version"] == 2


def test_check_exits_2_on_a_break(db: str) -> None:
    """One operation per step splits the hand-over, so continuity breaks and check exits 2 naming it."""
    run_json(db, "roadmap", "build", "handover")
    result = run(db, "roadmap", "check", "handover")
    assert result.exit_code == 2
    assert "break step s1 on 2025-03-15: coverage" in result.stdout


def test_a_cycle_in_an_edited_file_is_refused_and_nothing_stored(db: str, tmp_path: Path) -> None:
    """A dependency cycle is one line on stderr naming the file's field; no version is stored."""
    run_json(db, "roadmap", "build", "handover")
    out = tmp_path / "rm.toml"
    run(db, "roadmap", "export", "handover", "-o", str(out))
    text = out.read_text(encoding="utf-8").replace("depends = []", 'depends = ["s2"]', 1)
    parts = text.split("[[step]]")
    parts[2] = parts[2].replace("depends = []", 'depends = ["s1"]', 1)
    out.write_text("[[step]]".join(parts), encoding="utf-8")
    assert_refused(run(db, "roadmap", "build", "handover", "--from", str(out)), "without a cycle")
    assert run_json(db, "roadmap", "show", "handover")["version"] == 1


def test_reports_status_and_deviations(db: str, tmp_path: Path) -> None:
    """Reports from CSV are stored; status and deviations read them; a bad date names row and column."""
    run_json(db, "roadmap", "build", "handover")
    good = tmp_path / "r.csv"
    good.write_text("step,date,share,unit,notes,headcount\ns6,2025-03-20,0.9,d2,ok,4\n", encoding="utf-8")
    assert run_json(db, "monitor", "report", "handover", str(good))["stored"] == 1
    status = run_json(db, "monitor", "status", "handover", "--as-of", "2025-03-21")
    assert status["reports"] == 1
    assert [g["step"] for g in status["good_practices"]] == ["s6"]
    late = run_json(db, "monitor", "deviations", "handover", "--as-of", "2025-06-30")
    assert {d["kind"] for d in late["deviations"]} >= {"delays_end", "silent"}
    bad = tmp_path / "bad.csv"
    bad.write_text("step,date,share\ns6,2025-03-20,0.5\ns6,March,0.5\n", encoding="utf-8")
    assert_refused(run(db, "monitor", "report", "handover", str(bad)), "row 3, column 'date'")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("step,date,share\nnope,2025-03-20,0.5\n", encoding="utf-8")
    assert_refused(run(db, "monitor", "report", "handover", str(unknown)), "row 2, field 'step'")
    assert run_json(db, "monitor", "status", "handover", "--as-of", "2025-03-21")["reports"] == 1


def test_a_reported_state_breaking_an_invariant_is_listed(db: str, tmp_path: Path) -> None:
    """Office 1 reported to have stopped leading ``local`` (s1) with nothing else done: a task with no
    lead in its communes; c45 reported leading registry (s7) before the merge forming it (s6): a unit
    not formed yet. Both are listed with their evidence, as text and as JSON."""
    run_json(db, "roadmap", "build", "handover")
    reports = tmp_path / "r.csv"
    reports.write_text(
        "step,date,share\ns1,2025-03-20,1\ns7,2025-03-20,1\ns6,2025-03-20,0.5\n", encoding="utf-8"
    )
    run_json(db, "monitor", "report", "handover", str(reports))
    found = run_json(db, "monitor", "deviations", "handover", "--as-of", "2025-03-21")
    flagged = {d["step"]: d["evidence"] for d in found["deviations"] if d["kind"] == "invariant"}
    assert set(flagged) == {"s1", "s7"}
    assert flagged["s1"]["invariant"] == "coverage"
    assert flagged["s1"]["ids"] == "local, c1, c2, c3"
    assert (flagged["s7"]["invariant"], flagged["s7"]["waits_for"]) == ("operation", "s6")
    text = run(db, "monitor", "deviations", "handover", "--as-of", "2025-03-21").stdout
    assert "invariant" in text
    assert "waits_for=s6" in text
