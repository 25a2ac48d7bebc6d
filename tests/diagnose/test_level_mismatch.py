"""Decentralisation mismatches: a task led at another level than the tasks of its field."""

from __future__ import annotations

from diagnose_kit import found, make, two_provinces

from reorg.diagnose import DiagnosisConfig
from reorg.model import TaskRow


def health(local: list[str], national: int = 4) -> list[tuple[str, str]]:
    """``national`` health tasks led by ministry m1; tasks in ``local`` led by each province's department."""
    duties = [("m1", f"h{i}") for i in range(national)]
    for t in local:
        duties += [("d1a", t), ("d2a", t)]
    return duties


TASKS = [TaskRow(f"h{i}", f"Health {i}", field="health") for i in range(6)] + [
    TaskRow("hl", "Hospitals", field="health")
]


def test_a_task_led_below_its_fields_level() -> None:
    """Four health tasks led nationally and one by the provinces: that one is led lower than its field."""
    (f,) = found(make(two_provinces(), health(["hl"]), tasks=TASKS), "level_mismatch")
    assert (f.tasks, f.units, f.template, f.severity) == (
        ("hl",),
        ("d1a", "d2a"),
        "level_mismatch.lower",
        "medium",
    )
    assert f.evidence["group_share"] == 0.8
    assert "field health" in f.explanation


def test_a_small_or_split_field_gives_no_mismatch() -> None:
    """Two national tasks and one local is under mismatch_min_tasks; a 3-2 split under the share."""
    assert found(make(two_provinces(), health(["hl"], national=2), tasks=TASKS), "level_mismatch") == ()
    split = health(["h3", "h4"], national=3)
    assert (
        found(
            make(two_provinces(), split, tasks=TASKS),
            "level_mismatch",
            DiagnosisConfig(mismatch_min_share=0.7),
        )
        == ()
    )


def test_tasks_without_a_field_are_compared_with_their_siblings() -> None:
    """Sub-tasks of one parent task form the group when no field is given."""
    tasks = [TaskRow("root", "Root")] + [TaskRow(f"s{i}", f"Sub {i}", parent_id="root") for i in range(5)]
    duties = [("m1", f"s{i}") for i in range(4)] + [("d1a", "s4"), ("d2a", "s4"), ("m1", "root")]
    (f,) = found(make(two_provinces(), duties, tasks=tasks), "level_mismatch")
    assert f.tasks == ("s4",)
    assert "task root" in f.explanation
