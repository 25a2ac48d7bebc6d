"""The person event log that apply keeps next to the lineage, and the diff's counts from it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reorg.errors import PlanError
from reorg.model import Apparatus, PersonEvents
from reorg.plan import Merge, MovePeople, NewUnit, Plan, ReleasePeople, apply, diff, validate


def _plan(*ops: object) -> Plan:
    return Plan(baseline="three-tier", operations=tuple(ops))  # type: ignore[arg-type]


def test_merge_move_and_release_are_logged(three_tier: Apparatus) -> None:
    """Each person moved or released is a row with the operation, its kind, the units and the reason."""
    plan = _plan(
        Merge(("c1", "c2"), NewUnit("c12", "C12")),
        MovePeople("c3", people=("y1",)),
        ReleasePeople(("y2",), reason="early_retirement"),
    )
    log = apply(three_tier, plan).people_events
    rows = [
        (r["person"], r["event"], r["operation"], r["op"], r["from"], r["to"], r["reason"])
        for r in log.to_rows()
    ]
    assert rows == [
        ("x1", "moved", 0, "merge", "c1", "c12", ""),
        ("x2", "moved", 0, "merge", "c2", "c12", ""),
        ("y1", "moved", 1, "move_people", "o1", "c3", ""),
        ("y2", "released", 2, "release_people", "o1", "", "early_retirement"),
    ]


def test_a_person_moved_twice_has_two_rows(three_tier: Apparatus) -> None:
    """Events are kept in order, one per operation that changed the person's unit."""
    plan = _plan(MovePeople("c3", people=("y1",)), MovePeople("c4", people=("y1",)))
    log = apply(three_tier, plan).people_events
    assert list(zip(log.source.tolist(), log.target.tolist(), strict=True)) == [("o1", "c3"), ("c3", "c4")]


def test_moving_into_the_same_unit_is_no_event(three_tier: Apparatus) -> None:
    """A move that leaves a person where they were records nothing."""
    log = apply(three_tier, _plan(MovePeople("o1", from_unit="o1"))).people_events
    assert len(log) == 0


def test_a_refused_operation_leaves_no_event(three_tier: Apparatus) -> None:
    """validate rolls a refused operation back, its events with it."""
    plan = _plan(MovePeople("c3", people=("y1",)), ReleasePeople(("y2", "nobody")))
    result = validate(three_tier, plan)
    assert len(result.errors) == 1
    assert result.after.people_events.person.tolist() == ["y1"]
    with pytest.raises(PlanError):
        apply(three_tier, plan)


def test_a_plan_on_a_result_extends_the_log(three_tier: Apparatus) -> None:
    """The log of a result carries its baseline's log; the diff counts only what the second plan adds."""
    first = apply(three_tier, _plan(MovePeople("c3", people=("y1",))))
    second = apply(first, _plan(ReleasePeople(("y2",), reason="resignation")))
    assert second.people_events.person.tolist() == ["y1", "y2"]
    assert diff(first, second).people_events == {"released": {"release_people": 1}}


def test_diff_counts_people_by_event_and_operation(three_tier: Apparatus) -> None:
    """reorg diff's counts: people per event kind and operation kind; JSON-ready."""
    plan = _plan(
        Merge(("c1", "c2"), NewUnit("c12", "C12")),
        MovePeople("c3", people=("y1",)),
        ReleasePeople(("y2",)),
    )
    d = diff(three_tier, apply(three_tier, plan))
    assert d.people_events == {"moved": {"merge": 2, "move_people": 1}, "released": {"release_people": 1}}
    assert json.loads(json.dumps(d.to_dict()))["people_events"] == d.people_events
    assert d.counts()["people_events"] == d.people_events


def test_empty_log_without_a_plan(three_tier: Apparatus) -> None:
    """An apparatus no plan made has an empty log with every column."""
    log = three_tier.people_events
    assert len(log) == 0
    assert log.counts() == {}
    assert log.to_rows() == []
    assert len(PersonEvents.concat([log, log])) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["x1", "x2", "y1", "y2"]), st.sampled_from(["c3", "c4", "o1", ""])))
)
def test_log_replays_to_the_result(three_tier: Apparatus, moves: list[tuple[str, str]]) -> None:
    """Replaying the log from the baseline gives each person's unit after the plan (or their release)."""
    ops: list[object] = []
    gone: set[str] = set()
    for person, target in moves:
        if person in gone:
            continue
        if target:
            ops.append(MovePeople(target, people=(person,)))
        else:
            ops.append(ReleasePeople((person,)))
            gone.add(person)
    after = apply(three_tier, _plan(*ops))
    p = three_tier.people
    where = dict(zip(p.id.tolist(), three_tier.units.id[p.unit].tolist(), strict=True))
    for person, source, target in zip(
        after.people_events.person, after.people_events.source, after.people_events.target, strict=True
    ):
        assert where[person] == source
        where[person] = target
    now = dict(zip(after.people.id.tolist(), after.units.id[after.people.unit].tolist(), strict=True))
    assert {k: v for k, v in where.items() if v} == now
    assert np.all(np.diff(after.people_events.operation) >= 0)
