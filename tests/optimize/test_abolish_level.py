"""propose abolish: every task the level led goes up or down by the rule, nothing is left without a
lead, the plan applies; on vietnam-2024 the district tasks go where the enacted plan sends them."""

from __future__ import annotations

import collections

import pytest

from reorg.datasets import planted
from reorg.errors import InputError
from reorg.model import DutyRow, LevelRow, PersonRow, TaskRow, UnitRow, build_apparatus
from reorg.optimize.abolish import AbolishSpec, propose_abolish
from reorg.plan import apply, check
from reorg.plan.invariants import STRUCTURAL


def _counts(app: object) -> collections.Counter[str]:
    return collections.Counter(v.invariant for v in check(app, list(STRUCTURAL)))  # type: ignore[arg-type]


def _small() -> object:
    """n ── p (province) ── dept (agency), x (district) ── xo (office), c1, c2 (communes); y (district
    without communes). t.dup led by dept, xo (for x) and y; t.dist by x and y; t.com by c1, c2, y."""
    levels = [
        LevelRow("nation", 0, True),
        LevelRow("province", 1, True),
        LevelRow("department", 2),
        LevelRow("district", 2, True),
        LevelRow("office", 3),
        LevelRow("commune", 3, True),
    ]
    units = [
        UnitRow("n", "N", "nation"),
        UnitRow("p", "P", "province", parent_id="n"),
        UnitRow("dept", "Dept", "department", parent_id="p"),
        UnitRow("x", "X", "district", parent_id="p"),
        UnitRow("xo", "XO", "office", parent_id="x"),
        UnitRow("c1", "C1", "commune", parent_id="x"),
        UnitRow("c2", "C2", "commune", parent_id="x"),
        UnitRow("y", "Y", "district", parent_id="p", area_km2=5.0),
    ]
    tasks = [TaskRow(t, t, field="f") for t in ("t.dup", "t.dist", "t.com", "t.nat")]
    duties = [
        DutyRow("dept", "t.dup"),
        DutyRow("xo", "t.dup"),
        DutyRow("y", "t.dup"),
        DutyRow("x", "t.dist"),
        DutyRow("y", "t.dist"),
        DutyRow("c1", "t.com"),
        DutyRow("c2", "t.com"),
        DutyRow("y", "t.com"),
        DutyRow("n", "t.nat"),
        DutyRow("xo", "t.com", "support"),
        DutyRow("dept", "t.dist", "support"),
    ]
    people = [PersonRow(f"xo{i}", "xo") for i in range(3)] + [PersonRow("x0", "x"), PersonRow("d0", "dept")]
    return build_apparatus(levels=levels, units=units, tasks=tasks, duties=duties, people=people)


def test_each_task_goes_by_the_rule_and_the_plan_applies() -> None:
    """t.dup is led above (by dept) in both districts: up; t.dist goes down (preferred), t.com too (led
    below, by x's communes); y without communes
    first gets a commune; the office's staff go to the department; no violation after."""
    app = _small()
    plan, why = propose_abolish(app, "district")  # type: ignore[arg-type]
    ways = {t.task: (t.direction, t.reason) for t in why.tasks}
    assert ways == {
        "t.dup": ("up", "led above"),
        "t.dist": ("down", "preferred"),
        "t.com": ("down", "led below"),
    }
    assert [op.op for op in plan.operations] == ["create", "move_people", "abolish_level"]
    assert why.totals["units_created"] == 1
    assert [(a.unit, a.successor, a.people) for a in why.agencies] == [("xo", "dept", 3)]
    after = apply(app, plan)  # type: ignore[arg-type]
    assert check(after, list(STRUCTURAL)) == []
    assert why.violations_after == {}
    assert why.violations_before == {"one_lead": 1}
    assert after.headcount.sum() == 5  # nobody is lost
    dist = after.tasks.index["t.dist"]
    leads = {str(after.units.id[u]) for u in after.lead_matrix[:, [dist]].nonzero()[0].tolist()}
    assert leads == {"c1", "c2", "y.commune"}


def test_prefer_up_sends_tasks_to_the_province() -> None:
    """With prefer = up, t.dist goes to the province; t.com, led by communes of x, still goes down
    (up, y's lead would cover them too); no task without a lead."""
    app = _small()
    plan, why = propose_abolish(app, "district", AbolishSpec(prefer="up"))  # type: ignore[arg-type]
    assert {t.task: t.direction for t in why.tasks} == {"t.dup": "up", "t.dist": "up", "t.com": "down"}
    assert check(apply(app, plan), list(STRUCTURAL)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(3))
def test_on_the_planted_apparatus_nothing_gets_worse(seed: int) -> None:
    """Abolishing districts of the planted apparatus (full of planted defects) leaves no structural
    invariant with more violations than before."""
    app, _ = planted.planted(seed)
    plan, why = propose_abolish(app, "district")
    before, after = _counts(app), _counts(apply(app, plan))
    assert all(after[k] <= before[k] for k in after)
    assert dict(after) == dict(why.violations_after)


def test_unknown_or_root_level_is_an_input_error() -> None:
    """A level the dataset lacks, or the root's level, is refused."""
    app = _small()
    with pytest.raises(InputError, match="galaxy"):
        propose_abolish(app, "galaxy")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="below the root"):
        propose_abolish(app, "nation")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="prefer"):
        AbolishSpec(prefer="sideways")  # type: ignore[arg-type]


def test_vietnam_district_abolition_matches_the_enacted_handling() -> None:
    """vietnam-2024, propose abolish district: the 3 tasks duplicated between province and district
    go up and the district tasks go down, as the enacted plan does; the 5 island districts get a
    commune first (the enacted special zones); afterwards no lead is duplicated or missing in a
    district task."""
    from reorg.datasets import vietnam

    app = vietnam.build(scale=0.005)
    plan, why = propose_abolish(app, "district")
    (enacted,) = [op for op in vietnam.enacted_plan(app).operations if op.op == "abolish_level"]
    (ours,) = [op for op in plan.operations if op.op == "abolish_level"]
    assert (ours.duties, ours.overrides) == (enacted.duties, enacted.overrides)  # type: ignore[attr-defined]
    assert why.totals["units_created"] == 5
    # the three tasks duplicated between province and district are fixed; what else the baseline
    # duplicates (a national task of the political system) is inherited, not the abolition's
    assert why.violations_after == {"one_lead": why.violations_before["one_lead"] - 3}
    after = apply(app, plan)
    left = {t for v in check(after, ["one_lead", "coverage"]) for t in v.tasks}
    assert not left & {"loc.inspection", "loc.social-protection", "loc.food-safety"}
    assert why.lead_transfers == 0
