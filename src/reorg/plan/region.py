"""The local check ``apply`` runs after each operation: did it *introduce* a duplication, a gap, an
unclear task, or a territory leaf outside a tier?

An operation only changes the territory under the units it touched (lead counts changed, units created,
removed or moved). That region is the same territory before and after the operation, cut differently.
For the tasks whose leads could differ there, both states are laid out as leaf ranges and tested with
the same ``range_conflicts`` as the ``one_lead`` and ``coverage`` invariants; the operation is refused
only for a problem present after and absent before, so what the baseline already had is inherited,
not a reason to refuse (docs/invariants.md).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.plan.leads import has_subtasks, range_conflicts
from reorg.plan.rules import tiers_missing
from reorg.plan.state import State
from reorg.text import listing

__all__ = ["check_operation"]

_MISSING = object()


class _Now:
    """The state as the operation left it."""

    def __init__(self, st: State) -> None:
        self.st = st

    def alive(self, u: int) -> bool:
        return self.st.alive[u]

    def get(self, field: str, u: int) -> Any:
        return self.st.slot(field)[u]

    def children(self, u: int) -> Iterable[int]:
        return self.st.children(u)

    def leads(self, s: int) -> Mapping[int, int]:
        return self.st.leads(s)

    def level_count(self, level: int) -> int:
        return self.st.level_count[level]


class _Before(_Now):
    """The state as the operation found it, read through the journal."""

    def alive(self, u: int) -> bool:
        return u < self.st.mark and bool(self.get("alive", u))

    def get(self, field: str, u: int) -> Any:
        value = self.st.saved[field].get(u, _MISSING)
        return self.st.slot(field)[u] if value is _MISSING else value

    def children(self, u: int) -> Iterable[int]:
        value = self.st.saved["children"].get(u, _MISSING)
        if value is _MISSING:
            return self.st.children(u)
        return self.st.base.children(u) if value is None else value

    def leads(self, s: int) -> Mapping[int, int]:
        value = self.st.saved["leads"].get(s, _MISSING)
        if value is _MISSING:
            return self.st.leads(s)
        return self.st.base.leads(s) if value is None else value

    def level_count(self, level: int) -> int:
        value = self.st.saved["level_count"].get(level, _MISSING)
        return self.st.level_count[level] if value is _MISSING else int(value)


@dataclasses.dataclass
class _Status:
    """Per task, the places led twice and the leaves not led; per tier rank, leaves outside it."""

    overlap: dict[int, set[int]] = dataclasses.field(default_factory=dict)
    gap: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    missing: dict[int, list[int]] = dataclasses.field(default_factory=dict)


def _territorial_chain(view: _Now, u: int) -> list[int]:
    out = []
    p = view.get("parent", u)
    while p >= 0:
        if view.get("terr", p):
            out.append(p)
        p = view.get("parent", p)
    return out


def _topmost(view: _Now, units: Iterable[int]) -> list[int]:
    live = {u for u in units if view.alive(u) and view.get("terr", u)}
    out = []
    for u in sorted(live):
        p = view.get("parent", u)
        while p >= 0 and p not in live:
            p = view.get("parent", p)
        if p < 0:
            out.append(u)
    return out


def _pick(counts: Mapping[int, int], tasks: set[int]) -> list[int]:
    """The tasks of ``tasks`` that ``counts`` has, each repeated by its count."""
    if len(counts) <= len(tasks):
        picked = [t for t in counts if t in tasks]
    else:
        picked = [t for t in tasks if t in counts]
    if picked and max(counts.values()) > 1 and any(counts[t] > 1 for t in picked):
        picked = [t for t in picked for _ in range(counts[t])]
    return picked


class _Layout:
    """Leaf ranges, gathered as one list of tasks per territorial unit (turned into arrays at once)."""

    def __init__(self) -> None:
        self.tasks: list[list[int]] = []
        self.lo: list[int] = []
        self.hi: list[int] = []
        self.scope: list[int] = []

    def add(self, tasks: list[int], lo: int, hi: int, scope: int) -> None:
        if tasks:
            self.tasks.append(tasks)
            self.lo.append(lo)
            self.hi.append(hi)
            self.scope.append(scope)

    def arrays(self) -> tuple[npt.NDArray[np.int64], ...]:
        sizes = np.fromiter(map(len, self.tasks), dtype=np.int64, count=len(self.tasks))
        task = np.fromiter(itertools.chain.from_iterable(self.tasks), dtype=np.int64, count=int(sizes.sum()))
        return task, *(np.repeat(np.array(c, dtype=np.int64), sizes) for c in (self.lo, self.hi, self.scope))


def _status(view: _Now, roots: list[int], tasks: set[int]) -> _Status:
    """Lay the region under ``roots`` out as leaf ranges and test the leads of ``tasks`` on it."""
    st = view.st
    rank = st.rank
    tiers = sorted(
        {rank[lv] for lv, n in enumerate(st.level_count) if st.level_terr[lv] and view.level_count(lv)}
    )
    leaves: list[int] = []
    layout = _Layout()
    terr = functools.partial(view.get, "terr")
    missing: dict[int, list[int]] = {}
    for root in roots:
        chain = _territorial_chain(view, root)
        start = len(leaves)
        above = {rank[view.get("level", a)] for a in chain}
        stack: list[tuple[int, int, frozenset[int]]] = [(root, -1, frozenset(above))]
        while stack:
            u, lo, ranks = stack.pop()
            if lo >= 0:  # leaving territorial unit u, whose leaves began at lo
                if len(leaves) == lo:
                    leaves.append(u)
                    for r in tiers_missing(rank[view.get("level", u)], ranks, tiers):
                        missing.setdefault(r, []).append(u)
                layout.add(_pick(view.leads(u), tasks), lo, len(leaves), u)
                continue
            if view.get("terr", u):
                ranks = ranks | {rank[view.get("level", u)]}
                stack.append((u, len(leaves), ranks))
            hosts = st.hosts  # agencies are searched only when a territorial unit may lie below
            stack.extend((v, -1, ranks) for v in reversed(list(view.children(u))) if v in hosts or terr(v))
        for a in chain:
            layout.add(_pick(view.leads(a), tasks), start, len(leaves), a)
    status = _Status(missing=missing)
    if not leaves:
        return status
    layout.add(sorted(tasks), 0, 0, -1)  # empty ranges: a task led nowhere here has one gap
    if not layout.tasks:
        return status
    task, lo_arr, hi_arr, scope = layout.arrays()
    found = range_conflicts(task, lo_arr, hi_arr, len(leaves))
    for i, j in zip(found.overlap_first.tolist(), found.overlap_second.tolist(), strict=True):
        status.overlap.setdefault(int(task[j]), set()).update((int(scope[i]), int(scope[j])))
    for t, a, b in zip(found.gap_task.tolist(), found.gap_lo.tolist(), found.gap_hi.tolist(), strict=True):
        if b > a:
            status.gap.setdefault(t, []).extend(leaves[a:b])
    return status


def _changed_tasks(st: State, before: _Before, now: _Now) -> tuple[set[int], set[int]]:
    """Territorial units whose lead counts really changed, and the tasks concerned."""
    units: set[int] = set()
    tasks: set[int] = set()
    for s in st.lead_dirty:
        old, new = before.leads(s), now.leads(s)
        if old != new:
            units.add(s)
            tasks.update(t for t in old.keys() | new.keys() if old.get(t) != new.get(t))
    return units, tasks


def check_operation(st: State) -> None:
    """Refuse the current operation (raise PlanError) if it introduced a violation of ``one_lead``,
    ``coverage`` or ``territory_partition`` in the territory it touched."""
    before, now = _Before(st), _Now(st)
    units, tasks = _changed_tasks(st, before, now)
    structural = st.struct | st.moved
    subtasks = has_subtasks(st.app)
    for t in st.dirty_tasks:
        if st.n_leads[t] == 0 and before_count(st, t) > 0 and not subtasks[t]:  # a heading may be unled
            tid = str(st.app.tasks.id[t])
            raise st.refuse("coverage.no_lead_left", {"task": tid}, [tid])
    if not units and not structural:
        return
    touched = units | structural
    # a unit created inside a territory is compared with that territory as it was: what the enclosing
    # unit already had (an inherited duplication) is not new in the part carved out of it
    for u in structural:
        if now.alive(u) and not before.alive(u):
            touched.update(a for a in _territorial_chain(now, u)[:1] if before.alive(a))
    for view in (before, now):  # units created, removed or reshaped: any task they lead
        for s in st.struct:
            if view.alive(s):
                tasks.update(view.leads(s))
    roots = {view: _topmost(view, touched) for view in (before, now)}
    for u in [*st.moved, *roots[before], *roots[now]]:  # a new chain above: tasks led on what differs
        was = set(_territorial_chain(before, u)) if before.alive(u) else set()
        is_ = set(_territorial_chain(now, u)) if now.alive(u) else set()
        for view, differing in ((before, was - is_), (now, is_ - was)):
            for a in differing:
                tasks.update(view.leads(a))
    if st.sourceless:
        tasks.update(t for t, n in enumerate(st.n_leads) if n > 0)
    new = _status(now, roots[now], tasks)
    suspects = set(new.overlap) | {t for t in new.gap if st.n_leads[t] > 0}
    if suspects or new.missing:  # only then is the state before needed, and only for those tasks
        _refuse_new(st, _status(before, roots[before], suspects), new)


def before_count(st: State, task: int) -> int:
    value = st.saved["n_leads"].get(task)
    return st.n_leads[task] if value is None else int(value)


def _refuse_new(st: State, old: _Status, new: _Status) -> None:
    ids, task_ids = st.ids, st.app.tasks.id
    for t in sorted(set(new.overlap) - set(old.overlap)):
        places = [ids[s] for s in sorted(new.overlap[t])]
        tid = str(task_ids[t])
        raise st.refuse("one_lead.would_duplicate", {"task": tid, "places": listing(places)}, [tid, *places])
    for t in sorted(set(new.gap) - set(old.gap)):
        if st.n_leads[t] > 0:
            leaves = [ids[s] for s in new.gap[t]]
            tid = str(task_ids[t])
            params = {"task": tid, "places": listing(leaves)}
            raise st.refuse("coverage.would_gap", params, [tid, *leaves])
    for r in sorted(set(new.missing) - set(old.missing)):
        tier = "/".join(
            str(st.app.levels.name[lv])
            for lv in range(len(st.rank))
            if st.rank[lv] == r and st.level_terr[lv]
        )
        leaves = [ids[s] for s in new.missing[r]]
        params = {"leaves": listing(leaves), "tier": tier}
        raise st.refuse("territory_partition.would_outside", params, leaves)
