"""One territory to divide, as plain arrays, and the objective of a division.

The solver works on *atoms*: units, or groups of units locked together and contracted into one node.
The objective of a division into regions is

    sum over regions of SSD(features) + balance_weight * CV²(region totals of ``balance``)
    + penalty * (number of regions that break a bound + sum over regions and constraints of the
      relative shortfall below a minimum or excess above a maximum),

where SSD(features) is the within-region sum of squared deviations of the (already weighted) feature
vectors: homogeneity attributes and coordinates alike, so that the moment of inertia of a region is the
SSD of its coordinates. ``reorg.optimize.territory.extract`` builds the weighted features.

The penalty (``Instance.penalty``) exceeds the objective of any division of the instance (SSD is at
most the total sum of squares, the balance term at most its weight times the atoms), so the search is
lexicographic whatever the scale of the features: fewer regions breaking a bound always wins.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import numpy.typing as npt

from reorg.optimize.territory.graph import Graph

__all__ = ["PENALTY", "AtomView", "Instance", "Score", "score"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: weight of one unit of relative constraint violation, in multiples of the largest objective any
#: division of the instance can have (see ``Instance.penalty``)
PENALTY = 1.0e6


@dataclasses.dataclass(frozen=True, eq=False)
class Instance:
    """Atoms to group into contiguous regions.

    ``values`` (atoms x constraints) are additive totals (km², people, ...) bounded per region by
    ``lower`` (0 = no minimum) and ``upper`` (inf = no maximum). ``features`` (atoms x d) are summed
    weighted feature vectors and ``sumsq`` the summed squared norms of the atom's units, ``size`` its
    unit count. ``balance`` is the attribute whose region totals should be even. ``apart`` lists atom
    pairs that must end in different regions.
    """

    graph: Graph
    values: FloatArray
    lower: FloatArray
    upper: FloatArray
    features: FloatArray
    sumsq: FloatArray
    size: FloatArray
    balance: FloatArray
    balance_weight: float = 0.0
    apart: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        n = self.graph.n
        if self.values.shape[0] != n or self.features.shape[0] != n:
            raise ValueError("values and features need one row per atom")
        if len(self.lower) != self.values.shape[1] or len(self.upper) != self.values.shape[1]:
            raise ValueError("lower and upper need one entry per constraint")
        for name in ("sumsq", "size", "balance"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} needs one entry per atom")

    @property
    def n(self) -> int:
        return self.graph.n

    @classmethod
    def simple(
        cls,
        graph: Graph,
        values: npt.ArrayLike,
        lower: npt.ArrayLike,
        *,
        features: npt.ArrayLike | None = None,
        upper: npt.ArrayLike | None = None,
    ) -> Instance:
        """An instance of single units with unweighted features (tests and benchmarks)."""
        vals = np.asarray(values, dtype=np.float64).reshape(graph.n, -1)
        feats = np.zeros((graph.n, 0)) if features is None else np.asarray(features, dtype=np.float64)
        feats = feats.reshape(graph.n, -1)
        lo = np.asarray(lower, dtype=np.float64).reshape(-1)
        hi = np.full(len(lo), np.inf) if upper is None else np.asarray(upper, dtype=np.float64).reshape(-1)
        return cls(
            graph=graph,
            values=vals,
            lower=lo,
            upper=hi,
            features=feats,
            sumsq=(feats**2).sum(axis=1),
            size=np.ones(graph.n),
            balance=np.zeros(graph.n),
        )

    def subset(self, nodes: npt.ArrayLike) -> Instance:
        """The instance induced on ``nodes`` (node k of the result is ``nodes[k]``)."""
        idx = np.asarray(nodes, dtype=np.int64)
        local = {int(a): k for k, a in enumerate(idx.tolist())}
        pairs = tuple((local[a], local[b]) for a, b in self.apart if a in local and b in local)
        return dataclasses.replace(
            self,
            graph=self.graph.induced(idx),
            values=self.values[idx],
            features=self.features[idx],
            sumsq=self.sumsq[idx],
            size=self.size[idx],
            balance=self.balance[idx],
            apart=pairs,
        )

    def upper_bound(self) -> int:
        """No division meeting the minimums has more regions than this. Per constraint: a region
        either holds an atom that meets the minimum alone (at most as many as there are such atoms)
        or only smaller atoms (at most their total / minimum); the bound is the least over
        constraints (at most total / minimum)."""
        bound = self.n
        for k, lo in enumerate(self.lower.tolist()):
            if lo > 0:
                col = self.values[:, k]
                big = col >= lo - 1e-9
                small = int(np.floor(col[~big].sum() / lo + 1e-9))
                bound = min(bound, int(big.sum()) + small)
        return max(bound, 1)

    def spread(self) -> float:
        """Mean squared deviation of a unit's features from the overall mean: the scale on which
        construction and re-partition judge similarity."""
        total = float(self.size.sum())
        if self.features.shape[1] == 0 or total <= 0:
            return 0.0
        centre = self.features.sum(axis=0) / total
        tss = float(self.sumsq.sum() - total * (centre**2).sum())
        return max(tss, 0.0) / total

    @functools.cached_property
    def penalty(self) -> float:
        """Weight of one unit of violation: PENALTY x (total sum of squares + balance weight x atoms),
        at least PENALTY; more than any division's SSD + balance."""
        tss = self.spread() * float(self.size.sum())
        return PENALTY * max(1.0, tss + self.balance_weight * self.n)

    def view(self) -> AtomView:
        return AtomView(self)


class AtomView:
    """The instance as Python lists for the scalar loops of construction and local search."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.n = inst.n
        self.adj = inst.graph.adjacency_lists()
        self.vals: list[list[float]] = inst.values.tolist()
        self.lo: list[float] = inst.lower.tolist()
        self.hi: list[float] = inst.upper.tolist()
        self.inv_lo = [1.0 / v if v > 0 else 0.0 for v in self.lo]
        self.inv_hi = [1.0 / v if np.isfinite(v) and v > 0 else 0.0 for v in self.hi]
        self.feat: list[list[float]] = inst.features.tolist()
        self.fnorm: list[float] = (inst.features**2).sum(axis=1).tolist()
        self.size: list[float] = inst.size.tolist()
        self.bal: list[float] = inst.balance.tolist()
        self.balance_weight = float(inst.balance_weight)
        self.penalty = inst.penalty
        self.spread = inst.spread()
        partners: dict[int, list[int]] = {}
        for a, b in inst.apart:
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
        self.partners = partners

    @functools.cached_property
    def edge_gap(self) -> list[list[float]]:
        """Per atom, aligned with ``adj``: squared feature distance to each neighbour / spread."""
        g, feats = self.inst.graph, self.inst.features
        src = np.repeat(np.arange(g.n), np.diff(g.indptr))
        gap = ((feats[src] - feats[g.indices]) ** 2).sum(axis=1)
        flat = (gap / self.spread if self.spread > 0 else np.zeros_like(gap)).tolist()
        bounds = g.indptr.tolist()
        return [flat[bounds[i] : bounds[i + 1]] for i in range(g.n)]


@dataclasses.dataclass(frozen=True)
class Score:
    """The objective of a division, term by term (see the module docstring); ``short`` counts the
    regions that break a bound (below a minimum or above a maximum)."""

    regions: int
    ssd: float
    balance: float
    violation: float
    short: int = 0
    penalty: float = PENALTY

    @property
    def total(self) -> float:
        return self.ssd + self.balance + self.penalty * self.violation


def score(inst: Instance, labels: npt.ArrayLike) -> Score:
    """The objective of ``labels`` (region 0..p-1 per atom), vectorized."""
    lab = np.asarray(labels, dtype=np.int64)
    p = int(lab.max()) + 1 if len(lab) else 0
    count = np.bincount(lab, weights=inst.size, minlength=p)
    sums = np.zeros((p, inst.features.shape[1]))
    for k, col in enumerate(inst.features.T):
        sums[:, k] = np.bincount(lab, weights=col, minlength=p)
    sq = np.bincount(lab, weights=inst.sumsq, minlength=p)
    ssd = float(np.sum(sq - (sums**2).sum(axis=1) / np.maximum(count, 1e-300))) if p else 0.0
    balance = 0.0
    if inst.balance_weight > 0 and p > 0:
        tot = np.bincount(lab, weights=inst.balance, minlength=p)
        mean = tot.mean()
        if mean > 0:
            balance = inst.balance_weight * float(((tot - mean) ** 2).sum() / (p * mean * mean))
    gaps = _gaps(inst, lab, p)
    short = int(np.count_nonzero(gaps > 0))
    return Score(p, max(ssd, 0.0), balance, float(gaps.sum()) + short, short, inst.penalty)


def _gaps(inst: Instance, lab: IntArray, p: int) -> FloatArray:
    """Per region: its relative shortfall below the minimums plus excess above the maximums."""
    per_region = np.zeros(p)
    for k in range(inst.values.shape[1]):
        t = np.bincount(lab, weights=inst.values[:, k], minlength=p)
        lo, hi = float(inst.lower[k]), float(inst.upper[k])
        if lo > 0:
            per_region += np.maximum(lo - t, 0) / lo
        if np.isfinite(hi) and hi > 0:
            per_region += np.maximum(t - hi, 0) / hi
    return per_region
