"""What changed between two apparatuses (typically a baseline and the result of a plan), by id.

Rows are matched by id, never by position, with sorted-array set operations: units added and removed,
units per level (and per kind, and per level of their parent), tasks whose lead moved, people who
moved to another unit, left or arrived. ``Diff.grouped`` adds up the level counts by a grouping of
levels (the branches of a political system: party, state, legislature, front).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus, PersonEvents

__all__ = ["Diff", "LeadChange", "PersonMove", "diff"]


@dataclasses.dataclass(frozen=True)
class LeadChange:
    """A task whose lead units differ; a lead with an explicit scope reads ``unit@scope``."""

    task: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class PersonMove:
    """A person working in another unit afterwards."""

    person: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class Diff:
    """Before/after figures; ``levels`` maps a level name to its unit counts (before, after), top first;
    ``kinds`` the same per level and unit kind (e.g. ministry / ministerial-level agency), for levels
    whose units have kinds; ``parents`` the same per level and the level of the units' parent (``-``
    for a root), so that units moved under another kind of unit show; ``headcount`` is the number of
    people (before, after); ``people_events`` counts people per event (moved, released) and operation
    kind in the person event log ``b`` adds to ``a``'s (``reorg.model.events``: empty unless ``b`` came
    out of ``apply``)."""

    levels: dict[str, tuple[int, int]]
    kinds: dict[str, dict[str, tuple[int, int]]]
    units_added: tuple[str, ...]
    units_removed: tuple[str, ...]
    leads_moved: tuple[LeadChange, ...]
    people_moved: tuple[PersonMove, ...]
    people_released: tuple[str, ...]
    people_added: tuple[str, ...]
    headcount: tuple[int, int]
    people_events: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    parents: dict[str, dict[str, tuple[int, int]]] = dataclasses.field(default_factory=dict)

    def grouped(self, groups: Mapping[str, str]) -> dict[str, tuple[int, int]]:
        """Units (before, after) per group of levels: ``groups`` maps a level to its group (a branch);
        a level it does not name is a group of its own. Groups in the order their first level comes."""
        out: dict[str, tuple[int, int]] = {}
        for level, (a, b) in self.levels.items():
            group = groups.get(level, level)
            x, y = out.get(group, (0, 0))
            out[group] = (x + a, y + b)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": {k: {"before": a, "after": b} for k, (a, b) in self.levels.items()},
            "kinds": _nested(self.kinds),
            "parents": _nested(self.parents),
            "units_added": list(self.units_added),
            "units_removed": list(self.units_removed),
            "leads_moved": [
                {"task": c.task, "before": list(c.before), "after": list(c.after)} for c in self.leads_moved
            ],
            "people_moved": [dataclasses.asdict(m) for m in self.people_moved],
            "people_released": list(self.people_released),
            "people_added": list(self.people_added),
            "headcount": {"before": self.headcount[0], "after": self.headcount[1]},
            "people_events": {k: dict(v) for k, v in self.people_events.items()},
        }

    def counts(self) -> dict[str, Any]:
        """The same figures with every list replaced by its length: what a summary shows."""
        full = self.to_dict()
        return {k: len(v) if isinstance(v, list) else v for k, v in full.items()}


def _nested(counts: dict[str, dict[str, tuple[int, int]]]) -> dict[str, dict[str, dict[str, int]]]:
    return {
        outer: {k: {"before": a, "after": b} for k, (a, b) in inner.items()}
        for outer, inner in counts.items()
    }


def _codes(
    ids_a: npt.NDArray[Any], index_a: dict[str, int], ids_b: npt.NDArray[Any]
) -> npt.NDArray[np.int64]:
    """For each id of ``ids_b``, its row in ``a`` (by ``index_a``), or ``len(ids_a) + k`` for the k-th
    id that ``a`` does not have: one code space for both apparatuses, by hashing (no string sort)."""
    found = np.fromiter((index_a.get(x, -1) for x in ids_b.tolist()), dtype=np.int64, count=len(ids_b))
    new = found < 0
    found[new] = len(ids_a) + np.arange(int(new.sum()))
    return found


def _levels(a: Apparatus, b: Apparatus) -> dict[str, tuple[int, int]]:
    before, after = a.units_per_level(), b.units_per_level()
    names = list(before) + [n for n in after if n not in before]
    return {n: (before.get(n, 0), after.get(n, 0)) for n in names}


def _kind_counts(app: Apparatus) -> dict[str, dict[str, int]]:
    """Units per level name and kind (units without a kind are not counted here)."""
    has_kind = app.units.kind != ""
    return _pair_counts(app.levels.name[app.units.level[has_kind]], app.units.kind[has_kind])


def _parent_counts(app: Apparatus) -> dict[str, dict[str, int]]:
    """Units per level name and the level name of their parent (``-`` for a root)."""
    parent = app.units.parent
    above = np.where(parent >= 0, app.units.level[np.maximum(parent, 0)], -1)
    names = np.append(app.levels.name.astype(object), "-")
    return _pair_counts(app.levels.name[app.units.level], names[above])


def _pair_counts(outer: npt.NDArray[Any], inner: npt.NDArray[Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for x, y in zip(outer.tolist(), inner.tolist(), strict=True):
        per = out.setdefault(str(x), {})
        per[str(y)] = per.get(str(y), 0) + 1
    return out


def _kinds(
    a: Apparatus,
    b: Apparatus,
    levels: dict[str, tuple[int, int]],
    count: Callable[[Apparatus], dict[str, dict[str, int]]] = _kind_counts,
) -> dict[str, dict[str, tuple[int, int]]]:
    """``count`` (units per level and kind, or per level and parent level) before and after, per level
    in ``levels`` order, the largest first."""
    before, after = count(a), count(b)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for level in levels:
        x, y = before.get(level, {}), after.get(level, {})
        names = sorted(set(x) | set(y), key=lambda k: (-x.get(k, 0), -y.get(k, 0), k))
        if names:
            out[level] = {k: (x.get(k, 0), y.get(k, 0)) for k in names}
    return out


def _labels(app: Apparatus, tasks: set[str]) -> dict[str, tuple[str, ...]]:
    """The lead units (``unit@scope`` for an explicit scope) of each of ``tasks``, sorted."""
    d = app.duties
    wanted = np.isin(app.tasks.id, list(tasks))
    rows = np.flatnonzero((d.role == LEAD) & wanted[d.task])
    out: dict[str, list[str]] = {t: [] for t in tasks}
    ids = app.units.id
    for t, u, sc in zip(d.task[rows].tolist(), d.unit[rows].tolist(), d.scope[rows].tolist(), strict=True):
        out[str(app.tasks.id[t])].append(str(ids[u]) + (f"@{ids[sc]}" if sc >= 0 else ""))
    return {t: tuple(sorted(set(v))) for t, v in out.items()}


def _lead_changes(a: Apparatus, b: Apparatus, unit_b: npt.NDArray[np.int64]) -> tuple[LeadChange, ...]:
    unit_a = np.arange(len(a.units), dtype=np.int64)
    task_a = np.arange(len(a.tasks), dtype=np.int64)
    task_b = _codes(a.tasks.id, a.tasks.index, b.tasks.id)
    width = max(int(unit_b.max(initial=0)), len(a.units)) + 2
    ka = _keys(a, unit_a, task_a, width)
    kb = _keys(b, unit_b, task_b, width)
    per_task = np.int64(width) * np.int64(width)
    changed = np.union1d(ka[~np.isin(ka, kb)] // per_task, kb[~np.isin(kb, ka)] // per_task)
    if len(changed) == 0:
        return ()
    names = np.concatenate([a.tasks.id, b.tasks.id[task_b >= len(a.tasks)]])
    tasks = {str(names[t]) for t in changed.tolist()}
    before, after = _labels(a, tasks), _labels(b, tasks)
    return tuple(LeadChange(t, before[t], after[t]) for t in sorted(tasks))


def _keys(
    app: Apparatus, unit: npt.NDArray[np.int64], task: npt.NDArray[np.int64], width: int
) -> npt.NDArray[np.int64]:
    """One integer per lead duty: (task, unit, scope + 1) in the shared code spaces."""
    d = app.duties
    rows = np.flatnonzero(d.role == LEAD)
    w = np.int64(width)
    scope = d.scope[rows].astype(np.int64)
    scope_code = np.where(scope >= 0, unit[np.maximum(scope, 0)] + 1, 0)
    return (task[d.task[rows]] * w + unit[d.unit[rows]]) * w + scope_code


def _people(
    a: Apparatus, b: Apparatus, unit_b: npt.NDArray[np.int64]
) -> tuple[tuple[PersonMove, ...], tuple[str, ...], tuple[str, ...]]:
    code = _codes(a.people.id, a.people.index, b.people.id)
    there = np.flatnonzero(code < len(a.people))
    ia = code[there]
    moved = there[a.people.unit[ia] != unit_b[b.people.unit[there]]]
    moves = tuple(
        PersonMove(str(p), str(x), str(y))
        for p, x, y in zip(
            b.people.id[moved].tolist(),
            a.units.id[a.people.unit[code[moved]]].tolist(),
            b.units.id[b.people.unit[moved]].tolist(),
            strict=True,
        )
    )
    kept = np.zeros(len(a.people), dtype=bool)
    kept[ia] = True
    released = tuple(a.people.id[~kept].tolist())
    added = tuple(b.people.id[code >= len(a.people)].tolist())
    return moves, released, added


def diff(a: Apparatus, b: Apparatus) -> Diff:
    """What changed from ``a`` to ``b``, matched by id (lists in the row order of the apparatus the
    ids come from; lead lists sorted)."""
    unit_b = _codes(a.units.id, a.units.index, b.units.id)
    present = np.zeros(len(a.units), dtype=bool)
    present[unit_b[unit_b < len(a.units)]] = True
    moves, released, added = _people(a, b, unit_b)
    levels = _levels(a, b)
    return Diff(
        levels=levels,
        kinds=_kinds(a, b, levels),
        parents=_kinds(a, b, levels, _parent_counts),
        units_added=tuple(b.units.id[unit_b >= len(a.units)].tolist()),
        units_removed=tuple(a.units.id[~present].tolist()),
        leads_moved=_lead_changes(a, b, unit_b),
        people_moved=moves,
        people_released=released,
        people_added=added,
        headcount=(len(a.people), len(b.people)),
        people_events=_added_events(a, b).counts(),
    )


def _added_events(a: Apparatus, b: Apparatus) -> PersonEvents:
    """The events of ``b``'s log after those it shares with ``a``'s (a plan's result extends its
    baseline's log; otherwise all of ``b``'s)."""
    n = len(a.people_events)
    if n and len(b.people_events) >= n and np.array_equal(b.people_events.person[:n], a.people_events.person):
        return b.people_events.take(np.arange(n, len(b.people_events)))
    return b.people_events
