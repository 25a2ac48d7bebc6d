"""Synthetic progress histories (labelled synthetic wherever shown), with planted deviations.

``synthetic_history`` makes the reports a roadmap's units would send up to a date if every step went
exactly to plan — each owner reports on its steps under way every ``every`` days and at the status
date, and reports a step done at its planned finish — then plants, on steps and units drawn with the
seed, the deviations ``reorg.roadmap.monitor`` should find: ``late`` steps stuck at 60 % past their
finish, ``headcount`` 30 % over target, ``regression`` (tasks handed over falling in the last report),
``silent`` units that stopped reporting 60 days before, and ``ahead`` steps 40 points ahead of plan
(the good practices). The planted sets are returned so a test can check all are found and none invented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from reorg.roadmap.monitor import ProgressReport
from reorg.roadmap.schedule import Schedule

__all__ = ["History", "synthetic_history"]

NOTE = "synthetic"


@dataclasses.dataclass(frozen=True)
class History:
    """The reports and what was planted: step ids per deviation kind, unit ids for ``silent``, step
    ids for ``ahead``."""

    reports: tuple[ProgressReport, ...]
    planted: dict[str, frozenset[str]]


def _report(
    step: str, unit: str, day: dt.date, share: float, handed: float, headcount: float | None
) -> ProgressReport:
    indicators = [("tasks_handed_over", handed)]
    if headcount is not None:
        indicators.append(("headcount", headcount))
    return ProgressReport(step, day, round(share, 4), unit, NOTE, tuple(sorted(indicators)))


def synthetic_history(
    sched: Schedule, *, as_of: dt.date, seed: int, plant: int = 3, every: int = 7
) -> History:
    """Reports up to ``as_of`` with ``plant`` deviations of each kind (fewer where too few steps fit)."""
    rng = np.random.default_rng(seed)
    steps = sched.roadmap.steps
    day = sched.day(as_of)
    es, ef = sched.es.tolist(), sched.ef.tolist()
    under_way = [i for i in range(len(steps)) if es[i] <= day - 2 * every and ef[i] > day]
    finished = [i for i in range(len(steps)) if ef[i] <= day - every]
    owners_open: dict[str, list[int]] = {}
    for i in range(len(steps)):
        if es[i] <= day < ef[i] or (es[i] <= day and ef[i] > day - 60):
            owners_open.setdefault(steps[i].owner, []).append(i)
    # silent units: every step they own that is open at as_of still has time (no late step follows)
    candidates = sorted(
        u for u, rows in owners_open.items() if all(es[i] <= day - 60 < day < ef[i] for i in rows)
    )
    silent: set[str] = set(rng.permutation(candidates)[:plant].tolist()) if candidates else set()

    def free(rows: list[int]) -> list[int]:
        return [i for i in rows if steps[i].owner not in silent]

    picks: dict[str, list[int]] = {}
    taken: set[int] = set()
    for kind, pool in (
        ("late", free(finished)),
        ("headcount", [i for i in free(under_way) if dict(steps[i].targets).get("headcount")]),
        ("regression", free(under_way)),
        ("ahead", [i for i in free(under_way) if (day - es[i]) / (ef[i] - es[i]) <= 0.6]),
    ):
        pool = [i for i in pool if i not in taken]
        chosen = rng.permutation(pool)[:plant].tolist() if pool else []
        picks[kind] = chosen
        taken.update(chosen)
    mark = {i: kind for kind, rows in picks.items() for i in rows}
    reports: list[ProgressReport] = []
    for i, s in enumerate(steps):
        if es[i] > day:
            continue
        target = dict(s.targets).get("headcount")
        kind = mark.get(i, "")
        stop = day - 60 if s.owner in silent else day
        end = stop if kind == "late" else min(ef[i], stop)  # a late step goes on reporting, stuck
        days = list(range(es[i] + every, end + 1, every))
        if ef[i] <= stop and kind != "late":
            days.append(ef[i])
        elif stop == day:
            days.append(day)
        days = sorted(set(days))
        for n, d in enumerate(days):
            share = min(1.0, (d - es[i]) / (ef[i] - es[i]))
            if kind == "late":
                share = min(share, 0.6)
            if kind == "ahead":
                share = min(0.99, share + 0.4)
            handed = float(round(share * 10))
            if kind == "regression":  # rising by one a report, then falling by one in the last
                handed = float(n + 1 if n < len(days) - 1 or n == 0 else n - 1)
            headcount = None if target is None else target * (1.3 if kind == "headcount" else 1.0)
            reports.append(_report(s.id, s.owner, sched.date(d), share, handed, headcount))
    planted = {kind: frozenset(steps[i].id for i in rows) for kind, rows in picks.items()}
    planted["silent"] = frozenset(silent)
    return History(tuple(reports), planted)
