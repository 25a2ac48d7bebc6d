"""``reorg report DATASET PLAN``: the page and the workbook written, JSON on request, one-line errors."""

from __future__ import annotations

from pathlib import Path

from cli_kit import assert_refused, run, run_json
from report_kit import store_examplia


def test_report_writes_the_page_and_the_workbook(tmp_path: Path) -> None:
    """The command writes report.html and report.xlsx in the chosen language and says where."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    store_examplia(db)
    out = tmp_path / "out"
    result = run(
        db, "report", "examplia", "merge-north", "--compare", "merge-south", "--lang", "vi", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out / 'report.html'}" in result.stdout
    assert "SYNTHETIC" in result.stdout
    assert '<html lang="vi">' in (out / "report.html").read_text(encoding="utf-8")
    data = run_json(db, "report", "examplia", "merge-north", "--out", str(out), "--as-of", "2025-07-01")
    assert data["lang"] == "en"
    assert data["xlsx"].endswith("report.xlsx")
    assert [p["name"] for p in data["plans"]] == ["merge-north"]
    assert data["people"]["before"] == data["people"]["after"]
    assert data["costs"]["as_of"] == "2025-07-01"
    assert data["costs"]["placed"] + data["costs"]["surplus"] == data["costs"]["candidates"]
    bad = run(db, "report", "examplia", "merge-north", "--out", str(out), "--as-of", "July")
    assert_refused(bad, "--as-of")


def test_report_refuses_a_plan_of_another_dataset(tmp_path: Path) -> None:
    """A plan that was not made on DATASET is one line on stderr and exit 2."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    store_examplia(db)
    result = run(db, "report", "nowhere", "merge-north", "--out", str(tmp_path / "out"))
    assert_refused(result, "made on dataset nowhere")
