"""The enacted 2025 plan on vietnam-2024: a roadmap with parallel streams that keeps continuity, and a
deliberately bad order caught with its step, date and place."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from reorg.datasets import vietnam
from reorg.plan import AbolishLevel
from reorg.roadmap import Roadmap, build, check_continuity, dependencies, schedule

pytestmark = pytest.mark.slow
START = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def enacted():  # type: ignore[no-untyped-def]
    app = vietnam.build(scale=0.05)
    return app, vietnam.enacted_plan(app)


def test_the_enacted_plan_keeps_continuity_with_parallel_streams(enacted) -> None:  # type: ignore[no-untyped-def]
    """No break at any boundary; ministries, provinces and departments all start on day 0, and the
    communes merge only once the districts are gone."""
    app, plan = enacted
    rm = build(app, plan, start=START)
    sched = schedule(rm, dependencies(rm, app, plan))
    assert check_continuity(app, plan, sched).ok
    first = {}
    last = {}
    for i, s in enumerate(rm.steps):
        first[s.level] = min(first.get(s.level, 10**6), int(sched.es[i]))
        last[s.level] = max(last.get(s.level, 0), int(sched.ef[i]))
    assert first["ministry"] == first["province"] == first["department"] == 0
    assert last["province"] < last["ministry"]  # the provinces do not wait for the centre
    assert first["commune"] >= last["district"]


def test_a_district_level_abolished_first_is_caught(enacted) -> None:  # type: ignore[no-untyped-def]
    """The abolition put first (one day, nothing before it) is caught at its own step on day 1: a task
    it sends up would be led twice, the task and the places named."""
    app, plan = enacted
    rm = build(app, plan, start=START)
    deps = dependencies(rm, app, plan)
    k = next(i for i, op in enumerate(plan.operations) if isinstance(op, AbolishLevel))
    abolish = rm.steps[k].id
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
