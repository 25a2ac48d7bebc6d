"""The facts behind the ``tree``, ``territory_partition``, ``standards`` and ``quota`` rules, each
computed once.

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

__all__ = [
    "QuotaFacts",
    "StandardFacts",
    "TreeFacts",
    "parent_cycles",
    "quota_facts",
    "ranked_below",
    "standard_facts",
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
    """Each unit's area (km²) and population (people) against its level's minimums, and each level's
    count of units against its maximum. Several standards rows for one level combine to the strictest
    (the largest minimum, the smallest maximum); NaN = no standard, or an unknown figure, not judged."""

    min_area: FloatArray  # per level
    min_population: FloatArray  # per level
    max_units: FloatArray  # per level
    counts: IntArray  # units per level
    area: FloatArray  # per unit
    population: FloatArray  # per unit
    level: IntArray  # per unit

    def area_low(self, share: float = 1.0) -> BoolArray:
        """Per unit: area under ``share`` of its level's minimum."""
        return self.area < share * self.min_area[self.level]  # NaN compares False

    def population_low(self, share: float = 1.0) -> BoolArray:
        """Per unit: population under ``share`` of its level's minimum."""
        return self.population < share * self.min_population[self.level]

    def below(self, share: float = 1.0, rule: str = "either") -> BoolArray:
        """Per unit: below standard — under ``share`` of the area or the population minimum
        (``rule="either"``, the invariant), or of both where the level has both (``"both"``)."""
        area_low, pop_low = self.area_low(share), self.population_low(share)
        if rule == "both":
            need_area = np.isfinite(self.min_area[self.level])
            need_pop = np.isfinite(self.min_population[self.level])
            return (area_low | ~need_area) & (pop_low | ~need_pop) & (area_low | pop_low)
        return area_low | pop_low

    @property
    def over_levels(self) -> IntArray:
        """Levels with more units than their maximum."""
        return np.flatnonzero(self.counts > self.max_units).astype(np.int64)  # NaN compares False

    @property
    def assessed(self) -> BoolArray:
        """Per unit: its level has a minimum area or population."""
        return np.isfinite(self.min_area[self.level]) | np.isfinite(self.min_population[self.level])


def standard_facts(app: Apparatus) -> StandardFacts:
    """The standards facts of ``app``."""
    n = len(app.levels)
    st = app.standards
    limits = []
    for column, pick in ((st.min_area_km2, np.fmax), (st.min_population, np.fmax), (st.max_units, np.fmin)):
        out = np.full(n, np.nan)
        for lv, value in zip(st.level.tolist(), np.asarray(column, dtype=np.float64).tolist(), strict=True):
            out[lv] = pick(out[lv], value)
        limits.append(out)
    units = app.units
    counts = np.bincount(units.level, minlength=n).astype(np.int64)
    min_area, min_population, max_units = limits
    return StandardFacts(
        min_area,
        min_population,
        max_units,
        counts,
        units.area_km2,
        units.population,
        units.level.astype(np.int64),
    )


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
