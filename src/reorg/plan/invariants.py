"""The named rules an apparatus should satisfy, each written once.

Each invariant is a function ``Apparatus -> list[Violation]``, registered in ``INVARIANTS`` in the
order they are best read. Import validation, ``apply``, roadmap continuity and monitoring all call
these same functions (``apply`` also runs ``leads.range_conflicts`` on the leaves an operation
touched). The facts behind a rule are computed once, in ``reorg.plan.leads`` (one_lead, coverage) and
``reorg.plan.rules`` (tree, standards, quota); the diagnosis reads the same facts. Every check works on
whole columns; Python only loops over the violations found. Messages are rendered from the catalogue
in ``reorg.plan.messages``.

- ``tree``: one root, no cycle, each child's level ranked strictly below its parent's.
- ``one_lead``: for each task, no two lead duties cover the same territory (a duplication).
- ``coverage``: each task has a lead (else it is unclear) unless it is a catalogue heading (sub-tasks,
  no lead), and a task that has one is led everywhere (else there is a gap).
- ``territory_partition``: the units of a territorial tier do not nest, and every territory leaf at or
  below the tier has an ancestor-or-self in it.
- ``contiguity``: a territorial unit's territorial children that have neighbour data form one connected
  group.
- ``standards``: units meet the minimum area and population of the most specific standard for their
  level, kind and class; a standards row applies to at most its ``max_units`` units.
- ``quota``: each unit's headcount is within its quota (reported, never a reason to refuse).

docs/invariants.md explains each rule and how ``apply`` uses them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.model import Apparatus
from reorg.plan.leads import task_leads
from reorg.plan.messages import Param, render
from reorg.plan.rules import quota_facts, standard_facts, standard_label, tree_facts
from reorg.text import listing

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
    "violation",
]

#: always enforced by ``apply``
STRUCTURAL = ("tree", "one_lead", "coverage", "territory_partition")
#: enforced by ``apply`` when ``Plan.require`` names them
OPTIONAL = ("contiguity", "standards")
#: reported, never refused
REPORTED = ("quota",)


@dataclasses.dataclass(frozen=True)
class Violation:
    """One breach of an invariant: its name, a sentence a person can act on, the ids concerned, and the
    catalogue key and parameters the sentence was rendered from (``reorg.plan.messages``)."""

    invariant: str
    message: str
    units: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    template: str = ""
    params: Mapping[str, Param] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "invariant": self.invariant,
            "message": self.message,
            "units": list(self.units),
            "tasks": list(self.tasks),
            "template": self.template,
            "params": dict(self.params),
        }


def violation(
    template: str, params: Mapping[str, Param], units: Iterable[str] = (), tasks: Iterable[str] = ()
) -> Violation:
    """The Violation of ``template`` (key ``<invariant>.<case>``) with its message rendered."""
    return Violation(
        template.split(".", 1)[0],
        render(template, params),
        tuple(units),
        tuple(tasks),
        template,
        MappingProxyType(dict(params)),
    )


def _ids(app: Apparatus, rows: Iterable[int] | npt.NDArray[Any]) -> tuple[str, ...]:
    return tuple(app.units.id[np.asarray(rows, dtype=np.int64)].tolist())


# -- tree ----------------------------------------------------------------------------------------


def tree(app: Apparatus) -> list[Violation]:
    """Exactly one root; no parent cycle; and each child's level ranked strictly below its parent's
    (rank 0 is the top; an agency level may share a rank with a territorial one, but a unit never sits
    under a unit of equal rank). One violation for the roots, one per cycle, one per misranked child
    (facts: ``reorg.plan.rules.tree_facts``)."""
    out: list[Violation] = []
    facts = tree_facts(app)
    levels = app.levels.name[app.units.level]
    if len(facts.roots) == 0:
        out.append(violation("tree.no_root", {}))
    elif len(facts.roots) > 1:
        roots = _ids(app, facts.roots)
        out.append(violation("tree.roots", {"count": len(roots), "roots": listing(roots)}, roots))
    for ring in facts.cycles:
        ids = _ids(app, ring)
        out.append(violation("tree.cycle", {"units": listing(ids)}, ids))
    for c, p in zip(facts.misranked.tolist(), facts.misranked_parent.tolist(), strict=True):
        child, parent = str(app.units.id[c]), str(app.units.id[p])
        params = {
            "child": child,
            "child_level": str(levels[c]),
            "parent": parent,
            "parent_level": str(levels[p]),
        }
        out.append(violation("tree.rank", params, (child, parent)))
    return out


# -- one lead per task and place -----------------------------------------------------------------


def one_lead(app: Apparatus) -> list[Violation]:
    """For every task, no territory leaf lies in the scope of two of its lead duties (a duplication:
    two ministries leading a national task, a province and one of its districts leading the same task
    there, or one unit leading a place and a part of it again). One violation per task, naming the
    lead units involved (facts: ``reorg.plan.leads.task_leads``)."""
    facts = task_leads(app)
    out = []
    for task in facts.duplicated_tasks.tolist():
        at = facts.pairs(task)
        leads = _ids(app, np.unique(np.concatenate([facts.pair_outer[at], facts.pair_inner[at]])))
        places = _ids(
            app, np.unique(np.concatenate([facts.pair_outer_scope[at], facts.pair_inner_scope[at]]))
        )
        tid = str(app.tasks.id[task])
        params: dict[str, Param] = {"task": tid, "places": listing(places), "leads": listing(leads)}
        out.append(violation("one_lead.duplicate", params, leads, (tid,)))
    return out


def coverage(app: Apparatus) -> list[Violation]:
    """Every task has a lead (a task with none is unclear), unless it is a catalogue heading (it has
    sub-tasks and no lead: not a responsibility); and a task with a lead is led in every territory leaf
    (a leaf no lead's scope reaches is a gap). One violation per task; a gap's units are the uncovered
    territory leaves (facts: ``reorg.plan.leads.task_leads``)."""
    facts = task_leads(app)
    out = []
    for task in facts.unclear_tasks.tolist():
        tid = str(app.tasks.id[task])
        out.append(violation("coverage.no_lead", {"task": tid}, (), (tid,)))
    for task in facts.gap_tasks.tolist():
        leaves = _ids(app, app.territory_leaves[facts.gap_leaves(task)])
        tid = str(app.tasks.id[task])
        params: dict[str, Param] = {"task": tid, "count": len(leaves), "places": listing(leaves)}
        out.append(violation("coverage.gap", params, leaves, (tid,)))
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
            uid = str(app.units.id[u])
            out.append(violation("territory_partition.nested", {"unit": uid, "tier": names}, (uid,)))
        need = leaves[unit_rank[leaves] >= r]
        missing = need[_covering(starts, ends, tin[need]) == 0]
        if len(missing):
            ids = _ids(app, missing)
            params: dict[str, Param] = {"count": len(ids), "tier": names, "leaves": listing(ids)}
            out.append(violation("territory_partition.outside", params, ids))
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
        uid = str(app.units.id[p])
        params: dict[str, Param] = {"unit": uid, "parts": len(kids), "groups": k}
        out.append(violation("contiguity.pieces", params, (uid, *_ids(app, kids))))
    return out


# -- standards and quota -------------------------------------------------------------------------


def standards(app: Apparatus) -> list[Violation]:
    """Units meet the minimum area (km²) and population (people) of the standard that judges them (the
    most specific row for their level, kind and class: ``reorg.plan.kinds``), and no standards row
    applies to more than its ``max_units`` units. A missing figure (NaN) is not judged. One violation
    per unit below standard (on area, population or both) and per row over its maximum (facts:
    ``reorg.plan.rules.standard_facts``)."""
    facts = standard_facts(app)
    area_low, pop_low = facts.area_low(), facts.population_low()
    out = []
    for u in np.flatnonzero(area_low | pop_low).tolist():
        uid = str(app.units.id[u])
        params: dict[str, Param] = {
            "unit": uid,
            "level": str(app.levels.name[facts.level[u]]),
            "standard": standard_label(app, int(facts.standard[u])),
        }
        if area_low[u]:
            params.update(area=float(facts.area[u]), min_area=float(facts.min_area[u]))
        if pop_low[u]:
            params.update(
                population=float(facts.population[u]), min_population=float(facts.min_population[u])
            )
        if area_low[u] and pop_low[u]:
            template = "standards.both"
        else:
            template = "standards.area" if area_low[u] else "standards.population"
        out.append(violation(template, params, (uid,)))
    st = app.standards
    for r in facts.over_rows.tolist():
        params = {
            "level": str(app.levels.name[st.level[r]]),
            "count": int(facts.counts[r]),
            "max_units": float(facts.max_units[r]),
        }
        if st.kind[r] or st.unit_class[r]:
            params["standard"] = standard_label(app, r)
            out.append(violation("standards.max_units_of", params))
        else:
            out.append(violation("standards.max_units", params))
    return out


def quota(app: Apparatus) -> list[Violation]:
    """Each unit's own headcount (people) is within its quota; units without a quota are not judged
    (facts: ``reorg.plan.rules.quota_facts``)."""
    facts = quota_facts(app)
    out = []
    for u in facts.over().tolist():
        uid = str(app.units.id[u])
        params: dict[str, Param] = {
            "unit": uid,
            "people": int(facts.people[u]),
            "quota": float(facts.quota[u]),
        }
        out.append(violation("quota.over", params, (uid,)))
    return out


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
