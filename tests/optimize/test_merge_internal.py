"""The internal model after a merger: the merged units' departments whose tasks overlap are
consolidated (and no others), the plan applies on top of the merger with every invariant holding, and
the headcount, quota and leadership posts are those counted by hand."""

from __future__ import annotations

import itertools
from importlib.resources import files
from pathlib import Path

import pytest

from reorg.datasets.mergers import planted_internal
from reorg.errors import InputError
from reorg.io import load
from reorg.model import DutyRow, LevelRow, PersonRow, TaskRow, UnitRow, build_apparatus
from reorg.model.apparatus import Apparatus
from reorg.optimize.merge import MergeSpec, merged_units, propose_internal
from reorg.plan import apply, check
from reorg.plan.invariants import STRUCTURAL
from reorg.plan.operations import Merge, NewUnit, Plan

EXAMPLE = Path(str(files("reorg.datasets") / "example"))


def _pairs(ex_units: tuple[object, ...]) -> set[frozenset[str]]:
    got: set[frozenset[str]] = set()
    for u in ex_units:
        for r in u.operations:  # type: ignore[attr-defined]
            got |= {frozenset(p) for p in itertools.combinations(r.units, 2)}
    return got


def test_planted_departments_of_merged_ministries_are_consolidated_and_no_others() -> None:
    """Over 8 seeds: every planted pair of two merged ministries' departments is proposed; no pair
    between ministries left alone, and no unplanted pair, is."""
    for seed in range(8):
        app, plan, planted = planted_internal(seed)
        _, why = propose_internal(app, plan)
        got = _pairs(why.units)
        truth = {frozenset((p.unit, p.host)) for p in planted if p.merged}
        decoys = {frozenset((p.unit, p.host)) for p in planted if not p.merged}
        assert truth <= got, seed
        assert not got & decoys, seed
        assert got == truth, seed


@pytest.mark.parametrize("seed", range(3))
def test_merger_and_internal_plan_leave_every_invariant_holding(seed: int) -> None:
    """The plan (the merger, then the departments) applies and every invariant holds after it; its tail
    alone applies on top of the merger's result and gives the same units; nobody is lost."""
    app, merger, _ = planted_internal(seed)
    plan, why = propose_internal(app, merger)
    assert plan.operations[: why.first] == merger.operations
    after = apply(app, plan)
    assert check(after) == []
    tail = Plan(baseline=merger.baseline, operations=plan.operations[why.first :], require=())
    on_top = apply(apply(app, merger), tail)
    assert sorted(on_top.units.id.tolist()) == sorted(after.units.id.tolist())
    assert after.headcount.sum() == app.headcount.sum()
    gone = why.totals["departments_merged"] - why.totals["departments_after"]
    assert len(after.units) == len(apply(app, merger).units) - gone


def test_planted_counts_per_merged_ministry() -> None:
    """Each merged ministry: 12 departments before and after the merger, 10 after (a duplicate and a
    contained department go); leadership posts 30 -> 23 (see the test below for the rule)."""
    app, merger, _ = planted_internal(0)
    _, why = propose_internal(app, merger)
    assert [u.unit for u in why.units] == ["M01", "M23"]
    for u in why.units:
        assert (u.departments_before, u.departments_merged, u.departments_after) == (12, 12, 10)
        # before: 2 ministries x (director + 2 deputies) + 12 departments x (director + deputy)
        assert u.leaders_before == 2 * 3 + 12 * 2
        # after: one ministry team (1 + 2) + 10 departments x (1 + 1)
        assert u.leaders_merged == 3 + 12 * 2
        assert u.leaders_after == 3 + 10 * 2
        assert u.headcount_before == u.headcount_after
        assert u.quota_before == u.quota_after is not None
        assert not u.over_quota


def _hand_built() -> tuple[Apparatus, Plan]:
    """Ministries A and B merged into AB. Departments A.x (tasks 1-4), B.x (supports 1-4, leads 5:
    inside A.x's portfolio but for task 5) and B.y (tasks 6-7, nothing in common)::

        A: director, 2 deputy directors, officer      quota 5
        B: director, deputy director                  quota 3
        A.x: director, deputy director, 2 officers     quota 4
        B.x: director, 2 deputy directors              quota 3
        B.y: director, officer                         quota 1 (over its quota by one)
    """
    levels = [LevelRow("nation", 0, True), LevelRow("ministry", 1), LevelRow("department", 2)]
    units = [
        UnitRow("n", "Nation", "nation"),
        UnitRow("A", "Ministry A", "ministry", parent_id="n", quota=5),
        UnitRow("B", "Ministry B", "ministry", parent_id="n", quota=3),
        UnitRow("A.x", "Dept A.x", "department", parent_id="A", quota=4),
        UnitRow("B.x", "Dept B.x", "department", parent_id="B", quota=3),
        UnitRow("B.y", "Dept B.y", "department", parent_id="B", quota=1),
    ]
    tasks = [TaskRow(f"t{i}", f"t{i}") for i in range(1, 8)] + [TaskRow("ta", "ta"), TaskRow("tb", "tb")]
    duties = [DutyRow("A", "ta"), DutyRow("B", "tb")]
    duties += [DutyRow("A.x", f"t{i}") for i in range(1, 5)]
    duties += [DutyRow("B.x", f"t{i}", "support") for i in range(1, 5)] + [DutyRow("B.x", "t5")]
    duties += [DutyRow("B.y", "t6"), DutyRow("B.y", "t7")]
    staff = {
        "A": ["director", "deputy director", "deputy director", "officer"],
        "B": ["director", "deputy director"],
        "A.x": ["director", "deputy director", "officer", "officer"],
        "B.x": ["director", "deputy director", "deputy director"],
        "B.y": ["director", "officer"],
    }
    people = [PersonRow(f"{u}-{i}", u, position=p) for u, ps in staff.items() for i, p in enumerate(ps)]
    app = build_apparatus(levels=levels, units=units, tasks=tasks, duties=duties, people=people)
    merger = Plan(
        baseline="hand", operations=(Merge(units=("A", "B"), into=NewUnit("AB", "Ministry AB")),), require=()
    )
    return app, merger


def test_headcount_quota_and_leadership_posts_counted_by_hand() -> None:
    """B.x holds all of A.x's tasks (containment 4/4), so A.x is dissolved into it; B.y is left
    alone. People 15 against quota 16; leadership posts 11 before (A 3, B 2, A.x 2, B.x 3, B.y 1),
    9 after the merger (AB keeps one team: a director and two deputies, as many as A had; the
    departments keep theirs, 2 + 3 + 1) and 7 after the internal model (B.x keeps one team: a director
    and two deputies, as many as it had, and A.x's go)."""
    app, merger = _hand_built()
    plan, why = propose_internal(app, merger)
    (u,) = why.units
    assert (u.unit, u.predecessors) == ("AB", ("A", "B"))
    assert (u.departments_before, u.departments_merged, u.departments_after) == (3, 3, 2)
    (op,) = u.operations
    assert (op.kind, set(op.units), op.into, op.shared_tasks) == ("dissolve", {"A.x", "B.x"}, "B.x", 4)
    assert op.operations == (1,)  # after the merger's one operation
    assert (u.headcount_before, u.headcount_after) == (15, 15)
    assert (u.quota_before, u.quota_after) == (16.0, 16.0)
    assert not u.over_quota
    assert (u.leaders_before, u.leaders_merged, u.leaders_after) == (11, 9, 7)
    assert check(apply(app, plan), list(STRUCTURAL)) == []


def test_over_quota_follows_the_quota_rule() -> None:
    """A merged unit whose four people sit in a department of quota 1, beside two ministries of quota 1,
    is over its quota (4 people > 3); the hand-built one (15 <= 16) is not."""
    levels = [LevelRow("nation", 0, True), LevelRow("ministry", 1), LevelRow("department", 2)]
    units = [
        UnitRow("n", "N", "nation"),
        UnitRow("A", "A", "ministry", parent_id="n", quota=1),
        UnitRow("B", "B", "ministry", parent_id="n", quota=1),
        UnitRow("A.x", "A.x", "department", parent_id="A", quota=1),
    ]
    people = [PersonRow(f"p{i}", "A.x", position="officer") for i in range(4)]
    tight = build_apparatus(
        levels=levels, units=units, tasks=[TaskRow("t", "t")], duties=[DutyRow("A.x", "t")], people=people
    )
    _, merger = _hand_built()
    _, over = propose_internal(tight, merger)
    (u,) = over.units
    assert (u.headcount_after, u.quota_after, u.over_quota) == (4, 3.0, True)
    _, fits = propose_internal(*_hand_built())
    assert fits.units[0].over_quota is False


def test_example_province_merger_counts() -> None:
    """On the example dataset, merging Northvale and Eastmere with their departments (as a territorial
    merger must, or apply refuses the duplicated leads) leaves nothing more to consolidate: 4
    departments -> 2 -> 2, 14 people against quota 98, leadership posts 10 -> 5."""
    app = load(EXAMPLE)
    merger = Plan(
        baseline="example",
        operations=(
            Merge(("d-north-fin", "d-east-fin"), NewUnit("d-ne-fin", "NE Finance", parent_id="p-north")),
            Merge(
                ("d-north-agri", "d-east-agri"), NewUnit("d-ne-agri", "NE Agriculture", parent_id="p-north")
            ),
            Merge(("p-north", "p-east"), NewUnit("p-ne", "Northeast")),
        ),
        name="northeast",
    )
    plan, why = propose_internal(app, merger)
    assert why.totals["merged_units"] == 3  # the province and its two departments
    (u,) = why.units
    assert u.unit == "p-ne"
    assert (u.departments_before, u.departments_merged, u.departments_after) == (4, 2, 2)
    assert (u.headcount_after, u.quota_after) == (14, 98.0)
    assert (u.leaders_before, u.leaders_merged, u.leaders_after) == (10, 5, 5)
    assert plan.operations == merger.operations


def test_merged_units_follow_the_lineage() -> None:
    """A merged unit is one two units of its level went into; its predecessors are those units."""
    app, merger, _ = planted_internal(1)
    assert merged_units(app, apply(app, merger)) == {"M01": ["M0", "M1"], "M23": ["M2", "M3"]}
    assert merged_units(app, apply(app, merger), level="department") == {}


def test_a_plan_that_merges_nothing_is_refused_clearly() -> None:
    """A plan without a merger, or none at the level asked, is an InputError naming the plan."""
    app, merger, _ = planted_internal(0)
    nothing = Plan(baseline=merger.baseline, operations=(), name="empty")
    with pytest.raises(InputError, match="plan empty: a plan that merges units"):
        propose_internal(app, nothing)
    with pytest.raises(InputError, match="merges units of level department"):
        propose_internal(app, merger, level="department")
    with pytest.raises(InputError, match="--level"):
        propose_internal(app, merger, level="galaxy")


def test_spec_pairs_bind_the_departments() -> None:
    """A locked pair of two departments of one merged unit is merged; one that is not is refused; a
    kept-apart planted pair stays apart; target 11 leaves 11 departments per merged ministry."""
    app, merger, planted = planted_internal(2)
    dup = next(p for p in planted if p.merged and p.kind == "duplicate")
    _, apart = propose_internal(app, merger, MergeSpec(kept_apart=((dup.unit, dup.host),)))
    assert frozenset((dup.unit, dup.host)) not in _pairs(apart.units)
    _, locked = propose_internal(app, merger, MergeSpec(locked_together=(("M0.D0", "M1.D4"),)))
    assert frozenset(("M0.D0", "M1.D4")) in _pairs(locked.units)
    with pytest.raises(InputError, match="two departments of one merged unit"):
        propose_internal(app, merger, MergeSpec(locked_together=(("M4.D0", "M5.D0"),)))
    _, target = propose_internal(app, merger, MergeSpec(target=11))
    assert [u.departments_after for u in target.units] == [11, 11]


def test_the_same_input_gives_the_same_plan() -> None:
    """Deterministic: two runs give byte-identical plans."""
    app, merger, _ = planted_internal(4)
    assert propose_internal(app, merger)[0].to_json() == propose_internal(app, merger)[0].to_json()
