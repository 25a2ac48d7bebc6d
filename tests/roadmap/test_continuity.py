"""Continuity at every step boundary, with the same rule code as validate, and the fixes proposed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from roadmap_kit import START, apparatus, handover_plan, handover_roadmap

from reorg.plan import AbolishLevel, Merge, NewUnit, Plan, Transfer, validate
from reorg.roadmap import Roadmap, Step, apparatus_at, check_continuity, dependencies, schedule


def _check(rm: Roadmap, plan: Plan):  # type: ignore[no-untyped-def]
    app = apparatus()
    sched = schedule(rm, dependencies(rm, app, plan))
    return app, sched, check_continuity(app, plan, sched)


def test_a_good_order_passes_and_ends_with_every_step_done() -> None:
    """The good order has no break (though apply, checking each operation alone, refuses the plan), and
    at its end the communes lead ``local``, office 1 is gone and c45 leads registry for c6."""
    app, sched, result = _check(handover_roadmap(good=True), handover_plan())
    assert result.ok
    assert result.boundaries == 4
    assert not validate(app, handover_plan()).ok
    end = apparatus_at(app, handover_plan(), sched, sched.end)
    ids = end.units.id
    leads = {
        (str(ids[u]), str(end.tasks.id[t])) for u, t in zip(end.duties.unit, end.duties.task, strict=True)
    }
    assert {("c1", "local"), ("c2", "local"), ("c3", "local"), ("c45", "registry")} <= leads
    assert "o1" not in set(ids.tolist())
    assert ("c6", "registry") not in leads


def test_an_office_closed_before_its_task_is_handed_over_is_caught() -> None:
    """The district office stops leading before the communes take over: the step, date, task and places
    are named and a bridging lead is proposed."""
    _, _, result = _check(handover_roadmap(good=False), handover_plan())
    first = result.first
    assert first is not None
    assert first.step == "close"
    assert first.date == START + dt.timedelta(days=10)
    assert first.invariant == "coverage"
    assert first.ids == ("local", "c1", "c2", "c3")
    assert first.fix is not None
    assert first.fix.kind == "bridge"
    assert (first.fix.unit, first.fix.task, first.fix.after) == ("o1", "local", "hand")


def test_the_same_message_as_validate() -> None:
    """The break is the refusal validate gives for the same operations in the same grouping."""
    plan = handover_plan()
    _, _, result = _check(handover_roadmap(good=False), plan)
    bad = Plan("b", (plan.operations[0],), require=())
    refused = validate(apparatus(), bad).errors[0]
    assert result.breaks[0].invariant == refused.invariant
    assert result.breaks[0].message.split(" in ")[0] == refused.message.split(" in ")[0]


def test_a_district_abolished_before_its_tasks_are_moved_is_caught() -> None:
    """Without derived dependencies, the district level abolished before its office hands its task to
    the merged commune is caught at the hand-over's step and date, naming the office; with them, the
    abolition waits and the roadmap passes."""
    plan = Plan(
        "p",
        (
            Merge(units=("c4", "c5"), into=NewUnit("c45", "C45")),
            Transfer(task="local", from_unit="o2", to_unit="c45"),
            AbolishLevel(level="district", duties="down"),
        ),
        require=(),
    )
    steps = (
        Step("abolish", "abolish districts", (2,), "vn", "district", 5),
        Step("merge", "merge c4 and c5", (0,), "d2", "commune", 10),
        Step("hand", "o2 hands local to c45", (1,), "d2", "office", 10),
    )
    _, _sched, result = _check(Roadmap("p", START, steps, derive=False), plan)
    first = result.first
    assert first is not None
    assert first.step == "hand"
    assert first.date == START + dt.timedelta(days=10)
    assert "o2" in first.ids
    # with the derived dependencies the abolition waits, and the roadmap passes
    _, sched2, result2 = _check(Roadmap("p", START, steps, derive=True), plan)
    assert result2.ok
    assert sched2.es[0] >= sched2.ef[2]


def test_a_missing_dependency_is_proposed_as_a_reordering() -> None:
    """A transfer to a merged unit placed before the merge gets 'move it after the merge'."""
    rm = handover_roadmap(good=True)
    steps = list(rm.steps)
    steps[3] = dataclasses.replace(steps[3], duration=5)  # c45 would lead before it exists
    _, _, result = _check(Roadmap("handover", START, tuple(steps), derive=False), handover_plan())
    first = result.first
    assert first is not None
    assert first.step == "move"
    assert first.invariant == "operation"
    assert first.fix is not None
    assert (first.fix.kind, first.fix.after) == ("reorder", "merge")


def test_a_step_that_changed_much_tries_fewer_reorderings() -> None:
    """Each reordering tried re-runs the broken step: a small step gets the 40 nearest candidates,
    the district abolition of vietnam-2024 (about 94,000 journaled values) 4, a huger one 1."""
    from reorg.roadmap.continuity import reorder_tries

    assert reorder_tries(20) == reorder_tries(0) == 40
    assert reorder_tries(94_000) == 4
    assert reorder_tries(10**9) == 1


def test_apparatus_at_a_date_between_steps() -> None:
    """On a date between two boundaries, only the steps finished by then are applied."""
    app, sched, _ = _check(handover_roadmap(good=True), handover_plan())
    mid = apparatus_at(app, handover_plan(), sched, START + dt.timedelta(days=20))
    ids = set(mid.units.id.tolist())
    assert "o1" in ids
    assert "c45" not in ids
