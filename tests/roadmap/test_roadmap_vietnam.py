"""The enacted 2025 plan on vietnam-2024: a roadmap with parallel streams that keeps continuity, and a
deliberately bad order caught with its step, date and place."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from reorg.datasets import vietnam
from reorg.plan import AbolishLevel
from reorg.roadmap import Roadmap, build, check_continuity, dependencies, schedule, streams
from reorg.roadmap.history import premature_pairs, synthetic_history
from reorg.roadmap.monitor import invariant_deviations, status
from reorg.roadmap.streams import level_tiers

pytestmark = pytest.mark.slow
START = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def enacted():  # type: ignore[no-untyped-def]
    app = vietnam.build(scale=0.05)
    return app, vietnam.enacted_plan(app)


def _abolition_step(plan, rm) -> int:  # type: ignore[no-untyped-def]
    """The position of the step that abolishes the district level."""
    k = next(i for i, op in enumerate(plan.operations) if isinstance(op, AbolishLevel))
    return next(i for i, s in enumerate(rm.steps) if k in s.operations)


def test_the_enacted_plan_keeps_continuity_with_parallel_streams(enacted) -> None:  # type: ignore[no-untyped-def]
    """No break at any boundary; the central, provincial and commune streams (steps grouped by the
    territorial tier their units act in) are under way together, the communes also while the district
    level is being abolished; the whole takes about as long as the real reform (decided early in 2025,
    local government in place on 1 July 2025: four to six months), not years."""
    app, plan = enacted
    rm = build(app, plan, start=START)
    sched = schedule(rm, dependencies(rm, app, plan))
    assert check_continuity(app, plan, sched).ok
    tiers = {s.tier: s for s in streams(app, sched)}
    central, provincial, commune = tiers["nation"], tiers["province"], tiers["commune"]
    assert central.overlaps(provincial)
    assert central.overlaps(commune)
    assert provincial.overlaps(commune)
    assert central.start == provincial.start == commune.start == START
    k = _abolition_step(plan, rm)
    abolition = (sched.date(int(sched.es[k])), sched.date(int(sched.ef[k])))
    tier_of = level_tiers(app)
    commune_days = [
        (int(sched.es[i]), int(sched.ef[i])) for i, s in enumerate(rm.steps) if tier_of[s.level] == "commune"
    ]
    assert any(sched.date(es) < abolition[0] for es, _ in commune_days)  # merges inside a district: before
    assert any(sched.date(ef) > abolition[1] for _, ef in commune_days)  # across districts: after it
    assert 90 <= sched.days <= 200


def test_a_district_level_abolished_first_is_caught(enacted) -> None:  # type: ignore[no-untyped-def]
    """The abolition put first (one day, nothing before it) is caught at its own step on day 1: a task
    it sends up would be led twice, the task and the places named."""
    app, plan = enacted
    rm = build(app, plan, start=START)
    deps = dependencies(rm, app, plan)
    abolish = rm.steps[_abolition_step(plan, rm)].id
    kept: dict[str, list[str]] = {}
    for d in deps:
        if abolish not in (d.step, d.after):
            kept.setdefault(d.step, []).append(d.after)
    steps = tuple(
        dataclasses.replace(
            s, duration=1 if s.id == abolish else s.duration + 1, depends=tuple(kept.get(s.id, ()))
        )
        for s in rm.steps
    )
    bad = Roadmap(rm.plan, START, steps, derive=False)
    result = check_continuity(app, plan, schedule(bad, dependencies(bad, app, plan)))
    first = result.first
    assert first is not None
    assert first.step == abolish
    assert first.date == START + dt.timedelta(days=1)
    assert first.invariant in ("one_lead", "coverage", "territory_partition")
    assert first.ids[0] in set(app.tasks.id.tolist()) | set(app.units.id.tolist())
    assert len(first.ids) > 1


def test_a_planted_history_of_the_enacted_roadmap_is_found_exactly(enacted) -> None:  # type: ignore[no-untyped-def]
    """Two thirds into the roadmap, a seeded synthetic history with planted deviations — provinces
    reported merged while one of their departments' merges is stuck among them — and good practices:
    every planted one is found, nothing else is."""
    app, plan = enacted
    rm = build(app, plan, start=START)
    sched = schedule(rm, dependencies(rm, app, plan))
    as_of = sched.date(sched.days * 2 // 3)
    history = synthetic_history(sched, as_of=as_of, seed=11, premature=premature_pairs(app, plan, sched))
    assert all(r.notes == "synthetic" for r in history.reports)
    flagged = invariant_deviations(app, plan, sched, history.reports, as_of=as_of)
    found = status(sched, history.reports, as_of=as_of, invariants=flagged)
    kinds: dict[str, set[str]] = {}
    for d in found.deviations:
        kinds.setdefault("late" if d.kind == "delays_end" else d.kind, set()).add(d.step or d.unit)
    planted = {k: set(v) for k, v in history.planted.items() if v and k != "ahead"}
    assert len(planted["invariant"]) == 3
    assert kinds == planted
    waits = {d.step: dict(d.evidence) for d in flagged}
    for step, evidence in waits.items():
        assert evidence["invariant"] == "one_lead"
        assert set(str(evidence["waits_for"]).split(", ")) & history.planted["late"], step
    assert {g.step for g in found.good_practices} == history.planted["ahead"]
    assert len(history.planted["ahead"]) == 3
