"""The facts behind the ``tree``, ``territory_partition``, ``standards`` and ``quota`` rules, each
computed once (which standard judges each unit, by level, kind and class, is ``reorg.plan.kinds``).

Each function returns arrays of facts (which units break the rule, and by how much); the invariants
(``reorg.plan.invariants``) and the diagnosis (``reorg.diagnose``) are two views of the same facts:
the invariant reads them at the rule's own threshold, a finding may read them at a configured one
(``standard_share``, ``standard_rule``, ``quota_tolerance``) and adds a severity. With the default
diagnosis thresholds, every violation has its finding and every finding its violation
(docs/invariants.md, docs/diagnosis.md). The lead rules (``one_lead``, ``coverage``) have theirs in
``reorg.plan.leads``.

Import validation (``reorg.io``) refuses a parent cycle with ``parent_cycles``, and ``apply`` refuses a
unit under a parent not ranked above it with ``ranked_below``: the same rules as ``tree``; its local
check finds a leaf outside a tier with ``tiers_missing``, the ``territory_partition`` rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.plan.kinds import applicable_standards, row_members

__all__ = [
    "QuotaFacts",
    "StandardFacts",
    "TreeFacts",
    "parent_cycles",
    "quota_facts",
    "ranked_below",
    "standard_facts",
    "standard_label",
    "tiers_missing",
    "tree_facts",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# -- tree ----------------------------------------------------------------------------------------


def ranked_below(child_rank: int, parent_rank: int) -> bool:
    """May a unit of rank ``child_rank`` sit under one of ``parent_rank``? Only when ranked strictly
    below it (rank 0 is the top)."""
    return child_rank > parent_rank


def parent_cycles(
    parent: npt.NDArray[np.integer], rows: npt.NDArray[np.integer] | None = None
) -> list[list[int]]:
    """Every cycle of the parent relation (``-1`` = no parent), each as a ring of rows starting at its
    lowest row, each row's parent next; rings ordered by their lowest row. Only walks from ``rows``
    (default: every row). Linear time, iterative."""
    parents = parent.tolist()
    starts = range(len(parents)) if rows is None else sorted(int(r) for r in rows)
    state = [0] * len(parents)  # 0 unseen, 1 on the current walk, 2 known to reach a root or a cycle
    rings = []
    for start in starts:
        if state[start]:
            continue
        walk = []
        u = start
        while u >= 0 and state[u] == 0:
            state[u] = 1
            walk.append(u)
            u = parents[u]
        if u >= 0 and state[u] == 1:
            ring = walk[walk.index(u) :]
            k = ring.index(min(ring))
            rings.append(ring[k:] + ring[:k])
        for v in walk:
            state[v] = 2
    return sorted(rings, key=lambda ring: ring[0])


@dataclasses.dataclass(frozen=True)
class TreeFacts:
    """What keeps the units from being one tree: the ``roots`` (there must be exactly one), the parent
    ``cycles`` (rings of unit rows), and the ``misranked`` children whose parent (``misranked_parent``)
    is not ranked above them."""

    roots: IntArray
    cycles: tuple[tuple[int, ...], ...]
    misranked: IntArray
    misranked_parent: IntArray

    @property
    def ok(self) -> bool:
        return len(self.roots) == 1 and not self.cycles and len(self.misranked) == 0


def tree_facts(app: Apparatus) -> TreeFacts:
    """The tree facts of ``app``; cycles are looked for only among units off the preorder."""
    units = app.units
    tin, _ = app.euler
    off = np.flatnonzero(tin < 0)
    cycles = tuple(tuple(r) for r in parent_cycles(units.parent, off)) if len(off) else ()
    rank = app.levels.rank[units.level]
    child = np.flatnonzero(units.parent >= 0)
    child = child[~(rank[child] > rank[units.parent[child]])]  # the vectorized ranked_below
    return TreeFacts(
        units.roots.astype(np.int64), cycles, child.astype(np.int64), units.parent[child].astype(np.int64)
    )


# -- territory partition -----------------------------------------------------------------------


def tiers_missing(leaf_rank: int, chain_ranks: Collection[int], tiers: Iterable[int]) -> list[int]:
    """The territorial tiers (ranks of territorial levels that have units) a territory leaf of rank
    ``leaf_rank`` belongs to no unit of: tiers ranked at or above it with no rank in ``chain_ranks``
    (the ranks of its territorial ancestors-or-self). The ``territory_partition`` invariant asks the
    same of every leaf at once, by counting the tier's territory intervals over it."""
    return [r for r in tiers if r <= leaf_rank and r not in chain_ranks]


# -- standards -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StandardFacts:
    """Each unit's area (km²) and population (people) against the minimums of the standard that judges
    it (``standard``: a row of ``app.standards``, the most specific that applies, ``reorg.plan.kinds``;
    -1 = none), and each row's count of units (of its level, kind and class) against its maximum. NaN =
    no minimum, or an unknown figure: not judged."""

    standard: IntArray  # per unit: the row judging it, -1 = none
    min_area: FloatArray  # per unit
    min_population: FloatArray  # per unit
    max_units: FloatArray  # per standards row
    counts: IntArray  # per standards row: the units it applies to
    area: FloatArray  # per unit
    population: FloatArray  # per unit
    level: IntArray  # per unit

    def area_low(self, share: float = 1.0) -> BoolArray:
        """Per unit: area under ``share`` of its standard's minimum."""
        return self.area < share * self.min_area  # NaN compares False

    def population_low(self, share: float = 1.0) -> BoolArray:
        """Per unit: population under ``share`` of its standard's minimum."""
        return self.population < share * self.min_population

    def below(self, share: float = 1.0, rule: str = "either") -> BoolArray:
        """Per unit: below standard — under ``share`` of the area or the population minimum
        (``rule="either"``, the invariant), or of both where the standard has both (``"both"``)."""
        area_low, pop_low = self.area_low(share), self.population_low(share)
        if rule == "both":
            need_area = np.isfinite(self.min_area)
            need_pop = np.isfinite(self.min_population)
            return (area_low | ~need_area) & (pop_low | ~need_pop) & (area_low | pop_low)
        return area_low | pop_low

    @property
    def over_rows(self) -> IntArray:
        """Standards rows whose units outnumber their maximum."""
        return np.flatnonzero(self.counts > self.max_units).astype(np.int64)  # NaN compares False

    @property
    def assessed(self) -> BoolArray:
        """Per unit: its standard has a minimum area or population."""
        return np.isfinite(self.min_area) | np.isfinite(self.min_population)


def standard_facts(app: Apparatus) -> StandardFacts:
    """The standards facts of ``app``."""
    st = app.standards
    standard = applicable_standards(app)
    judged = standard >= 0

    def per_unit(column: FloatArray) -> FloatArray:
        out = np.full(len(standard), np.nan)
        out[judged] = np.asarray(column, dtype=np.float64)[standard[judged]]
        return out

    counts = np.array([int(m.sum()) for m in row_members(app)], dtype=np.int64)
    units = app.units
    return StandardFacts(
        standard,
        per_unit(st.min_area_km2),
        per_unit(st.min_population),
        np.asarray(st.max_units, dtype=np.float64),
        counts,
        units.area_km2,
        units.population,
        units.level.astype(np.int64),
    )


def standard_label(app: Apparatus, row: int) -> str:
    """How a person names standards row ``row``: its level, then its kind and class when it has them
    (``commune``, ``commune, Phường``, ``commune, Xã, mountainous``)."""
    st = app.standards
    parts = [str(app.levels.name[st.level[row]]), str(st.kind[row]), str(st.unit_class[row])]
    return ", ".join(p for p in parts if p)


# -- quota ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QuotaFacts:
    """Each unit's own headcount (``people``) against its ``quota`` (NaN = none, not judged)."""

    people: IntArray
    quota: FloatArray

    def over(self, tolerance: float = 0.0) -> IntArray:
        """Units whose headcount exceeds ``quota * (1 + tolerance)`` (the invariant: tolerance 0)."""
        return np.flatnonzero(self.people > self.quota * (1 + tolerance)).astype(np.int64)

    @property
    def known(self) -> BoolArray:
        return np.isfinite(self.quota)


def quota_facts(app: Apparatus) -> QuotaFacts:
    """The quota facts of ``app``."""
    return QuotaFacts(app.headcount.astype(np.int64), app.units.quota)
