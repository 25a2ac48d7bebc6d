"""The schedule of a roadmap: critical path method on the steps and their dependencies.

Days are whole days counted from the roadmap's start (day 0). A step starts at the latest of its
``earliest`` date and the ends of the steps it depends on (earliest start, ES) and ends ``duration``
days later (EF). Going back from the end of the whole roadmap (the latest EF), each step's latest
finish (LF) is the earliest latest start of the steps that depend on it; slack = LS - ES, and the
steps with no slack form the critical path. A dependency cycle is an InputError naming its steps.
Steps with no dependency between them run in parallel: levels move at the same time wherever the
dependencies allow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.roadmap.derive import Dependency
from reorg.roadmap.steps import Roadmap
from reorg.text import listing

__all__ = ["Milestone", "Schedule", "schedule"]


@dataclasses.dataclass(frozen=True)
class Milestone:
    """A date by which something is done: every step of a level (``level``), or the whole roadmap
    (``level`` empty)."""

    name: str
    level: str
    date: dt.date
    steps: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "level": self.level, "date": self.date.isoformat(), "steps": self.steps}


@dataclasses.dataclass(frozen=True)
class Schedule:
    """Per step (in the roadmap's order): earliest and latest start and finish (days from the start),
    slack (days) and whether it is critical; ``order`` is the steps in an order that respects the
    dependencies (by earliest finish, then position); ``late`` the steps finishing after their
    deadline."""

    roadmap: Roadmap
    dependencies: tuple[Dependency, ...]
    es: npt.NDArray[np.int64]
    ef: npt.NDArray[np.int64]
    ls: npt.NDArray[np.int64]
    lf: npt.NDArray[np.int64]
    order: tuple[int, ...]

    @property
    def slack(self) -> npt.NDArray[np.int64]:
        return self.ls - self.es

    @property
    def critical(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.ls == self.es, dtype=bool)

    @property
    def days(self) -> int:
        """The length of the whole roadmap, in days."""
        return int(self.ef.max()) if len(self.ef) else 0

    @property
    def end(self) -> dt.date:
        return self.date(self.days)

    def date(self, day: int) -> dt.date:
        return self.roadmap.start + dt.timedelta(days=int(day))

    def day(self, date: dt.date) -> int:
        return (date - self.roadmap.start).days

    def critical_path(self) -> list[str]:
        """The critical steps, by earliest start."""
        crit = np.flatnonzero(self.critical)
        return [self.roadmap.steps[i].id for i in crit[np.lexsort((crit, self.es[crit]))].tolist()]

    def late(self) -> list[str]:
        """Steps whose earliest finish is after their deadline."""
        return [
            s.id
            for i, s in enumerate(self.roadmap.steps)
            if s.deadline is not None and self.date(int(self.ef[i])) > s.deadline
        ]

    def milestones(self) -> list[Milestone]:
        """When each level's steps are all done (by date), then the end of the roadmap."""
        ends: dict[str, tuple[int, int]] = {}
        for i, s in enumerate(self.roadmap.steps):
            end, count = ends.get(s.level, (0, 0))
            ends[s.level] = (max(end, int(self.ef[i])), count + 1)
        out = [Milestone(f"{lv or 'other'} done", lv, self.date(d), n) for lv, (d, n) in ends.items()]
        out.sort(key=lambda m: (m.date, m.level))
        out.append(Milestone("roadmap done", "", self.end, len(self.roadmap.steps)))
        return out

    def gantt(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Bars for a Gantt chart, by earliest start: id, name, level, owner, start and end dates,
        slack (days), critical; at most ``limit`` bars (critical ones first when cut)."""
        idx = np.lexsort((np.arange(len(self.es)), self.es))
        if limit is not None and len(idx) > limit:
            crit = self.critical
            keep = np.concatenate([idx[crit[idx]], idx[~crit[idx]]])[:limit]
            idx = keep[np.lexsort((keep, self.es[keep]))]
        out = []
        for i in idx.tolist():
            s = self.roadmap.steps[i]
            out.append(
                {
                    "id": s.id,
                    "name": s.name,
                    "level": s.level,
                    "owner": s.owner,
                    "start": self.date(int(self.es[i])).isoformat(),
                    "end": self.date(int(self.ef[i])).isoformat(),
                    "slack": int(self.ls[i] - self.es[i]),
                    "critical": bool(self.ls[i] == self.es[i]),
                }
            )
        return out


def _topological(n: int, preds: list[list[int]], succs: list[list[int]], ids: Sequence[str]) -> list[int]:
    """Positions in dependency order (ties by position); a cycle is an InputError naming its steps."""
    need = [len(p) for p in preds]
    heap = [i for i in range(n) if need[i] == 0]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        i = heapq.heappop(heap)
        order.append(i)
        for j in succs[i]:
            need[j] -= 1
            if need[j] == 0:
                heapq.heappush(heap, j)
    if len(order) < n:
        left = {i for i in range(n) if need[i] > 0}
        cycle = _cycle(left, preds)
        raise InputError(
            "roadmap",
            "dependencies without a cycle",
            field="depends",
            value=" -> ".join(ids[i] for i in cycle)
            + f" (steps {listing(ids[i] for i in sorted(set(cycle)))})",
        )
    return order


def _cycle(left: set[int], preds: list[list[int]]) -> list[int]:
    """One cycle among the steps ``left`` (each waits for another of them): follow predecessors until
    a step repeats."""
    i = min(left)
    seen: dict[int, int] = {}
    path: list[int] = []
    while i not in seen:
        seen[i] = len(path)
        path.append(i)
        i = next(p for p in preds[i] if p in left)
    ring = path[seen[i] :]
    return [*reversed(ring), ring[-1]][: len(ring) + 1]


def schedule(roadmap: Roadmap, dependencies: Sequence[Dependency]) -> Schedule:
    """Earliest and latest dates of every step (see the module docstring)."""
    index = roadmap.index
    n = len(roadmap.steps)
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for d in dependencies:
        a, b = index[d.after], index[d.step]
        preds[b].append(a)
        succs[a].append(b)
    ids = [s.id for s in roadmap.steps]
    topo = _topological(n, preds, succs, ids)
    dur = np.array([s.duration for s in roadmap.steps], dtype=np.int64)
    es = np.array(
        [max(0, (s.earliest - roadmap.start).days) if s.earliest else 0 for s in roadmap.steps],
        dtype=np.int64,
    )
    ef = es + dur
    for i in topo:
        if preds[i]:
            es[i] = max(int(es[i]), max(int(ef[p]) for p in preds[i]))
            ef[i] = es[i] + dur[i]
    end = int(ef.max()) if n else 0
    lf = np.full(n, end, dtype=np.int64)
    ls = lf - dur
    for i in reversed(topo):
        if succs[i]:
            lf[i] = min(int(ls[j]) for j in succs[i])
            ls[i] = lf[i] - dur[i]
    order = np.lexsort((np.array(topo_rank(topo)), ef))
    return Schedule(roadmap, tuple(dependencies), es, ef, ls, lf, tuple(order.tolist()))


def topo_rank(topo: list[int]) -> list[int]:
    """Per position, its rank in the topological order."""
    rank = [0] * len(topo)
    for r, i in enumerate(topo):
        rank[i] = r
    return rank
