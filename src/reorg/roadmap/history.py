"""Synthetic progress histories (labelled synthetic wherever shown), with planted deviations and good
practices.

``synthetic_history`` makes the reports a roadmap's units would send up to a date if every step went
exactly to plan — each owner reports on its steps under way every ``every`` days and at the status
date, and reports a step done at its planned finish — then plants, on steps and units drawn with the
seed, what ``reorg.roadmap.monitor`` should find. The rate: ``plant`` of each kind (3 by default), or
``rate`` of the steps that qualify for the kind when that is more, fewer where fewer qualify:

- ``late``: a finished step stuck at 60 % past its finish (one whose dependants have not finished by
  the status date, so no later step is reported done over it);
- ``headcount``: a step under way with a headcount target reporting 30 % over it;
- ``regression``: a step under way whose tasks handed over fall in its last report;
- ``silent``: a unit whose open steps all began 60 days before and that stopped reporting then;
- ``invariant``: a pair from ``premature_pairs`` — a step reported done as planned while one it waits
  for is stuck at 60 % (that one is also planted ``late``), so the apparatus as reported breaks an
  invariant at the first;
- ``ahead`` (the good practices): a step under way 40 points ahead of plan, or a finished one reported
  done when 60 % of its time had passed, its indicators holding (no other deviation).

The planted sets are returned so a test can check all are found and none invented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from reorg.model import LEAD, Apparatus
from reorg.plan.operations import Merge, Plan
from reorg.roadmap.monitor import ProgressReport
from reorg.roadmap.schedule import Schedule

__all__ = ["History", "premature_pairs", "synthetic_history"]

NOTE = "synthetic"
_STUCK = 0.6  # share done where a late step stays
_EARLY = 0.6  # share of its time after which an early step is reported done


@dataclasses.dataclass(frozen=True)
class History:
    """The reports and what was planted: step ids per deviation kind, unit ids for ``silent``, step
    ids for ``ahead`` (the good practices)."""

    reports: tuple[ProgressReport, ...]
    planted: dict[str, frozenset[str]]


def premature_pairs(app: Apparatus, plan: Plan, sched: Schedule) -> list[tuple[str, str]]:
    """Pairs (step, step it waits for) that break an invariant when the first is done without the
    second, known from the data alone: the first merges territorial units, the second merges agencies
    inside one of them that lead a task in common (merged without them, the territory would have
    two agencies each leading that task over all of it: a task led twice)."""
    units = app.units
    terr = app.is_territorial
    leads: dict[str, set[int]] = {}
    for u, t, role in zip(
        app.duties.unit.tolist(), app.duties.task.tolist(), app.duties.role.tolist(), strict=True
    ):
        if role == LEAD:
            leads.setdefault(str(units.id[u]), set()).add(int(t))
    ops = {s.id: [plan.operations[i] for i in s.operations] for s in sched.roadmap.steps}
    out = []
    for d in sched.dependencies:
        first, second = ops[d.step], ops[d.after]
        if len(first) != 1 or len(second) != 1:
            continue
        a, b = first[0], second[0]
        if not (isinstance(a, Merge) and isinstance(b, Merge)):
            continue
        inside = [units.index.get(x) for x in b.units]
        if any(u is None or terr[u] for u in inside):
            continue
        parents = {str(units.id[int(units.parent[u])]) for u in inside if u is not None}
        shared = set.intersection(*(leads.get(x, set()) for x in b.units))
        if (
            shared
            and parents & set(a.units)
            and all(terr[units.index[x]] for x in a.units if x in units.index)
        ):
            out.append((d.step, d.after))
    return out


def _report(
    step: str, unit: str, day: dt.date, share: float, handed: float, headcount: float | None
) -> ProgressReport:
    indicators = [("tasks_handed_over", handed)]
    if headcount is not None:
        indicators.append(("headcount", headcount))
    return ProgressReport(step, day, round(share, 4), unit, NOTE, tuple(sorted(indicators)))


class _Graph:
    """The steps' successors, and which have finished by the status date."""

    def __init__(self, sched: Schedule, finished: set[int]) -> None:
        index = sched.roadmap.index
        self.succ: dict[int, list[int]] = {}
        for d in sched.dependencies:
            self.succ.setdefault(index[d.after], []).append(index[d.step])
        self.finished = finished

    def done_after(self, i: int) -> list[int]:
        """The successors of ``i`` that have finished."""
        return [j for j in self.succ.get(i, []) if j in self.finished]

    def downstream(self, i: int) -> set[int]:
        """Every finished step reached from ``i`` through finished steps."""
        seen: set[int] = set()
        stack = self.done_after(i)
        while stack:
            j = stack.pop()
            if j not in seen:
                seen.add(j)
                stack.extend(self.done_after(j))
        return seen


def synthetic_history(
    sched: Schedule,
    *,
    as_of: dt.date,
    seed: int,
    plant: int = 3,
    every: int = 7,
    rate: float = 0.0,
    premature: Sequence[tuple[str, str]] = (),
) -> History:
    """Reports up to ``as_of`` with the plants of the module docstring."""
    rng = np.random.default_rng(seed)
    steps = sched.roadmap.steps
    index = sched.roadmap.index
    day = sched.day(as_of)
    es, ef = sched.es.tolist(), sched.ef.tolist()
    under_way = [i for i in range(len(steps)) if es[i] <= day - 2 * every and ef[i] > day]
    finished = [i for i in range(len(steps)) if ef[i] <= day - every]
    graph = _Graph(sched, {i for i in range(len(steps)) if ef[i] <= day})

    def count(pool: Sequence[object]) -> int:
        return min(len(pool), max(plant, math.ceil(rate * len(pool))))

    owners_open: dict[str, list[int]] = {}
    for i in range(len(steps)):
        if es[i] <= day < ef[i] or (es[i] <= day and ef[i] > day - 60):
            owners_open.setdefault(steps[i].owner, []).append(i)
    # silent units: every step they own that is open at as_of still has time (no late step follows)
    candidates = sorted(
        u for u, rows in owners_open.items() if all(es[i] <= day - 60 < day < ef[i] for i in rows)
    )
    silent: set[str] = set(rng.permutation(candidates)[: count(candidates)].tolist()) if candidates else set()

    def free(rows: list[int]) -> list[int]:
        return [i for i in rows if steps[i].owner not in silent]

    picks: dict[str, list[int]] = {}
    taken: set[int] = set()
    # premature pairs: the waited-for step stuck (late), nothing else finished after it but the step
    # reported done and what follows it (not judged again once that one breaks)
    done_by_plan = set(finished)
    pairs = [
        (index[b], index[a])
        for b, a in premature
        if {index[a], index[b]} <= done_by_plan and steps[index[a]].owner not in silent
    ]
    pairs = [pairs[k] for k in rng.permutation(len(pairs)).tolist()]
    stuck: list[int] = []
    early: list[int] = []
    for b, a in pairs:
        if len(early) >= count(pairs):
            break
        if {a, b} & taken or not set(graph.done_after(a)) <= {b} | graph.downstream(b):
            continue
        early.append(b)
        stuck.append(a)
        taken.update((a, b, *graph.downstream(b)))
    picks["invariant"] = early
    for kind, pool in (
        ("late", [i for i in free(finished) if not graph.done_after(i)]),
        ("headcount", [i for i in free(under_way) if dict(steps[i].targets).get("headcount")]),
        ("regression", free(under_way)),
        (
            "ahead",
            [i for i in free(under_way) if (day - es[i]) / (ef[i] - es[i]) <= 0.6]
            + [i for i in free(finished) if ef[i] - es[i] >= 2],
        ),
    ):
        pool = [i for i in pool if i not in taken]
        chosen = rng.permutation(pool)[: count(pool)].tolist() if pool else []
        picks[kind] = chosen
        taken.update(chosen)
    mark = {i: kind for kind, rows in picks.items() for i in rows if kind != "invariant"}
    mark.update(dict.fromkeys(stuck, "late"))
    reports: list[ProgressReport] = []
    for i, s in enumerate(steps):
        if es[i] > day:
            continue
        reports.extend(_step_reports(sched, i, mark.get(i, ""), day, every, s.owner in silent))
    planted = {kind: frozenset(steps[i].id for i in rows) for kind, rows in picks.items()}
    planted["late"] = planted["late"] | frozenset(steps[i].id for i in stuck)
    planted["silent"] = frozenset(silent)
    return History(tuple(reports), planted)


def _step_reports(
    sched: Schedule, i: int, kind: str, day: int, every: int, silent: bool
) -> list[ProgressReport]:
    """The reports of step ``i`` up to ``day`` as planted (``kind``; ``silent``: its owner stopped
    reporting 60 days before)."""
    s = sched.roadmap.steps[i]
    es, ef = int(sched.es[i]), int(sched.ef[i])
    target = dict(s.targets).get("headcount")
    stop = day - 60 if silent else day
    if kind == "ahead" and ef <= day:  # done early (the pool has steps of 2 days or more), then silent
        ef = es + max(1, math.floor(_EARLY * (ef - es)))
    end = stop if kind == "late" else min(ef, stop)  # a late step goes on reporting, stuck
    days = list(range(es + every, end + 1, every))
    if ef <= stop and kind != "late":
        days.append(ef)
    elif stop == day:
        days.append(day)
    days = sorted(set(days))
    out = []
    for n, d in enumerate(days):
        share = min(1.0, (d - es) / (ef - es))
        if kind == "late":
            share = min(share, _STUCK)
        if kind == "ahead" and int(sched.ef[i]) > day:
            share = min(0.99, share + 0.4)
        handed = float(round(share * 10))
        if kind == "regression":  # rising by one a report, then falling by one in the last
            handed = float(n + 1 if n < len(days) - 1 or n == 0 else n - 1)
        headcount = None if target is None else target * (1.3 if kind == "headcount" else 1.0)
        out.append(_report(s.id, s.owner, sched.date(d), share, handed, headcount))
    return out
