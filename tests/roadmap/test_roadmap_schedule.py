"""The roadmap core: steps derived from a plan, dependencies, the critical path, milestones."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from roadmap_kit import START, apparatus, chain_roadmap, handover_plan, handover_roadmap

from reorg.errors import InputError
from reorg.plan import AbolishLevel, Dissolve, Merge, NewUnit, Plan, Transfer
from reorg.roadmap import Roadmap, Step, build, dependencies, schedule


def test_build_makes_one_step_per_operation_with_owner_and_level() -> None:
    """Each operation becomes a step owned by the baseline parent of the first unit it names."""
    rm = build(apparatus(), handover_plan(), start=START)
    assert [s.operations for s in rm.steps] == [(i,) for i in range(7)]
    assert rm.steps[5].owner == "d2"
    assert rm.steps[5].level == "commune"
    assert rm.steps[0].owner == "d1"
    assert rm.steps[0].level == "office"


def test_derived_dependencies_follow_units_and_abolition() -> None:
    """A transfer waits for the merge forming its receiver; an abolition waits for what names its units;
    after it, a merge across districts and a transfer naming a commune of a task the district's units
    held wait; a merge inside one district, and a transfer of a task they never held, do not."""
    plan = Plan(
        "p",
        (
            Merge(units=("c1", "c2"), into=NewUnit("c12", "C12")),
            Transfer(task="defence", from_unit="m", to_unit="dep1"),
            AbolishLevel(level="district"),
            Transfer(task="registry", from_unit="c3", to_unit="c12", scope="c3"),
            Merge(units=("c6", "c7"), into=NewUnit("c67", "C67")),
            Merge(units=("c12", "c4"), into=NewUnit("c124", "C124")),
            Transfer(task="local", from_unit="c3", to_unit="c5", scope="c3"),
        ),
        require=(),
    )
    app = apparatus()
    deps = {(d.step, d.after): d.rule for d in dependencies(build(app, plan, start=START), app, plan)}
    assert deps[("s3", "s1")] == "abolish"  # the merge of communes of d1 comes first
    assert ("s3", "s2") not in deps  # the ministry's stream is not held up by the districts
    assert deps[("s4", "s1")] == "same_unit"  # c12 exists before it receives a task
    assert ("s4", "s3") not in deps  # registry: no district unit held it, the abolition moves none
    assert deps[("s7", "s3")] == "abolish"  # local: the abolition gives it to the communes, so it waits
    assert not {k for k in deps if k[0] == "s5"}  # c6 and c7 share district d3: in parallel
    assert deps[("s6", "s3")] == "abolish"  # c12 (d1) and c4 (d2) have one parent once d1, d2 are gone
    assert deps[("s6", "s4")] == "same_unit"  # the task c12 received comes first


def test_only_touches_that_do_not_commute_are_ordered() -> None:
    """Transfers of different tasks of one unit, and dissolutions into one successor, run in
    parallel; the same task moved twice, and the end of the successor, keep the plan's order."""
    plan = Plan(
        "p",
        (
            Transfer(task="land", from_unit="dep1", to_unit="m"),
            Transfer(task="defence", from_unit="m", to_unit="dep2"),
            Transfer(task="land", from_unit="m", to_unit="dep2"),
            Dissolve(unit="o1", successor="o2"),
            Dissolve(unit="o3", successor="o2"),
            Transfer(task="local", from_unit="o2", to_unit="d2"),
            Dissolve(unit="o2", successor="d2"),
        ),
        require=(),
    )
    app = apparatus()
    deps = {(d.step, d.after): d.rule for d in dependencies(build(app, plan, start=START), app, plan)}
    assert ("s2", "s1") not in deps  # m: land arrives, defence leaves
    assert deps[("s3", "s1")] == "same_unit"  # land moves on from m only once it arrived
    assert ("s5", "s4") not in deps  # two offices poured into o2
    assert {("s6", "s4"), ("s6", "s5")} <= set(deps)  # a pour may bring task local
    assert {("s7", "s4"), ("s7", "s5"), ("s7", "s6")} <= set(deps)  # o2 goes after all of them


def test_levels_run_in_parallel_and_the_critical_path_has_no_slack() -> None:
    """Independent streams start together; the longest chain is critical, the others have slack."""
    app, plan = apparatus(), handover_plan()
    rm = handover_roadmap(good=True)
    sched = schedule(rm, dependencies(rm, app, plan))
    es = dict(zip([s.id for s in rm.steps], sched.es.tolist(), strict=True))
    assert es == {"hand": 0, "close": 14, "merge": 0, "move": 30}
    assert sched.days == 44
    assert sched.critical_path() == ["hand", "close"]
    slack = dict(zip([s.id for s in rm.steps], sched.slack.tolist(), strict=True))
    assert slack == {"hand": 0, "close": 0, "merge": 4, "move": 4}
    assert sched.milestones()[-1].date == START + dt.timedelta(days=44)


def test_earliest_start_and_deadline() -> None:
    """A step waits for its earliest date, and one finishing after its deadline is late."""
    steps = (
        Step(
            "a", "a", (), "u", "x", 10, START + dt.timedelta(days=5), deadline=START + dt.timedelta(days=12)
        ),
        Step("b", "b", (), "u", "x", 3, depends=("a",)),
    )
    sched = schedule(
        Roadmap("p", START, steps, False),
        dependencies(Roadmap("p", START, steps, False), apparatus(), Plan("p")),
    )
    assert sched.es.tolist() == [5, 15]
    assert sched.late() == ["a"]


def test_a_dependency_cycle_names_its_steps() -> None:
    """A cycle is refused with the steps that form it."""
    steps = (
        Step("a", "a", (), "u", "x", 1, depends=("c",)),
        Step("b", "b", (), "u", "x", 1, depends=("a",)),
        Step("c", "c", (), "u", "x", 1, depends=("b",)),
        Step("d", "d", (), "u", "x", 1),
    )
    rm = Roadmap("p", START, steps, False)
    with pytest.raises(InputError) as err:
        schedule(rm, dependencies(rm, apparatus(), Plan("p")))
    assert "a, b and c" in str(err.value)
    assert "d" not in err.value.value.split("(")[0]


def test_a_step_naming_an_operation_the_plan_lacks_is_refused() -> None:
    """An operation number outside the plan is refused naming the step (row) and field."""
    rm = Roadmap("p", START, (Step("a", "a", (9,), "u", "x", 1),), True)
    with pytest.raises(InputError) as err:
        dependencies(rm, apparatus(), handover_plan(), source="rm.toml")
    assert (err.value.file, err.value.row, err.value.field) == ("rm.toml", 1, "operations")


def test_gantt_bars_and_a_large_chain() -> None:
    """Gantt bars run from earliest start to finish, critical ones marked; cut bars keep the critical ones."""
    rm = chain_roadmap(300)
    sched = schedule(rm, dependencies(rm, apparatus(), Plan("p")))
    bars = sched.gantt()
    assert len(bars) == 300
    assert all(b["start"] < b["end"] for b in bars)
    cut = sched.gantt(limit=20)
    assert len(cut) == 20
    assert sum(b["critical"] for b in cut) == min(20, int(sched.critical.sum()))
    # every dependency is respected
    index = rm.index
    for d in sched.dependencies:
        assert sched.ef[index[d.after]] <= sched.es[index[d.step]]


def test_unknown_dependency_and_duplicate_ids_are_refused() -> None:
    """A step naming an unknown step, or an id used twice, is an InputError naming the row and field."""
    with pytest.raises(InputError) as err:
        Roadmap("p", START, (Step("a", "a", (), "u", "x", 1, depends=("zz",)),))
    assert (err.value.row, err.value.field) == (1, "depends")
    a = Step("a", "a", (), "u", "x", 1)
    with pytest.raises(InputError) as err:
        Roadmap("p", START, (a, dataclasses.replace(a, name="again")))
    assert (err.value.row, err.value.field) == (2, "id")
