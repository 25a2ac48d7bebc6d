"""Duplicated and unclear responsibility: one lead per task in each place."""

from __future__ import annotations

import pytest
from diagnose_kit import found, make, run, two_provinces, unit

from reorg.model import DutyRow, LevelRow, TaskRow


def test_two_ministries_leading_a_national_task_are_a_duplication() -> None:
    """Two leads whose jurisdictions are both the nation duplicate each other over all the territory."""
    app = make(two_provinces(), [("m1", "defence"), ("m2", "defence")])
    (f,) = found(app, "multiple_leads")
    assert (f.units, f.tasks, f.severity) == (("m1", "m2"), ("defence",), "high")
    assert f.evidence["duplicated_share"] == 1.0
    assert f.template == "multiple_leads.one_place"
    assert "M1 and M2" in f.explanation


def test_a_province_and_its_own_district_leading_the_same_task_duplicate_there() -> None:
    """The district's territory is led twice; the rest of the province once."""
    app = make(two_provinces(), [("d1a", "land"), ("x1", "land"), ("d2a", "land")])
    (f,) = found(app, "multiple_leads")
    assert set(f.units) == {"d1a", "x1"}
    assert f.evidence["duplicated_pieces"] == 2  # c1, c2
    assert f.evidence["territory_pieces"] == 4


def test_each_province_leading_for_its_own_province_is_not_a_duplication() -> None:
    """Land administration led by each province's department for its own province is clean."""
    app = make(two_provinces(), [("d1a", "land"), ("d2a", "land")])
    report = run(app)
    assert report.by_kind("multiple_leads") == ()
    assert report.by_kind("no_lead") == ()
    assert report.summary["duplication_index"] == 0
    assert report.summary["unclear_responsibility_index"] == 0


def test_a_task_no_one_leads_is_unclear_everywhere() -> None:
    """A task without any lead duty is a high-severity no_lead."""
    app = make(two_provinces(), [("m1", "defence"), ("m2", "orphan", "support")])
    (f,) = found(app, "no_lead")
    assert (f.tasks, f.severity, f.template, f.units) == (("orphan",), "high", "no_lead.none", ())


def test_a_gap_names_the_largest_uncovered_territory() -> None:
    """Led in province p1 only: the gap is province p2 (not its communes one by one)."""
    app = make(two_provinces(), [("d1a", "land")])
    (f,) = found(app, "no_lead")
    assert f.units == ("p2",)
    assert f.template == "no_lead.gap"
    assert (f.evidence["uncovered_pieces"], f.evidence["uncovered_share"]) == (2, 0.5)
    assert f.severity == "high"


def test_a_small_gap_is_medium() -> None:
    """One commune of four without its lead is a medium gap naming that commune."""
    units = two_provinces()
    app = make(units, [("c1", "civil"), ("c2", "civil"), ("c3", "civil")])
    (f,) = found(app, "no_lead")
    assert (f.units, f.severity, f.evidence["uncovered_share"]) == (("c4",), "medium", 0.25)


def test_one_unit_leading_a_place_and_a_part_of_it_is_a_low_redundant_duplication() -> None:
    """The same unit twice (its jurisdiction and a scope inside it) is one responsible unit holding a
    redundant lead duty: a low-severity duplication over the part, as the one_lead invariant says."""
    app = make(two_provinces(), [("d1a", "land"), DutyRow("d1a", "land", scope="x1"), ("d2a", "land")])
    (f,) = found(app, "multiple_leads")
    assert (f.severity, f.template, f.units, f.evidence["duplicated_pieces"]) == (
        "low",
        "multiple_leads.same_unit",
        ("d1a",),
        2,
    )


def test_indices_are_shares_of_task_place_cells() -> None:
    """duplication = doubly-led cells / (tasks x pieces); unclear = unled cells / (tasks x pieces)."""
    app = make(two_provinces(), [("d1a", "land"), ("x1", "land"), ("c1", "civil")])
    s = run(app).summary
    # 2 tasks x 4 pieces; land: c1, c2 led twice, p2 (2 pieces) unled; civil: 3 pieces unled
    assert s["duplication_index"] == pytest.approx(2 / 8)
    assert s["unclear_responsibility_index"] == pytest.approx(5 / 8)
    assert (s["tasks_with_multiple_leads"], s["tasks_with_gaps"], s["tasks_without_lead"]) == (1, 2, 0)


def test_without_territorial_levels_a_task_has_one_lead_overall() -> None:
    """In a company (no territorial level) two divisions leading one task duplicate each other."""
    levels = [LevelRow("company", 0), LevelRow("division", 1)]
    units = [unit("co", "company"), unit("a", "division", "co"), unit("b", "division", "co")]
    app = make(units, [("a", "payroll"), ("b", "payroll"), ("a", "audit")], levels=levels)
    (f,) = found(app, "multiple_leads")
    assert (f.units, f.tasks) == (("a", "b"), ("payroll",))
    assert found(app, "no_lead") == ()


def test_a_catalogue_heading_nobody_leads_is_not_a_gap() -> None:
    """A parent task with led sub-tasks and no lead of its own is a heading: not reported, not counted."""
    tasks = [TaskRow("health", "Health"), TaskRow("hospitals", "Hospitals", parent_id="health")]
    report = run(make(two_provinces(), [("m1", "hospitals")], tasks=tasks))
    assert report.by_kind("no_lead") == ()
    assert report.summary["task_headings"] == 1
    assert report.summary["unclear_responsibility_index"] == 0
