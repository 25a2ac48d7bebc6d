"""Properties of apply on small generated apparatuses (Hypothesis).

Each apparatus is a nation with a ministry and 1-3 provinces; a province has a department and 2-5
communes in a row of neighbours, the last commune of a province touching the first of the next:

    vn ── m (defence)
     ├── p0 ── dep0 (land)      c0_0 ─ c0_1 ─ c0_2
     └── p1 ── dep1 (land)      c1_0 ─ c1_1          (c0_2 ─ c1_0)

Every commune leads registry for itself, so the baseline holds every structural invariant.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reorg.errors import PlanError
from reorg.model import (
    Apparatus,
    DutyRow,
    LevelRow,
    NeighbourRow,
    PersonRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.plan import (
    Dissolve,
    Merge,
    MovePeople,
    NewUnit,
    Operation,
    Plan,
    Split,
    SplitPart,
    Transfer,
    apply,
    check,
)
from reorg.plan.invariants import STRUCTURAL
from reorg.plan.messages import render

LEVELS = [
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1),
    LevelRow("province", 1, True),
    LevelRow("department", 2),
    LevelRow("commune", 2, True),
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def apparatuses(draw: st.DrawFn) -> Apparatus:
    sizes = draw(st.lists(st.integers(2, 5), min_size=1, max_size=3))
    units = [UnitRow("vn", "VN", "nation", quota=3), UnitRow("m", "M", "ministry", parent_id="vn")]
    duties = [DutyRow("m", "defence")]
    people: list[PersonRow] = []
    row: list[str] = []
    for p, size in enumerate(sizes):
        units += [
            UnitRow(f"p{p}", f"P{p}", "province", parent_id="vn"),
            UnitRow(f"dep{p}", "D", "department", parent_id=f"p{p}"),
        ]
        duties.append(DutyRow(f"dep{p}", "land"))
        for c in range(size):
            cid = f"c{p}_{c}"
            area, pop = draw(st.integers(1, 100)), draw(st.integers(0, 5000))
            units.append(
                UnitRow(cid, cid, "commune", parent_id=f"p{p}", quota=2, area_km2=area, population=pop)
            )
            duties.append(DutyRow(cid, "registry"))
            row.append(cid)
    for u in [x.id for x in units]:
        people += [PersonRow(f"{u}.{k}", u) for k in range(draw(st.integers(0, 2)))]
    return build_apparatus(
        levels=LEVELS,
        units=units,
        tasks=[TaskRow(t, t) for t in ("defence", "land", "registry")],
        duties=duties,
        people=people,
        neighbours=[NeighbourRow(a, b, 1.0) for a, b in itertools.pairwise(row)],
    )


def _communes(app: Apparatus) -> list[str]:
    return [
        str(u)
        for u, lv in zip(app.units.id, app.units.level, strict=True)
        if app.levels.name[lv] == "commune"
    ]


def _valid_op(draw: st.DrawFn, app: Apparatus, step: int) -> Operation | None:
    """One operation that keeps every structural invariant of ``app``, or None when none fits."""
    kind = draw(st.sampled_from(["merge", "split", "transfer", "move"]))
    ids, parent = app.units.id, app.units.parent
    if kind == "merge":
        pairs = [
            (str(ids[a]), str(ids[b]))
            for a, b in zip(app.neighbours.a, app.neighbours.b, strict=True)
            if parent[a] == parent[b]
        ]
        if not pairs:
            return None
        a, b = draw(st.sampled_from(pairs))
        return Merge((a, b), NewUnit(draw(st.sampled_from([a, f"n{step}"])), "merged"))
    if kind == "split":
        c = draw(st.sampled_from(_communes(app)))
        share = draw(st.sampled_from([0.25, 0.5, 0.75]))
        return Split(c, (SplitPart(c, share), SplitPart(f"s{step}", 1 - share)))
    if kind == "transfer":
        province = draw(st.sampled_from([str(u) for u in ids if str(u).startswith("p")]))
        land = app.tasks.index["land"]
        holder = [
            str(ids[u])
            for u, t in zip(app.duties.unit, app.duties.task, strict=True)
            if t == land and app.jurisdiction[u] == app.units.index[province]
        ]
        target = province if holder[0] != province else "dep" + province[1:]
        return Transfer("land", from_unit=holder[0], to_unit=target)
    if len(app.people) == 0:
        return None
    person = draw(st.sampled_from(app.people.id.tolist()))
    return MovePeople(draw(st.sampled_from(ids.tolist())), people=(person,))


@st.composite
def valid_plans(draw: st.DrawFn) -> tuple[Apparatus, Plan]:
    app = draw(apparatuses())
    current, ops = app, []
    for step in range(draw(st.integers(1, 6))):
        op = _valid_op(draw, current, step)
        if op is not None:
            current = apply(current, Plan(baseline="g", operations=(op,)))
            ops.append(op)
    return app, Plan(baseline="g", operations=tuple(ops))


def _same(a: Apparatus, b: Apparatus) -> bool:
    """Every column of every table, and the lineage, identical."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if not hasattr(x, "columns"):
            if x != y:
                return False
            continue
        for (_, cx), (_, cy) in zip(x.columns(), y.columns(), strict=True):
            if cx.dtype != cy.dtype or (cx.dtype != object and cx.tobytes() != cy.tobytes()):
                return False
            if cx.dtype == object and cx.tolist() != cy.tolist():
                return False
    return True


@SETTINGS
@given(valid_plans())
def test_valid_plans_keep_every_structural_invariant(case: tuple[Apparatus, Plan]) -> None:
    """Merges of neighbours, splits, lead transfers within a territory and moves keep the invariants."""
    app, plan = case
    assert check(apply(app, plan), STRUCTURAL) == []


@SETTINGS
@given(valid_plans())
def test_headcount_is_conserved(case: tuple[Apparatus, Plan]) -> None:
    """Nobody appears or disappears through merges, splits and moves; everyone has a living unit."""
    app, plan = case
    after = apply(app, plan)
    assert sorted(after.people.id.tolist()) == sorted(app.people.id.tolist())
    assert after.headcount.sum() == app.headcount.sum()


@SETTINGS
@given(valid_plans())
def test_apply_is_deterministic(case: tuple[Apparatus, Plan]) -> None:
    """The same plan on the same baseline gives the same apparatus, byte for byte on every column."""
    app, plan = case
    assert _same(apply(app, plan), apply(app, plan))


INVALID = ["levels", "unknown", "second_lead", "not_adjacent", "root", "shares"]


def _invalid_op(app: Apparatus, kind: str) -> tuple[Operation, str]:
    communes = _communes(app)
    if kind == "levels":
        return Merge((communes[0], "p0"), NewUnit("x", "X")), "operation"
    if kind == "unknown":
        return Merge((communes[0], "nowhere"), NewUnit("x", "X")), "operation"
    if kind == "second_lead":
        return Transfer("registry", to_unit="dep0"), "one_lead"
    if kind == "not_adjacent":
        return Merge(("c0_0", "c0_2"), NewUnit("x", "X")), "contiguity"  # when still apart (see _apart)
    if kind == "root":
        return Dissolve("vn"), "tree"
    return Split(communes[0], (SplitPart(communes[0], 0.5), SplitPart("x", 0.4))), "operation"


def _apart(app: Apparatus) -> tuple[str, str] | None:
    """Two communes of one province, both with neighbours, that do not neighbour each other."""
    adjacency = app.adjacency
    communes = [app.units.index[c] for c in _communes(app)]
    for a, b in itertools.combinations(communes, 2):
        same = app.units.parent[a] == app.units.parent[b]
        if same and adjacency[a].nnz and adjacency[b].nnz and not adjacency[a, b]:
            return str(app.units.id[a]), str(app.units.id[b])
    return None


@SETTINGS
@given(valid_plans(), st.sampled_from(INVALID))
def test_invalid_operations_are_refused_with_their_invariant(case: tuple[Apparatus, Plan], kind: str) -> None:
    """After any valid prefix, an invalid operation is refused, naming its position and invariant."""
    app, plan = case
    first = apply(app, plan)
    op, invariant = _invalid_op(first, kind)
    if kind == "not_adjacent":
        apart = _apart(first)
        if apart is None:
            return
        op = Merge(apart, NewUnit("x", "X"))
    bad = dataclasses.replace(plan, operations=(*plan.operations, op))
    with pytest.raises(PlanError) as caught:
        apply(app, bad)
    assert (caught.value.operation, caught.value.invariant) == (len(plan.operations), invariant)
    assert str(caught.value).endswith(render(caught.value.template, caught.value.params))


@st.composite
def any_operation(draw: st.DrawFn, app: Apparatus) -> Operation:
    """A transfer, merge of siblings or dissolve drawn without regard to whether it is valid."""
    ids = app.units.id.tolist()
    kind = draw(st.sampled_from(["transfer", "merge", "dissolve"]))
    if kind == "transfer":
        task = draw(st.sampled_from(app.tasks.id.tolist()))
        return Transfer(
            task, from_unit=draw(st.sampled_from(["", *ids])), to_unit=draw(st.sampled_from(["", *ids]))
        )
    if kind == "merge":
        u = draw(st.sampled_from(ids[1:]))
        siblings = [
            str(x) for x in app.units.id[app.units.parent == app.units.parent[app.units.index[u]]] if x != u
        ]
        same = [
            s for s in siblings if app.units.level[app.units.index[s]] == app.units.level[app.units.index[u]]
        ]
        if not same:
            return Dissolve(u)
        return Merge((u, draw(st.sampled_from(same))), NewUnit(u, "merged"))
    return Dissolve(draw(st.sampled_from(ids[1:])))


def _attempt(app: Apparatus, op: Operation) -> Apparatus | PlanError:
    try:
        return apply(app, Plan(baseline="g", operations=(op,), require=()))
    except PlanError as error:
        return error


@SETTINGS
@given(st.data())
def test_local_checks_agree_with_the_invariants(data: st.DataObject) -> None:
    """Whatever is drawn, apply either yields an apparatus the full check finds clean or refuses a
    named operation: the safety net never has to catch what the per-operation check missed."""
    app = data.draw(apparatuses())
    current, ops = app, []
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(any_operation(current))
        outcome = _attempt(current, op)
        if isinstance(outcome, PlanError):
            assert outcome.operation == 0, outcome
            assert str(outcome).endswith(render(outcome.template, outcome.params))
            continue
        current = outcome
        ops.append(op)
        assert check(current, STRUCTURAL) == []
    assert np.array_equal(
        apply(app, Plan(baseline="g", operations=tuple(ops), require=())).units.parent, current.units.parent
    )
