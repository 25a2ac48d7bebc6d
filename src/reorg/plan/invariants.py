"""The named rules an apparatus should satisfy, each written once.

Each invariant is a function ``Apparatus -> list[Violation]``, registered in ``INVARIANTS`` in the
order they are best read. Import validation, ``apply``, roadmap continuity and monitoring all call
these same functions (``apply`` also runs ``leads.range_conflicts`` on the leaves an operation
touched). Every check works on whole columns; Python only loops over the violations found.

- ``tree``: one root, no cycle, each child's level ranked strictly below its parent's.
- ``one_lead``: for each task, no two lead duties cover the same territory (a duplication).
- ``coverage``: each task has a lead (else it is unclear), and a task that has one is led everywhere
  (else there is a gap).
- ``territory_partition``: the units of a territorial tier do not nest, and every territory leaf at or
  below the tier has an ancestor-or-self in it.
- ``contiguity``: a territorial unit's territorial children that have neighbour data form one connected
  group.
- ``standards``: units meet their level's minimum area and population; a level has at most
  ``max_units`` units.
- ``quota``: each unit's headcount is within its quota (reported, never a reason to refuse).

docs/invariants.md explains each rule and how ``apply`` uses them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.model import Apparatus
from reorg.plan.leads import lead_ranges

__all__ = [
    "INVARIANTS",
    "OPTIONAL",
    "REPORTED",
    "STRUCTURAL",
    "Violation",
    "check",
    "contiguity",
    "coverage",
    "one_lead",
    "quota",
    "standards",
    "territory_partition",
    "tree",
]

#: always enforced by ``apply``
STRUCTURAL = ("tree", "one_lead", "coverage", "territory_partition")
#: enforced by ``apply`` when ``Plan.require`` names them
OPTIONAL = ("contiguity", "standards")
#: reported, never refused
REPORTED = ("quota",)

_SHOWN = 5  # ids spelled out in a message before "and N more"


@dataclasses.dataclass(frozen=True)
class Violation:
    """One breach of an invariant: its name, a sentence a person can act on, the ids concerned."""

    invariant: str
    message: str
    units: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "invariant": self.invariant,
            "message": self.message,
            "units": list(self.units),
            "tasks": list(self.tasks),
        }


def listing(ids: Sequence[str]) -> str:
    """``a, b, c`` or ``a, b, c, d, e and 7 more``."""
    shown = ", ".join(ids[:_SHOWN])
    return shown if len(ids) <= _SHOWN else f"{shown} and {len(ids) - _SHOWN} more"


def _ids(app: Apparatus, rows: Iterable[int] | npt.NDArray[Any]) -> tuple[str, ...]:
    return tuple(app.units.id[np.asarray(rows, dtype=np.int64)].tolist())


def _groups(keys: npt.NDArray[Any], values: npt.NDArray[Any]) -> list[tuple[int, npt.NDArray[Any]]]:
    """``values`` grouped by ``keys`` (sorted by key, values in their order within a key)."""
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    k, v = keys[order], values[order]
    cuts = np.flatnonzero(k[1:] != k[:-1]) + 1
    return [
        (int(part_k[0]), part_v) for part_k, part_v in zip(np.split(k, cuts), np.split(v, cuts), strict=True)
    ]


# -- tree ----------------------------------------------------------------------------------------


def tree(app: Apparatus) -> list[Violation]:
    """Exactly one root; every unit reachable from it (units missing from the preorder sit on a parent
    cycle); and each child's level ranked strictly below its parent's (rank 0 is the top; an agency
    level may share a rank with a territorial one, but a unit never sits under a unit of equal rank)."""
    out: list[Violation] = []
    units = app.units
    roots = units.roots
    if len(roots) != 1:
        what = "no root" if len(roots) == 0 else f"{len(roots)} roots ({listing(_ids(app, roots))})"
        out.append(
            Violation("tree", f"the unit tree must have exactly one root, found {what}", _ids(app, roots))
        )
    tin, _ = app.euler
    cycle = np.flatnonzero(tin < 0)
    if len(cycle):
        ids = _ids(app, cycle)
        out.append(Violation("tree", f"units on a parent cycle: {listing(ids)}", ids))
    rank = app.levels.rank[units.level]
    child = np.flatnonzero(units.parent >= 0)
    child = child[rank[child] <= rank[units.parent[child]]]
    for c, p in zip(child.tolist(), units.parent[child].tolist(), strict=True):
        cl, pl = app.levels.name[units.level[c]], app.levels.name[units.level[p]]
        out.append(
            Violation(
                "tree",
                f"{units.id[c]} ({cl}) sits under {units.id[p]} ({pl}), whose level is not ranked above it",
                (str(units.id[c]), str(units.id[p])),
            )
        )
    return out


# -- one lead per task and place -----------------------------------------------------------------


def one_lead(app: Apparatus) -> list[Violation]:
    """For every task, no territory leaf lies in the scope of two of its lead duties (a duplication:
    two ministries leading a national task, a province and one of its districts leading the same task
    there). One violation per task, naming the lead units involved."""
    ranges = lead_ranges(app)
    c = ranges.conflicts
    if len(c.overlap_first) == 0:
        return []
    duties = np.concatenate([ranges.duty[c.overlap_first], ranges.duty[c.overlap_second]])
    scopes = np.concatenate([ranges.scope[c.overlap_first], ranges.scope[c.overlap_second]])
    tasks = app.duties.task[duties]
    out = []
    for task, rows in _groups(tasks, np.arange(len(duties))):
        leads = _ids(app, np.unique(app.duties.unit[duties[rows]]))
        places = _ids(app, np.unique(scopes[rows]))
        out.append(
            Violation(
                "one_lead",
                f"task {app.tasks.id[task]} is led more than once in {listing(places)}: by {listing(leads)}",
                leads,
                (str(app.tasks.id[task]),),
            )
        )
    return out


def coverage(app: Apparatus) -> list[Violation]:
    """Every task has a lead (a task with none is unclear), and a task with a lead is led in every
    territory leaf (a leaf no lead's scope reaches is a gap). One violation per task; a gap's units
    are the uncovered territory leaves."""
    ranges = lead_ranges(app)
    c = ranges.conflicts
    out = []
    has_lead = np.zeros(len(app.tasks), dtype=bool)
    has_lead[app.duties.task[ranges.duty]] = True
    for task in np.flatnonzero(~has_lead).tolist():
        out.append(
            Violation(
                "coverage", f"task {app.tasks.id[task]} has no lead unit", (), (str(app.tasks.id[task]),)
            )
        )
    if len(c.gap_task):
        sizes = c.gap_hi - c.gap_lo
        positions = np.repeat(c.gap_lo - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        leaf_task = np.repeat(c.gap_task, sizes)
        for task, where in _groups(leaf_task, positions):
            leaves = _ids(app, app.territory_leaves[where])
            out.append(
                Violation(
                    "coverage",
                    f"task {app.tasks.id[task]} has no lead in {len(leaves)} place(s): {listing(leaves)}",
                    leaves,
                    (str(app.tasks.id[task]),),
                )
            )
    return out


# -- territory -----------------------------------------------------------------------------------


def _covering(starts: npt.NDArray[Any], ends: npt.NDArray[Any], points: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """How many of the intervals ``[starts, ends)`` contain each point (intervals nest or are disjoint)."""
    return np.searchsorted(np.sort(starts), points, side="right") - np.searchsorted(
        np.sort(ends), points, side="right"
    )


def territory_partition(app: Apparatus) -> list[Violation]:
    """Each territorial tier (the territorial levels of one rank) partitions the territory below it:
    no unit of the tier lies inside another unit of the tier, and every territory leaf ranked at or
    below the tier has an ancestor-or-self in it. A tier with no units (abolished) holds vacuously."""
    out: list[Violation] = []
    tin, tout = app.euler
    rank = app.levels.rank
    unit_rank = rank[app.units.level]
    leaves = app.territory_leaves
    placed = tin >= 0
    for r in np.unique(rank[app.levels.territorial]).tolist():
        tier = np.flatnonzero(app.levels.territorial & (rank == r))
        members = np.flatnonzero(np.isin(app.units.level, tier) & placed)
        if len(members) == 0:
            continue
        names = "/".join(app.levels.name[tier].tolist())
        starts, ends = tin[members], tout[members]
        nested = members[_covering(starts, ends, starts) > 1]
        for u in nested.tolist():
            out.append(
                Violation(
                    "territory_partition",
                    f"{app.units.id[u]} lies inside another {names} unit",
                    (str(app.units.id[u]),),
                )
            )
        need = leaves[unit_rank[leaves] >= r]
        missing = need[_covering(starts, ends, tin[need]) == 0]
        if len(missing):
            ids = _ids(app, missing)
            out.append(
                Violation(
                    "territory_partition",
                    f"{len(ids)} territory leaf/leaves belong to no {names} unit: {listing(ids)}",
                    ids,
                )
            )
    return out


def territorial_parent(app: Apparatus) -> npt.NDArray[np.int64]:
    """Per unit, the nearest territorial unit strictly above it (-1 for a root or a unit off the tree)."""
    parent = app.units.parent.astype(np.int64)
    up = np.where(parent >= 0, app.jurisdiction[np.maximum(parent, 0)], -1)
    return np.where(parent >= 0, up, -1).astype(np.int64)


def contiguity(app: Apparatus) -> list[Violation]:
    """A territorial unit is one connected piece of its territorial children that have neighbour data
    (children without neighbour data, e.g. islands or levels without a map, are not judged)."""
    n = len(app.units)
    terr = app.is_territorial
    up = territorial_parent(app)
    a, b = app.neighbours.a, app.neighbours.b
    has_data = np.bincount(np.concatenate([a, b]), minlength=n) > 0
    keep = terr[a] & terr[b] & (up[a] == up[b]) & (up[a] >= 0)
    graph = sp.csr_array((np.ones(int(keep.sum()), dtype=np.int8), (a[keep], b[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    judged = np.flatnonzero(terr & has_data & (up >= 0))
    pairs = np.unique(np.stack([up[judged], label[judged]]), axis=1)
    parents, counts = np.unique(pairs[0], return_counts=True)
    out = []
    for p, k in zip(parents[counts > 1].tolist(), counts[counts > 1].tolist(), strict=True):
        kids = judged[up[judged] == p]
        out.append(
            Violation(
                "contiguity",
                f"{app.units.id[p]} is not contiguous: its {len(kids)} parts form {k} separate groups",
                (str(app.units.id[p]), *_ids(app, kids)),
            )
        )
    return out


# -- standards and quota -------------------------------------------------------------------------


def standards(app: Apparatus) -> list[Violation]:
    """Units of a level meet the level's minimum area (km²) and population (people), and the level has
    no more than ``max_units`` units. A missing figure (NaN) is not judged."""
    out = []
    st = app.standards
    counts = np.bincount(app.units.level, minlength=len(app.levels))
    for i in range(len(st)):
        level = int(st.level[i])
        name = app.levels.name[level]
        members = np.flatnonzero(app.units.level == level)
        minimums = (
            (app.units.area_km2, float(st.min_area_km2[i]), "area", "km²"),
            (app.units.population, float(st.min_population[i]), "population", "people"),
        )
        for column, minimum, label, unit in minimums:
            values = column[members]
            low = values < minimum  # NaN on either side compares False
            for u, v in zip(members[low].tolist(), values[low].tolist(), strict=True):
                out.append(
                    Violation(
                        "standards",
                        f"{app.units.id[u]} ({name}) has {label} {v:,.0f} {unit}, "
                        f"below the minimum {minimum:,.0f}",
                        (str(app.units.id[u]),),
                    )
                )
        cap = float(st.max_units[i])
        if not np.isnan(cap) and counts[level] > cap:
            out.append(Violation("standards", f"level {name} has {counts[level]} units, more than {cap:.0f}"))
    return out


def quota(app: Apparatus) -> list[Violation]:
    """Each unit's own headcount (people) is within its quota; units without a quota are not judged."""
    q = app.units.quota
    over = np.flatnonzero(app.headcount > q)  # NaN compares False
    return [
        Violation(
            "quota",
            f"{app.units.id[u]} has {app.headcount[u]} people for a quota of {q[u]:.0f}",
            (str(app.units.id[u]),),
        )
        for u in over.tolist()
    ]


INVARIANTS: Mapping[str, Callable[[Apparatus], list[Violation]]] = {
    "tree": tree,
    "one_lead": one_lead,
    "coverage": coverage,
    "territory_partition": territory_partition,
    "contiguity": contiguity,
    "standards": standards,
    "quota": quota,
}


def check(app: Apparatus, names: Iterable[str] | None = None) -> list[Violation]:
    """The violations of the named invariants (all of them when ``names`` is None), in registry order."""
    wanted = list(INVARIANTS) if names is None else list(names)
    unknown = [n for n in wanted if n not in INVARIANTS]
    if unknown:
        raise ValueError(f"unknown invariant(s) {unknown}; expected some of {', '.join(INVARIANTS)}")
    return [v for name in INVARIANTS if name in wanted for v in INVARIANTS[name](app)]
