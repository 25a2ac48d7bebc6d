"""Each invariant on small apparatuses that break it, and on ones that do not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reorg.model import (
    Apparatus,
    DutyRow,
    LevelRow,
    NeighbourRow,
    PersonRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.plan.invariants import INVARIANTS, STRUCTURAL, check

LEVELS = [
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1),
    LevelRow("province", 1, True),
    LevelRow("commune", 2, True),
]


def _app(duties: list[DutyRow], **more: object) -> Apparatus:
    """vn > (m, p1 > (a, b), p2 > (c)); tasks t and u."""
    units = [
        UnitRow("vn", "VN", "nation"),
        UnitRow("m", "M", "ministry", parent_id="vn"),
        UnitRow("p1", "P1", "province", parent_id="vn"),
        UnitRow("a", "A", "commune", parent_id="p1", area_km2=5, population=100),
        UnitRow("b", "B", "commune", parent_id="p1", area_km2=50, population=5000),
        UnitRow("p2", "P2", "province", parent_id="vn"),
        UnitRow("c", "C", "commune", parent_id="p2", area_km2=50, population=5000),
    ]
    return build_apparatus(
        levels=LEVELS, units=units, tasks=[TaskRow("t", "T"), TaskRow("u", "U")], duties=duties, **more
    )  # type: ignore[arg-type]


def _names(app: Apparatus, name: str) -> list[tuple[str, ...]]:
    return [v.units + v.tasks for v in check(app, [name])]


def test_valid_apparatus_has_no_structural_violation(tiny: Apparatus) -> None:
    """The tiny fixture is a tree led once per task and place."""
    assert check(tiny, STRUCTURAL) == []


def test_registry_is_ordered_and_complete() -> None:
    """All seven invariants are registered, structural ones first."""
    assert list(INVARIANTS)[:4] == list(STRUCTURAL)
    assert set(INVARIANTS) == {*STRUCTURAL, "contiguity", "standards", "quota"}


def test_unknown_name_is_refused(tiny: Apparatus) -> None:
    """Asking for an invariant that does not exist is a ValueError."""
    with pytest.raises(ValueError, match="unknown invariant"):
        check(tiny, ["nonsense"])


def test_two_roots_and_misranked_child() -> None:
    """A second root and a child ranked as high as its parent break the tree."""
    app = build_apparatus(
        levels=LEVELS,
        units=[
            UnitRow("vn", "VN", "nation"),
            UnitRow("x", "X", "province"),
            UnitRow("y", "Y", "ministry", parent_id="x"),
        ],
    )
    messages = [v.message for v in check(app, ["tree"])]
    assert any("2 roots" in m for m in messages)
    assert any(m.startswith("y (ministry) sits under x (province)") for m in messages)


def test_cycle_is_found() -> None:
    """The units on a parent cycle are named, in ring order from the lowest row; b, which only hangs
    below the cycle, is not on it."""
    app = _app([DutyRow("m", "t"), DutyRow("m", "u")])
    parent = app.units.parent.copy()
    parent[app.units.index["p1"]] = app.units.index["a"]
    broken = dataclasses.replace(app, units=dataclasses.replace(app.units, parent=parent))
    cycle = [v for v in check(broken, ["tree"]) if "cycle" in v.message]
    assert len(cycle) == 1
    assert cycle[0].units == ("p1", "a")
    assert cycle[0].template == "tree.cycle"


def test_duplication_names_both_leads() -> None:
    """A province and a ministry both leading t in p1 is one one_lead violation naming both."""
    app = _app([DutyRow("m", "t"), DutyRow("p1", "t"), DutyRow("m", "u")])
    assert _names(app, "one_lead") == [("m", "p1", "t")]


def test_gap_names_the_places_not_led() -> None:
    """A task led only in p1 has a gap in c; a task with no lead is unclear."""
    app = _app([DutyRow("p1", "t")])
    violations = check(app, ["coverage"])
    assert sorted(v.units + v.tasks for v in violations) == [("c", "t"), ("u",)]
    assert any("no lead unit" in v.message for v in violations)


def test_a_catalogue_heading_is_not_unclear() -> None:
    """A task with sub-tasks and no lead duty is a heading, not a coverage violation; without sub-tasks
    the same unled task is unclear."""
    units = [UnitRow("vn", "VN", "nation")]
    tasks = [TaskRow("t", "T"), TaskRow("t.1", "T1", parent_id="t")]
    heading = build_apparatus(levels=LEVELS, units=units, tasks=tasks, duties=[DutyRow("vn", "t.1")])
    assert check(heading, ["coverage"]) == []
    flat = build_apparatus(
        levels=LEVELS, units=units, tasks=[tasks[0], TaskRow("t.1", "T1")], duties=[DutyRow("vn", "t.1")]
    )
    assert [(v.template, v.tasks) for v in check(flat, ["coverage"])] == [("coverage.no_lead", ("t",))]


def test_one_unit_leading_a_place_and_a_part_of_it_duplicates_its_lead() -> None:
    """p1 leading t for itself and again for its commune a holds two lead duties over a."""
    app = _app([DutyRow("p1", "t"), DutyRow("p1", "t", scope="a"), DutyRow("p2", "t"), DutyRow("m", "u")])
    assert [(v.template, v.units, v.tasks) for v in check(app, ["one_lead"])] == [
        ("one_lead.duplicate", ("p1",), ("t",))
    ]


def test_two_standards_rows_for_one_level_kind_and_class_are_refused() -> None:
    """Two rows for communes of any kind and class are refused: which one judges a commune would be
    ambiguous."""
    with pytest.raises(ValueError, match="one row per level, kind and class"):
        _app(
            [],
            standards=[
                StandardRow("commune", min_population=1000),
                StandardRow("commune", min_population=200),
            ],
        )


def test_explicit_scope_is_honoured() -> None:
    """A ministry leading t only for p2 (explicit scope) completes p1's lead without overlap."""
    app = _app([DutyRow("p1", "t"), DutyRow("m", "t", scope="p2"), DutyRow("m", "u")])
    assert check(app, ["one_lead", "coverage"]) == []


def test_support_duties_do_not_count() -> None:
    """A support duty is neither a duplication nor a lead."""
    app = _app([DutyRow("m", "t"), DutyRow("p1", "t", role="support"), DutyRow("m", "u")])
    assert check(app, ["one_lead", "coverage"]) == []


def test_leaf_outside_a_tier() -> None:
    """A commune right under the nation, while provinces exist, belongs to no province."""
    app = build_apparatus(
        levels=LEVELS,
        units=[
            UnitRow("vn", "VN", "nation"),
            UnitRow("p1", "P1", "province", parent_id="vn"),
            UnitRow("a", "A", "commune", parent_id="p1"),
            UnitRow("z", "Z", "commune", parent_id="vn"),
        ],
    )
    assert _names(app, "territory_partition") == [("z",)]


def test_empty_tier_holds_vacuously() -> None:
    """Once no province is left, communes under the nation break nothing."""
    app = build_apparatus(
        levels=LEVELS, units=[UnitRow("vn", "VN", "nation"), UnitRow("a", "A", "commune", parent_id="vn")]
    )
    assert check(app, ["territory_partition"]) == []


def test_contiguity_needs_connected_children() -> None:
    """p1 with children a and b not neighbouring each other is not contiguous; a neighbour link fixes it."""
    assert _names(_app([], neighbours=[NeighbourRow("a", "c"), NeighbourRow("b", "c")]), "contiguity") == [
        ("p1", "a", "b")
    ]
    assert check(_app([], neighbours=[NeighbourRow("a", "b")]), ["contiguity"]) == []


def test_children_without_neighbour_data_are_not_judged() -> None:
    """Only children that appear in the neighbour table are judged."""
    assert check(_app([], neighbours=[NeighbourRow("b", "c")]), ["contiguity"]) == []


def test_standards_minimums_and_count() -> None:
    """Commune a is below the population minimum; two provinces exceed a maximum of one."""
    app = _app(
        [], standards=[StandardRow("commune", min_population=1000), StandardRow("province", max_units=1)]
    )
    messages = [v.message for v in check(app, ["standards"])]
    assert len(messages) == 2
    assert messages[0].startswith("a (commune) has population 100 people")
    assert messages[1] == "level province has 2 units, more than 1"


def test_quota_is_reported_per_unit() -> None:
    """Two people in a unit with a quota of one are over quota; a unit without quota is not judged."""
    app = build_apparatus(
        levels=LEVELS[:1],
        units=[UnitRow("vn", "VN", "nation", quota=1)],
        people=[PersonRow("x", "vn"), PersonRow("y", "vn")],
    )
    assert [v.message for v in check(app, ["quota"])] == ["vn has 2 people for a quota of 1"]
    no_quota = dataclasses.replace(app, units=dataclasses.replace(app.units, quota=np.array([np.nan])))
    assert check(no_quota, ["quota"]) == []
