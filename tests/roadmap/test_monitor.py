"""Monitoring: roll-ups independent of report order, planted deviations all found and none invented."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roadmap_kit import START, apparatus, chain_roadmap, handover_plan, handover_roadmap

from reorg.errors import InputError
from reorg.plan import Plan
from reorg.roadmap import dependencies, schedule
from reorg.roadmap.history import synthetic_history
from reorg.roadmap.monitor import ProgressReport, check_reports, status, subtree

AS_OF = START + dt.timedelta(days=200)


def _sched(n: int = 240, seed: int = 0):  # type: ignore[no-untyped-def]
    rm = chain_roadmap(n, seed=seed)
    return schedule(rm, dependencies(rm, apparatus(), Plan("p")))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_planted_deviations_are_all_found_and_none_invented(seed: int) -> None:
    """On a seeded synthetic history, the deviations found are exactly the planted ones."""
    sched = _sched(seed=seed)
    history = synthetic_history(sched, as_of=AS_OF, seed=seed, plant=3)
    assert all(len(history.planted[k]) == 3 for k in ("late", "headcount", "regression", "ahead"))
    assert history.planted["silent"]
    found = status(sched, history.reports, as_of=AS_OF)
    kinds: dict[str, set[str]] = {}
    for d in found.deviations:
        kinds.setdefault("late" if d.kind == "delays_end" else d.kind, set()).add(d.step or d.unit)
    assert kinds.get("late", set()) == history.planted["late"]
    assert kinds.get("headcount", set()) == history.planted["headcount"]
    assert kinds.get("regression", set()) == history.planted["regression"]
    assert kinds.get("silent", set()) == history.planted["silent"]
    assert set(kinds) <= {"late", "headcount", "regression", "silent"}
    assert {g.step for g in found.good_practices} == history.planted["ahead"]


def test_evidence_is_carried() -> None:
    """A late step's deviation carries its planned end, share done and days late."""
    sched = _sched()
    history = synthetic_history(sched, as_of=AS_OF, seed=7, plant=1)
    late = [
        d for d in status(sched, history.reports, as_of=AS_OF).deviations if d.kind in ("late", "delays_end")
    ]
    evidence = dict(late[0].evidence)
    assert evidence["share"] == 0.6
    assert int(evidence["days_late"]) > 0


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_out_of_order_reports_give_the_same_rollup(rnd) -> None:  # type: ignore[no-untyped-def]
    """Reports shuffled into any arrival order give the same status, roll-up by level and overall."""
    sched = _sched(120)
    reports = list(synthetic_history(sched, as_of=AS_OF, seed=3, plant=2).reports)
    # a duplicate report on the same date with another share: the tie is broken by content
    reports.append(ProgressReport(reports[0].step, reports[0].date, 0.9, "u0"))
    in_order = status(sched, reports, as_of=AS_OF)
    rnd.shuffle(reports)
    shuffled = status(sched, reports, as_of=AS_OF)
    assert shuffled == in_order


def test_rollup_by_level_is_current_without_lower_levels() -> None:
    """A report on one level's step changes that level's roll-up at once, whatever the others sent."""
    sched = _sched(30)
    one = [ProgressReport("s0", START + dt.timedelta(days=5), 0.5, "u0")]
    rows = {r.group: r for r in status(sched, one, as_of=START + dt.timedelta(days=5)).by_level}
    assert rows["level0"].share > 0
    assert rows["level1"].share == 0
    assert rows["level0"].steps == 10  # chains 0, 3, ..., 27 of 30


def test_subtree_rollup_counts_steps_owned_below() -> None:
    """The roll-up of a unit's subtree weighs the steps owned by it and the units below it."""
    app, plan = apparatus(), handover_plan()
    rm = handover_roadmap(good=True)
    sched = schedule(rm, dependencies(rm, app, plan))
    reports = [ProgressReport("hand", START + dt.timedelta(days=14), 1.0, "d1")]
    now = status(sched, reports, as_of=START + dt.timedelta(days=14))
    p1 = subtree(now, sched, app, "p1")
    p2 = subtree(now, sched, app, "p2")
    assert (p1.steps, p1.done) == (3, 1)
    assert p1.share == pytest.approx(14 / (14 + 30 + 30), abs=1e-6)
    assert (p2.steps, p2.share) == (1, 0.0)


def test_bad_reports_are_refused() -> None:
    """A report on an unknown step, or a share outside 0..1, is refused with its row and field."""
    with pytest.raises(InputError) as err:
        check_reports([ProgressReport("s0", START, 0.1), ProgressReport("zz", START, 0.1)], ["s0"])
    assert (err.value.row, err.value.field) == (2, "step")
    with pytest.raises(InputError) as err:
        check_reports([ProgressReport("s0", START, 1.5)], ["s0"])
    assert err.value.field == "share"
