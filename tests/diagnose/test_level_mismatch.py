"""Decentralisation mismatches: a task led at another level than the tasks of its field and reach."""

from __future__ import annotations

from diagnose_kit import found, make, two_provinces

from reorg.diagnose import DiagnosisConfig
from reorg.model import TaskRow

TASKS = [TaskRow(f"h{i}", f"Health {i}", field="health") for i in range(8)]


def local(
    by_department: list[str], by_district: list[str], by_commune: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Tasks led by each province's department (d1a, d2a), each district (x1, x2) or each commune."""
    duties = [(d, t) for t in by_department for d in ("d1a", "d2a")]
    duties += [(c, t) for t in by_commune for c in ("c1", "c2", "c3", "c4")]
    return duties + [(x, t) for t in by_district for x in ("x1", "x2")]


def test_a_local_task_led_below_the_level_of_its_fields_local_tasks() -> None:
    """Four health tasks led by provincial departments and one by communes: that one is led lower."""
    app = make(two_provinces(), local(["h0", "h1", "h2", "h3"], [], ("h4",)), tasks=TASKS)
    (f,) = found(app, "level_mismatch")
    assert (f.tasks, f.template, f.severity) == (("h4",), "level_mismatch.lower", "medium")
    assert f.units == ("c1", "c2", "c3", "c4")
    assert f.evidence["group_share"] == 0.8
    assert "local tasks of field health" in f.explanation


def test_another_level_of_the_same_rank_is_a_mismatch_too() -> None:
    """Districts rank with departments: a health task led by districts is led at another level."""
    app = make(two_provinces(), local(["h0", "h1", "h2", "h3"], ["h4"]), tasks=TASKS)
    (f,) = found(app, "level_mismatch")
    assert (f.tasks, f.units, f.template) == (("h4",), ("x1", "x2"), "level_mismatch.other")


def test_national_and_local_tasks_of_a_field_are_not_compared() -> None:
    """Four national health tasks at a ministry and one local task in the provinces are no mismatch."""
    duties = [("m1", t) for t in ("h0", "h1", "h2", "h3")] + local(["h4"], [])
    assert found(make(two_provinces(), duties, tasks=TASKS), "level_mismatch") == ()


def test_a_task_led_by_a_province_and_its_districts_is_a_provincial_task() -> None:
    """Leads at two levels over the same territory: the task's level is the higher one."""
    duties = local(["h0", "h1", "h2", "h3"], ["h3"])
    assert found(make(two_provinces(), duties, tasks=TASKS), "level_mismatch") == ()


def test_a_small_or_split_group_gives_no_mismatch() -> None:
    """Two plus one is under mismatch_min_tasks; a 3-2 split is under a 0.7 share."""
    assert found(make(two_provinces(), local(["h0", "h1"], ["h2"]), tasks=TASKS), "level_mismatch") == ()
    split = make(two_provinces(), local(["h0", "h1", "h2"], ["h3", "h4"]), tasks=TASKS)
    assert found(split, "level_mismatch", DiagnosisConfig(mismatch_min_share=0.7)) == ()


def test_tasks_without_a_field_are_compared_with_their_siblings() -> None:
    """Sub-tasks of one parent task form the group when no field is given."""
    tasks = [TaskRow("root", "Root")] + [TaskRow(f"s{i}", f"Sub {i}", parent_id="root") for i in range(5)]
    duties = [("m1", f"s{i}") for i in range(4)] + [("m1", "root"), ("vn", "s4")]
    (f,) = found(make(two_provinces(), duties, tasks=tasks), "level_mismatch")
    assert (f.tasks, f.template) == (("s4",), "level_mismatch.higher")
    assert "national tasks of task root" in f.explanation
