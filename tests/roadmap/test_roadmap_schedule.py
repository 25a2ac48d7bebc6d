"""The roadmap core: steps derived from a plan, dependencies, the critical path, milestones."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from roadmap_kit import START, apparatus, chain_roadmap, handover_plan, handover_roadmap

from reorg.errors import InputError
from reorg.model import Apparatus, DutyRow, LevelRow, TaskRow, UnitRow, build_apparatus
from reorg.plan import AbolishLevel, Dissolve, Merge, NewUnit, Plan, Rename, Split, SplitPart, Transfer
from reorg.roadmap import Roadmap, Step, build, check_continuity, dependencies, schedule


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


def _committees() -> Apparatus:
    """A district with communes c1..c3, each with its committee k1..k3 leading ``party`` for it; the
    district has two offices (a level with several units under one parent: not a commune's own)."""
    levels = [
        LevelRow("nation", 0, True),
        LevelRow("district", 1, True),
        LevelRow("office", 2),
        LevelRow("commune", 2, True),
        LevelRow("committee", 3),
    ]
    units = [UnitRow("vn", "Nation", "nation"), UnitRow("d1", "District", "district", parent_id="vn")]
    units += [UnitRow(o, o.upper(), "office", parent_id="d1") for o in ("o1", "o2")]
    units += [UnitRow(c, c.upper(), "commune", parent_id="d1", area_km2=10.0) for c in ("c1", "c2", "c3")]
    units += [UnitRow(f"k{c[1]}", f"K{c[1]}", "committee", parent_id=c) for c in ("c1", "c2", "c3")]
    duties = [DutyRow(f"k{c[1]}", "party") for c in ("c1", "c2", "c3")]
    duties += [DutyRow(c, "registry") for c in ("c1", "c2", "c3")] + [DutyRow("o1", "local")]
    return build_apparatus(
        levels=levels,
        units=units,
        tasks=[TaskRow(t, t.title()) for t in ("party", "registry", "local")],
        duties=duties,
        people=[],
    )


def test_a_communes_committees_merge_and_split_in_its_step() -> None:
    """*together*: the committees' merge goes in the step of the merge of their communes, the
    committee's split in its commune's split; the offices' merge (two under the district) and a merge
    whose committee is named in between keep their own steps; the merges keep continuity, judged once
    the committees and the communes are merged together."""
    plan = Plan(
        "p",
        (
            Merge(units=("k1", "k2"), into=NewUnit("k12", "K12", parent_id="c1")),
            Merge(units=("c1", "c2"), into=NewUnit("c12", "C12")),
            Split(unit="k3", parts=(SplitPart("k3a", 0.5), SplitPart("k3b", 0.5))),
            Split(
                unit="c3",
                parts=(SplitPart("c3a", 0.5, children=("k3a",)), SplitPart("c3b", 0.5, children=("k3b",))),
            ),
            Merge(units=("o1", "o2"), into=NewUnit("o12", "O12")),
            Merge(units=("c12", "c3a"), into=NewUnit("c123", "C123")),
        ),
        require=(),
    )
    app = _committees()
    rm = build(app, plan, start=START)
    assert [(s.id, s.operations) for s in rm.steps] == [
        ("s2", (0, 1)),
        ("s4", (2, 3)),
        ("s5", (4,)),
        ("s6", (5,)),
    ]
    assert rm.steps[0].name == "merge c1"
    assert rm.steps[0].duration == 30
    merges = Plan("m", (*plan.operations[:2], plan.operations[4]), require=())
    merged = build(app, merges, start=START)
    assert [s.operations for s in merged.steps] == [(0, 1), (2,)]
    assert check_continuity(app, merges, schedule(merged, dependencies(merged, app, merges))).ok
    named_between = Plan(
        "q", (plan.operations[0], Rename(unit="k12", name="K"), plan.operations[1]), require=()
    )
    assert [s.operations for s in build(app, named_between, start=START).steps] == [(0,), (1,), (2,)]
