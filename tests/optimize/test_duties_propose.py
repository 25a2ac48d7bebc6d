"""propose leads: after its plan every task has exactly one lead in each place; the plan is stable,
explained, and respects capacities."""

from __future__ import annotations

import numpy as np
import pytest
from diagnose_kit import make, two_provinces, unit
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.datasets import planted, synthetic
from reorg.errors import ReorgError
from reorg.model import Apparatus, DutyRow, LevelRow, TaskRow
from reorg.optimize.duties import InfeasibleError, LeadsSpec, LeadWeights, propose
from reorg.plan import apply, check
from reorg.plan.operations import Transfer

UNITS = [
    *two_provinces(),
    unit("m3", "ministry", "vn"),
    unit("p3", "province", "vn"),
    unit("d3a", "department", "p3"),
    unit("d3b", "department", "p3"),
    unit("x3", "district", "p3"),
    unit("x4", "district", "p3"),
    unit("c5", "commune", "x3"),
    unit("c6", "commune", "x3"),
    unit("c7", "commune", "x4"),
]
TASKS = [
    TaskRow("A", "A", field="land"),
    TaskRow("A.1", "A.1", field="land", parent_id="A"),
    TaskRow("A.2", "A.2", field="land", parent_id="A"),
    TaskRow("B", "B", field="health"),
    TaskRow("B.1", "B.1", field="health", parent_id="B"),
    TaskRow("C", "C"),
]
LEAD_ONCE = ["one_lead", "coverage"]


TERRITORIAL = [u.id for u in UNITS if u.level in ("nation", "province", "district", "commune")]


@st.composite
def apparatuses(draw: st.DrawFn) -> Apparatus:
    """The three-province tree with random lead and support duties, a third of them for an explicit
    scope anywhere (duplicates and gaps abound)."""
    ids = [u.id for u in UNITS]
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from([t.id for t in TASKS])),
            max_size=40,
            unique=True,
        )
    )
    duties = [
        DutyRow(
            u,
            t,
            draw(st.sampled_from(["lead", "support"])),
            scope=draw(st.sampled_from(["", "", *TERRITORIAL])) if draw(st.integers(0, 2)) == 0 else "",
        )
        for u, t in keys
    ]
    people = draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 6), max_size=10))
    return make(UNITS, duties, tasks=TASKS, people=people)


def fixed(app: Apparatus, spec: LeadsSpec | None = None) -> Apparatus:
    plan, _ = propose(app, spec)
    return apply(app, plan)


@settings(max_examples=120, derandomize=True)
@given(apparatuses())
def test_every_task_has_one_lead_in_each_place_after_the_plan(app: Apparatus) -> None:
    """After applying the plan, one_lead and coverage hold everywhere (apply refuses no transfer)."""
    assert check(fixed(app), LEAD_ONCE) == []


@settings(max_examples=40, derandomize=True)
@given(apparatuses(), st.integers(1, 4))
def test_capacities_hold_or_are_refused(app: Apparatus, cap: int) -> None:
    """With max_per_unit, the plan fixes everything and a chosen unit ends within the limit, or
    InfeasibleError says to raise it."""
    spec = LeadsSpec(max_per_unit=cap)
    try:
        plan, ex = propose(app, spec)
    except InfeasibleError:
        return  # refusals are checked against brute force in test_duties_solve
    after = apply(app, plan)
    assert check(after, LEAD_ONCE) == []
    leads = after.duties.unit[after.duties.role == 0]
    counts = np.bincount(leads, minlength=len(after.units))
    for c in ex.cells:
        assert counts[after.units.index[c.lead]] <= max(cap, _kept(app, c.lead))


def _kept(app: Apparatus, uid: str) -> int:
    """Lead duties a unit holds in the baseline (a unit already over the limit keeps them)."""
    return int(np.count_nonzero((app.duties.unit == app.units.index[uid]) & (app.duties.role == 0)))


@settings(max_examples=10, derandomize=True)
@given(st.integers(0, 2**32 - 1))
def test_planted_duplicates_and_gaps_are_all_fixed(seed: int) -> None:
    """On the planted apparatus (a task led twice nationally, a province task also led by a district,
    a commune gap, a task no one leads) every violation goes."""
    app, _ = planted.planted(seed)
    assert check(app, LEAD_ONCE) != []
    assert check(fixed(app), LEAD_ONCE) == []


@settings(max_examples=8, derandomize=True)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 2.0))
def test_synthetic_apparatus_is_fixed_and_the_plan_is_stable(seed: int, load: float) -> None:
    """On a synthetic apparatus full of duplicates and gaps: fixed, and the same seed and spec give
    the same plan byte for byte."""
    spec = LeadsSpec(LeadWeights(load=load))
    first, ex = propose(synthetic.generate(units=120, tasks=80, duties=600, people=400, seed=seed), spec)
    app = synthetic.generate(units=120, tasks=80, duties=600, people=400, seed=seed)
    second, _ = propose(app, spec)
    assert first.to_json() == second.to_json()
    assert ex.totals["cells"] > 0
    assert check(apply(app, first), LEAD_ONCE) == []


def test_duplicate_keeps_the_better_fitting_lead_and_makes_the_other_a_support() -> None:
    """Two ministries lead one land task: the one whose portfolio is land keeps it, the other supports."""
    app = make(
        two_provinces(),
        [("m1", "A"), ("m2", "A"), ("m1", "A.1"), ("m2", "B")],
        tasks=TASKS,
    )
    plan, ex = propose(app)
    (cell,) = [c for c in ex.cells if c.task == "A"]
    assert (cell.kind, cell.place, cell.leads_before, cell.lead, cell.binds) == (
        "duplicate",
        "vn",
        ("m1", "m2"),
        "m1",
        "kept",
    )
    assert cell.terms["change"] == 0.0
    ops = [plan.operations[i] for i in cell.operations]
    assert ops == [
        Transfer(task="A", from_unit="m2", role="lead"),
        Transfer(task="A", to_unit="m2", role="support", scope="vn"),
    ]
    after = apply(app, plan)
    roles = {
        (str(after.units.id[u]), int(r))
        for u, t, r in zip(after.duties.unit, after.duties.task, after.duties.role, strict=True)
        if after.tasks.id[t] == "A"
    }
    assert roles == {("m1", 0), ("m2", 1)}


def test_gap_goes_to_the_unit_of_the_place_at_the_peer_level() -> None:
    """Communes lead a task except c2: c2 itself is chosen (its peers are led at commune level)."""
    app = make(two_provinces(), [("c1", "t"), ("c3", "t"), ("c4", "t"), ("x1", "t", "support")])
    plan, ex = propose(app)
    (cell,) = ex.cells
    assert (cell.kind, cell.place, cell.lead, cell.terms["level"]) == ("gap", "c2", "c2", 0.0)
    assert plan.operations == (Transfer(task="t", to_unit="c2", role="lead", scope="c2"),)


def test_capacity_moves_a_cell_to_the_next_candidate_and_says_so() -> None:
    """m1 would lead both unled national tasks but may lead one more only: the other goes elsewhere,
    and its report names m1's capacity as what binds."""
    tasks = [TaskRow(t, t, field="land") for t in "ABK"] + [TaskRow("H", "H", field="health")]
    duties = [
        ("m1", "K"),
        ("m1", "A", "support"),
        ("m1", "B", "support"),
        ("m2", "B", "support"),
        ("m2", "H"),
    ]
    app = make(two_provinces(), duties, tasks=tasks)
    _, free = propose(app)
    assert {c.lead for c in free.cells} == {"m1"}
    plan, ex = propose(app, LeadsSpec(max_per_unit=2))
    assert sorted(c.lead for c in ex.cells) == ["m1", "m2"]
    assert ex.capacity_bound == 1
    assert [c.binds for c in ex.cells if c.lead == "m2"] == ["capacity of m1"]
    assert ex.totals["cost"] > free.totals["cost"]
    assert check(apply(app, plan), LEAD_ONCE) == []


def test_capacity_too_tight_is_refused() -> None:
    """No candidate has room for an unled task: InfeasibleError."""
    app = make(two_provinces(), [("m1", "K"), ("vn", "K2"), ("m1", "A", "support")])
    with pytest.raises(InfeasibleError, match="raise max_per_unit"):
        propose(app, LeadsSpec(max_per_unit=1))


def test_clean_apparatus_gives_an_empty_plan() -> None:
    """Nothing to fix: no operations, no cells."""
    app = make(two_provinces(), [("d1a", "t"), ("d2a", "t")])
    plan, ex = propose(app)
    assert plan.operations == ()
    assert ex.cells == ()
    assert ex.totals["cells"] == 0


def test_a_unit_keeping_two_scopes_while_giving_up_a_third_is_refused() -> None:
    """m1 leads t for p1, p2 and c1 (inside p1): giving up c1 while keeping p1 and p2 cannot be written
    as transfers (each drops every lead of the unit on the task), so propose says so."""
    duties = [DutyRow("m1", "t", "lead", scope=s) for s in ("p1", "p2", "c1")]
    app = make(two_provinces(), duties)
    with pytest.raises(ReorgError, match=r"m1 leads task t in 3 explicit scopes"):
        propose(app)


def test_without_territorial_levels_every_task_gets_one_lead_overall() -> None:
    """A company (no territorial level): the root stands for the whole territory, so a task led by two
    divisions and a team keeps one lead, and an unled task gets one."""
    levels = [LevelRow("company", 0), LevelRow("division", 1), LevelRow("team", 2)]
    units = [
        unit("co", "company"),
        unit("a", "division", "co"),
        unit("b", "division", "co"),
        unit("a1", "team", "a"),
        unit("b1", "team", "b"),
    ]
    tasks = [TaskRow(t, t, field="f") for t in "tsu"]
    duties = [("a", "t"), ("b", "t"), ("a1", "t"), ("b1", "s", "support"), ("a", "u")]
    app = make(units, duties, tasks=tasks, levels=levels)
    plan, ex = propose(app)
    assert [(c.task, c.place, c.kind, c.lead) for c in ex.cells] == [
        ("t", "co", "duplicate", "a"),
        ("s", "co", "gap", "a"),
    ]
    assert check(apply(app, plan), LEAD_ONCE) == []
