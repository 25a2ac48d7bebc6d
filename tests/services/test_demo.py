"""The demo job end to end, and the summary page's safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reorg.datasets import vietnam
from reorg.diagnose import diagnose
from reorg.errors import AuthError
from reorg.model import DatasetInfo, LevelRow, UnitRow, build_apparatus
from reorg.plan import diff
from reorg.report.html import render
from reorg.report.summary import Comparison, summary_page
from reorg.services import users
from reorg.services.demo import _ensure_dataset, run_demo
from reorg.store import Database


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    tmp = tmp_path_factory.mktemp("demo")
    with Database(f"sqlite:///{tmp / 'reorg.db'}") as db:
        with db.unit_of_work(actor="tester") as uow:
            result = run_demo(uow, tmp / "out", scale=0.002)
        with db.unit_of_work(actor="tester") as uow:
            again = run_demo(uow, tmp / "out2", scale=0.002)
        with db.unit_of_work(actor="tester") as uow:
            # the demo's web user signs in with the password of the last run only
            assert again.web_password != result.web_password
            users.sign_in(uow, login=again.web_login, password=again.web_password)
            with pytest.raises(AuthError):
                users.sign_in(uow, login=result.web_login, password=result.web_password)
    return result.summary, [s.result for s in result.steps] + [s.result for s in again.steps]


def test_demo_builds_then_reuses_the_dataset(demo_run: tuple[Path, list[str]]) -> None:
    """The first run builds and stores vietnam-2024; the second reuses it."""
    _, results = demo_run
    assert results[0].startswith("built and stored vietnam-2024")
    assert any(r == "reused vietnam-2024 from the store" for r in results[1:])
    stored = [r for r in results if "proposed-communes" in r]
    assert "stored as plan proposed-communes version 1" in stored[0]
    assert "plan proposed-communes unchanged in the store" in stored[1]


def test_demo_rebuilds_a_dataset_built_otherwise(tmp_path: Path) -> None:
    """A stored vietnam-2024 built with another scale is not reused: a new version is built."""
    with Database(f"sqlite:///{tmp_path / 'reorg.db'}") as db, db.unit_of_work(actor="tester") as uow:
        first = _ensure_dataset(uow, 0.001, 0, False, None)
        same = _ensure_dataset(uow, 0.001, 0, False, None)
        other = _ensure_dataset(uow, 0.002, 0, False, None)
    assert first.startswith("built and stored vietnam-2024 version 1")
    assert same == "reused vietnam-2024 from the store"
    assert other.startswith("built and stored vietnam-2024 version 2")


def test_demo_summary_shows_the_official_counts(demo_run: tuple[Path, list[str]]) -> None:
    """The page compares enacted-2025 with the baseline: 63 -> 34 provinces, 10,035 -> 3,321 communes."""
    page = demo_run[0].read_text(encoding="utf-8")
    assert "enacted-2025" in page
    assert "proposed-communes" in page
    assert "10,035" in page
    assert "3,321" in page
    assert "adjusted Rand index" in page
    assert "People under enacted-2025: placement by merit and benefits" in page
    assert "annual payroll saved" in page
    assert "Units below the standard of their kind, before and after the plan" in page
    assert "commune, Phường" in page  # wards counted against their own standard


def test_demo_summary_shows_the_internal_model(demo_run: tuple[Path, list[str]]) -> None:
    """The page has the internal model after enacted-2025: the merged provinces' departments before,
    after the merger and after, with their leadership posts; the merged ministries counted."""
    page = demo_run[0].read_text(encoding="utf-8")
    assert "The internal model after enacted-2025" in page
    assert "leadership posts" in page
    assert re.search(r"\(p2025-08\)</td>\s*<td[^>]*>36 -&gt; 13 -&gt; 12</td>", page), "no row for p2025-08"
    assert "ministry 6" in page
    internal = [r for r in demo_run[1] if "merged units have departments" in r]
    assert internal
    # the 23 merged provinces; the communes' Party and Front committees are attached, not departments
    with_departments = int(internal[0].split(" of ", 1)[0].replace(",", ""))
    assert with_departments == 23, internal[0]


def test_demo_summary_shows_the_branches(demo_run: tuple[Path, list[str]]) -> None:
    """The page has units per branch before and after each plan, and per level the commune Party and
    Front committees, and the duplicated lead across branches (foreign affairs: party, state,
    legislature) found in the baseline."""
    page = demo_run[0].read_text(encoding="utf-8")
    assert "Units per branch of the political system before and after" in page
    assert "Duplicated leads across branches" in page
    assert "mofa.foreign-affairs" in page
    assert "state, party, legislature" in page
    for branch, before, after in (
        ("party", "10,810", "3,366"),
        ("legislature", 14, 8),
        ("front", "10,801", "3,361"),
    ):
        assert re.search(rf"<td>{branch}</td><td[^>]*>{before}</td><td[^>]*>{after}</td>", page)
    for level in ("party_commune", "front_commune"):  # the commune committees follow the communes
        assert re.search(rf"<td>{level}</td><td[^>]*>10,035</td><td[^>]*>3,320</td>", page)


def test_demo_summary_labels_synthetic_staff(demo_run: tuple[Path, list[str]]) -> None:
    """People and results are synthetic, and the page says so."""
    page = demo_run[0].read_text(encoding="utf-8")
    assert "Synthetic data:" in page
    assert '<div class="note">synthetic</div>' in page  # on every figure counting people


def test_summary_page_escapes_names() -> None:
    """Names with markup are shown as text, never as HTML."""
    app = build_apparatus(
        levels=[LevelRow("org", 0)],
        units=[UnitRow("a", "<script>alert(1)</script>", "org")],
        info=DatasetInfo(name="<b>x</b>", synthetic=("people",)),
    )
    page = render(summary_page(app, diagnose(app), [Comparison("p", "=SUM(A1)", diff(app, app))]))
    assert "<script>alert" not in page
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_vietnam_default_scale_is_what_the_demo_uses() -> None:
    """The demo's default scale is the dataset's default (kept small so make demo stays fast)."""
    import inspect

    assert inspect.signature(run_demo).parameters["scale"].default == vietnam.DEFAULT_SCALE


def test_demo_lays_out_and_follows_the_enacted_roadmap(demo_run: tuple[Path, list[str]]) -> None:
    """The demo builds the enacted plan's roadmap, finds continuity holds, and feeds a synthetic history
    whose planted deviations (a reported state breaking an invariant among them) and good practices
    the status shows."""
    _, results = demo_run
    line = next(r for r in results if "synthetic reports" in r)
    assert "continuity holds at every step" in line
    assert re.search(r"[1-9]\d* deviations \(.*\d+ invariant.*\), [1-9]\d* good practices", line), line


def test_demo_places_the_enacted_communes_in_an_ensemble(demo_run: tuple[Path, list[str]]) -> None:
    """The demo's ensemble step ran its chains and the page shows, per measure, where enacted-2025
    falls: a percentile, an inline SVG histogram with the plan marked, and R-hat."""
    summary, results = demo_run
    assert any(r.startswith("2x2,000 steps, acceptance") for r in results)
    page = summary.read_text(encoding="utf-8")
    assert "Ensemble: where enacted-2025 falls" in page
    section = page[page.index("Ensemble: where enacted-2025 falls") :]
    for measure in ("cut_edges", "mean_centre_km", "population_cv", "people_moved_share", "split_district"):
        assert f"<td>{measure}</td>" in section
    assert section.count('<svg class="hist"') >= 8
    assert (summary.parent / "ensemble" / "manifest.json").is_file()


def test_demo_summary_shows_the_roadmap_section(demo_run: tuple[Path, list[str]]) -> None:
    """The roadmap is built before the page is written, and the page's roadmap section holds the Gantt
    chart of the levels (top first, the status date marked), the continuity verdict, the status with
    its deviations and their evidence, labelled synthetic."""
    page = demo_run[0].read_text(encoding="utf-8")
    block = page.split('<section id="roadmap">', 1)[1].split("</section>", 1)[0]
    assert block.count('<svg class="gantt"') == 1
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', block.split("<svg", 1)[1])
    assert labels[:2] == ["nation", "ministry"]
    assert {"province", "commune"} <= set(labels)
    assert re.search(r"status on 2025-\d\d-\d\d", block)
    assert "Continuity holds: no gap in time, place or field" in block
    assert "Deviations with their evidence" in block
    assert "planned end: " in block  # a late step's evidence
    assert '<span class="synthetic">synthetic</span>' in block
    assert "progress reports are a seeded synthetic history" in block
