"""propose merge: planted duplicate and contained units are found, the plan applies, the spec's rules
hold, and the Vietnam central bodies are compared with the enacted 2025 mergers."""

from __future__ import annotations

import collections
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.datasets.mergers import planted_mergers
from reorg.errors import InputError
from reorg.optimize.merge import MergeSpec, propose
from reorg.plan import apply, check
from reorg.plan.invariants import STRUCTURAL

SEEDS = range(8)


def _pairs(units: tuple[str, ...]) -> set[frozenset[str]]:
    return {frozenset(p) for p in itertools.combinations(units, 2)}


def test_planted_pairs_are_proposed_and_little_else() -> None:
    """Over 8 seeds, >= 90 % of planted pairs are proposed and <= 10 % of proposed pairs are unplanted."""
    planted_total = hits = proposed = unplanted = 0
    for seed in SEEDS:
        app, planted = planted_mergers(seed)
        truth = {frozenset((p.unit, p.host)) for p in planted}
        got: set[frozenset[str]] = set()
        for level in ("ministry", "department"):
            _, why = propose(app, level)
            for r in why.operations:
                got |= _pairs(r.units)
        planted_total += len(truth)
        hits += len(truth & got)
        proposed += len(got)
        unplanted += len(got - truth)
    assert hits / planted_total >= 0.9
    assert unplanted / max(proposed, 1) <= 0.1


def test_jaccard_alone_would_miss_the_contained_units() -> None:
    """The contained units' pairs sit below 0.5 Jaccard, yet they are proposed (containment 3/4)."""
    app, planted = planted_mergers(3)
    _, why = propose(app, "department")
    contained = [p for p in planted if p.kind == "contained" and p.level == "department"]
    found = {frozenset(r.units) for r in why.operations}
    for p in contained:
        assert frozenset((p.unit, p.host)) in found
    reports = [r for r in why.operations if any(p.unit in r.units for p in contained)]
    assert reports
    assert all(r.shared_tasks == 3 for r in reports)
    assert all(r.similarity_min == 0.75 for r in reports)


@pytest.mark.parametrize("seed", range(3))
def test_the_plan_applies_with_every_structural_invariant(seed: int) -> None:
    """Applying the ministry and department proposals leaves the structural invariants holding and
    as many units as the explanation says."""
    app, _ = planted_mergers(seed)
    for level in ("ministry", "department"):
        plan, why = propose(app, level)
        after = apply(app, plan)
        assert check(after, list(STRUCTURAL)) == []
        assert len(after.units) == len(app.units) - (why.totals["units"] - why.totals["units_after"])
        assert after.headcount.sum() == app.headcount.sum()  # nobody is lost by a merger


def test_the_same_input_gives_the_same_plan() -> None:
    """Deterministic: two runs give byte-identical plans."""
    app, _ = planted_mergers(5)
    assert propose(app, "department")[0].to_json() == propose(app, "department")[0].to_json()


def test_untouchable_kept_apart_and_caps_are_respected() -> None:
    """Untouchable and kept-apart planted pairs are not merged; a tight headcount cap binds."""
    app, planted = planted_mergers(1)
    dup = next(p for p in planted if p.kind == "duplicate" and p.level == "department")
    con = next(p for p in planted if p.kind == "contained" and p.level == "department")
    spec = MergeSpec(untouchable=(dup.unit,), kept_apart=((con.unit, con.host),))
    _, why = propose(app, "department", spec)
    merged = set().union(*(_pairs(r.units) for r in why.operations)) if why.operations else set()
    assert frozenset((dup.unit, dup.host)) not in merged
    assert frozenset((con.unit, con.host)) not in merged
    host_people = int(app.headcount[app.units.index[dup.host]])
    _, capped = propose(app, "department", MergeSpec(max_headcount=host_people + 1))
    assert all(r.headcount <= host_people + 1 for r in capped.operations if r.kind == "merge")


def test_locked_pairs_merge_and_target_is_met() -> None:
    """A locked pair of dissimilar ministries is merged; target 5 leaves 5 ministries of 10."""
    app, _ = planted_mergers(2)
    _, why = propose(app, "ministry", MergeSpec(locked_together=(("M0", "M1"),)))
    assert any({"M0", "M1"} <= set(r.units) for r in why.operations)
    _, five = propose(app, "ministry", MergeSpec(target=5, min_similarity=0.01, field_weight=1.0))
    assert five.totals["units_after"] == 5


def test_unknown_level_or_unit_is_an_input_error() -> None:
    """A level or an id that the dataset lacks is an InputError."""
    app, _ = planted_mergers(0)
    with pytest.raises(InputError, match="level"):
        propose(app, "galaxy")
    with pytest.raises(InputError, match="nowhere"):
        propose(app, "ministry", MergeSpec(untouchable=("nowhere",)))


def test_a_unit_whose_tasks_are_all_held_beside_it_is_dissolved() -> None:
    """A unit supporting two tasks, each held by a different other unit, is dissolved into one of
    them; its lead goes to the unit that supports that task; the plan applies."""
    from reorg.model import DutyRow, LevelRow, TaskRow, UnitRow, build_apparatus

    units = [UnitRow("n", "N", "nation")] + [UnitRow(u, u, "ministry", parent_id="n") for u in "abc"]
    tasks = [TaskRow(f"t{i}", f"t{i}") for i in range(8)]
    duties = [DutyRow("a", f"t{i}") for i in range(4)] + [DutyRow("b", f"t{i}") for i in range(4, 7)]
    duties += [DutyRow("c", "t0", "support"), DutyRow("c", "t7"), DutyRow("b", "t7", "support")]
    duties += [DutyRow("n", "t7", "support")]
    app = build_apparatus(
        levels=[LevelRow("nation", 0, True), LevelRow("ministry", 1)], units=units, tasks=tasks, duties=duties
    )
    plan, why = propose(app, "ministry", MergeSpec(min_similarity=0.9))
    (r,) = why.operations
    assert (r.kind, r.units[0]) == ("dissolve_held", "c")
    after = apply(app, plan)
    assert "c" not in after.units.index
    b = after.units.index["b"]
    assert after.lead_matrix[[b]].indices.tolist().count(after.tasks.index["t7"]) == 1


def test_vietnam_central_bodies_against_the_enacted_mergers() -> None:
    """With docs/specs/merge-central.toml (fixed before the comparison), 2 of the 6 enacted 2025
    central mergers are reproduced: MPI+MOF and MOT+MOC (through related fields: the district
    offices for finance and planning, and for economy and infrastructure, hold both)."""
    from reorg.datasets import vietnam

    app = vietnam.build(scale=0.005)
    spec = MergeSpec.from_toml(Path(__file__).parents[2] / "docs" / "specs" / "merge-central.toml")
    plan, why = propose(app, "ministry", spec)
    groups = [set(r.units) for r in why.operations]
    enacted = [
        {"mpi", "mof"},
        {"mot", "moc"},
        {"mard", "monre"},
        {"mic", "most"},
        {"molisa", "moha"},
        {"cema", "moha"},
    ]
    reproduced = [e for e in enacted if any(e <= g for g in groups)]
    assert reproduced == [{"mpi", "mof"}, {"mot", "moc"}]
    before = collections.Counter(v.invariant for v in check(app, list(STRUCTURAL)))
    after = collections.Counter(v.invariant for v in check(apply(app, plan), list(STRUCTURAL)))
    assert after == before  # the 3 duplicated local tasks of the baseline, nothing new


def test_the_demo_spec_is_the_fixed_spec_file() -> None:
    """The demo's CENTRAL_MERGE_SPEC equals docs/specs/merge-central.toml, and the demo proposal
    reports 2 of 6 enacted central mergers reproduced."""
    from reorg.datasets import vietnam
    from reorg.datasets.vietnam.scenario import CENTRAL_MERGE_SPEC, central_merge_proposal

    spec = MergeSpec.from_toml(Path(__file__).parents[2] / "docs" / "specs" / "merge-central.toml")
    assert spec == CENTRAL_MERGE_SPEC
    app = vietnam.build(scale=0.005)
    proposal = central_merge_proposal(app, vietnam.enacted_plan(app), 0)
    assert proposal.figures[0].value == "2 of 6"
    assert proposal.plan.name == "proposed-central-mergers"


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 50),
    min_similarity=st.floats(0.05, 1.0),
    target=st.none() | st.integers(1, 12),
    max_headcount=st.none() | st.floats(20.0, 400.0),
    method=st.sampled_from(["exact", "greedy"]),
)
def test_any_spec_gives_a_plan_that_applies(
    seed: int, min_similarity: float, target: int | None, max_headcount: float | None, method: str
) -> None:
    """For any spec, the department proposal applies with no new structural violation, keeps every
    person, respects the headcount cap and never leaves a place below its target."""
    app, _ = planted_mergers(seed, fields=4, provinces=3, duplicates=2, contained=2)
    spec = MergeSpec(min_similarity=min_similarity, target=target, max_headcount=max_headcount, method=method)
    plan, why = propose(app, "department", spec)
    after = apply(app, plan)
    assert check(after, list(STRUCTURAL)) == []
    assert after.headcount.sum() == app.headcount.sum()
    if max_headcount is not None:  # no department ends above the cap unless it started above it
        before = dict(zip(app.units.id.tolist(), app.headcount.tolist(), strict=True))
        level = after.units.level
        departments = np.flatnonzero(after.levels.name[level] == "department")
        for u in departments.tolist():
            uid = str(after.units.id[u])
            assert after.headcount[u] <= max(max_headcount, before[uid])
    if target is not None:
        assert all(g.units_after >= min(target, g.units) for g in why.groups)
