"""What changed between two apparatuses (typically a baseline and the result of a plan), by id.

Rows are matched by id, never by position, with sorted-array set operations: units added and removed,
units per level, tasks whose lead moved, people who moved to another unit, left or arrived.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus

__all__ = ["Diff", "LeadChange", "PersonMove", "diff"]

Text = npt.NDArray[np.str_]


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
    ``headcount`` is the number of people (before, after)."""

    levels: dict[str, tuple[int, int]]
    units_added: tuple[str, ...]
    units_removed: tuple[str, ...]
    leads_moved: tuple[LeadChange, ...]
    people_moved: tuple[PersonMove, ...]
    people_released: tuple[str, ...]
    people_added: tuple[str, ...]
    headcount: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": {k: {"before": a, "after": b} for k, (a, b) in self.levels.items()},
            "units_added": list(self.units_added),
            "units_removed": list(self.units_removed),
            "leads_moved": [
                {"task": c.task, "before": list(c.before), "after": list(c.after)} for c in self.leads_moved
            ],
            "people_moved": [dataclasses.asdict(m) for m in self.people_moved],
            "people_released": list(self.people_released),
            "people_added": list(self.people_added),
            "headcount": {"before": self.headcount[0], "after": self.headcount[1]},
        }


def _text(values: npt.NDArray[Any]) -> Text:
    return values.astype(str) if len(values) else np.zeros(0, dtype="<U1")


def _levels(a: Apparatus, b: Apparatus) -> dict[str, tuple[int, int]]:
    before, after = a.units_per_level(), b.units_per_level()
    names = list(before) + [n for n in after if n not in before]
    return {n: (before.get(n, 0), after.get(n, 0)) for n in names}


def _leads(app: Apparatus) -> tuple[Text, Text]:
    """Per lead duty: its task id, and ``unit`` or ``unit@scope``."""
    d = app.duties
    rows = np.flatnonzero(d.role == LEAD)
    unit = app.units.id[d.unit[rows]]
    scope = d.scope[rows]
    label = unit.copy()
    explicit = scope >= 0
    label[explicit] = unit[explicit] + "@" + app.units.id[scope[explicit]]
    return _text(app.tasks.id[d.task[rows]]), _text(label)


def _grouped(tasks: Text, labels: Text, wanted: Text) -> dict[str, tuple[str, ...]]:
    keep = np.isin(tasks, wanted)
    t, lab = tasks[keep], labels[keep]
    order = np.lexsort((lab, t))
    t, lab = t[order], lab[order]
    cuts = np.flatnonzero(t[1:] != t[:-1]) + 1
    return {
        str(part_t[0]): tuple(dict.fromkeys(part_l.tolist()))
        for part_t, part_l in zip(np.split(t, cuts), np.split(lab, cuts), strict=True)
        if len(part_t)
    }


def _lead_changes(a: Apparatus, b: Apparatus) -> tuple[LeadChange, ...]:
    ta, la = _leads(a)
    tb, lb = _leads(b)
    sep = np.str_("\x1f")
    ka, kb = np.char.add(np.char.add(ta, sep), la), np.char.add(np.char.add(tb, sep), lb)
    changed = np.union1d(ta[~np.isin(ka, kb)], tb[~np.isin(kb, ka)])
    if len(changed) == 0:
        return ()
    before, after = _grouped(ta, la, changed), _grouped(tb, lb, changed)
    return tuple(LeadChange(str(t), before.get(str(t), ()), after.get(str(t), ())) for t in changed.tolist())


def _people(a: Apparatus, b: Apparatus) -> tuple[tuple[PersonMove, ...], tuple[str, ...], tuple[str, ...]]:
    ids_a, ids_b = _text(a.people.id), _text(b.people.id)
    common, ia, ib = np.intersect1d(ids_a, ids_b, assume_unique=True, return_indices=True)
    unit_a = _text(a.units.id[a.people.unit[ia]])
    unit_b = _text(b.units.id[b.people.unit[ib]])
    moved = np.flatnonzero(unit_a != unit_b)
    moves = tuple(
        PersonMove(p, x, y)
        for p, x, y in zip(
            common[moved].tolist(), unit_a[moved].tolist(), unit_b[moved].tolist(), strict=True
        )
    )
    released = tuple(np.setdiff1d(ids_a, ids_b, assume_unique=True).tolist())
    added = tuple(np.setdiff1d(ids_b, ids_a, assume_unique=True).tolist())
    return moves, released, added


def diff(a: Apparatus, b: Apparatus) -> Diff:
    """What changed from ``a`` to ``b``, matched by id (ids listed in sorted order)."""
    units_a, units_b = _text(a.units.id), _text(b.units.id)
    moves, released, added = _people(a, b)
    return Diff(
        levels=_levels(a, b),
        units_added=tuple(np.setdiff1d(units_b, units_a, assume_unique=True).tolist()),
        units_removed=tuple(np.setdiff1d(units_a, units_b, assume_unique=True).tolist()),
        leads_moved=_lead_changes(a, b),
        people_moved=moves,
        people_released=released,
        people_added=added,
        headcount=(len(a.people), len(b.people)),
    )
