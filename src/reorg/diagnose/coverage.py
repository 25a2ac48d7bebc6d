"""Who leads each task where: lead duties as intervals of territory leaves.

The territory leaves (``Apparatus.territory_leaves``) are in preorder, so the territory of any unit is a
contiguous range ``[lo, hi)`` of leaf positions, and the ranges of two units are nested or disjoint. Per
task, the lead duties' ranges sorted by ``(lo, -hi)`` fall into *clusters*: maximal runs that overlap
one another. A cluster of one lead is a clean place; a cluster of several is a duplication over the
inner leads' territory; leaves in no cluster are a gap. Everything is a sort and a running maximum over
all lead duties at once, without a Python loop per duty.

This is the same interval logic as the ``one_lead`` / ``coverage`` invariants; it lives here until
``reorg.plan.invariants`` exposes it.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus

__all__ = ["LeadCoverage", "lead_coverage", "unit_leaf_ranges"]

IntArray = npt.NDArray[np.int64]


def unit_leaf_ranges(app: Apparatus) -> tuple[IntArray, IntArray]:
    """Per unit, the ``[lo, hi)`` positions in ``territory_leaves`` of the territory it acts for
    (its jurisdiction's leaves; empty for a unit outside the tree)."""
    tin, tout = app.euler
    leaves = app.territory_leaves
    leaf_tin = tin[leaves].astype(np.int64)
    jur = app.jurisdiction
    ok = jur >= 0
    lo = np.zeros(len(jur), dtype=np.int64)
    hi = np.zeros(len(jur), dtype=np.int64)
    lo[ok] = np.searchsorted(leaf_tin, tin[jur[ok]], side="left")
    hi[ok] = np.searchsorted(leaf_tin, tout[jur[ok]], side="left")
    return lo, hi


@dataclasses.dataclass(frozen=True, eq=False)
class LeadCoverage:
    """Lead duties per task as leaf ranges, grouped into clusters of mutually overlapping leads.

    Duty arrays (``task``, ``unit``, ``lo``, ``hi``, ``cluster``) are sorted by task, then ``lo``, then
    ``-hi``; distinct (task, unit, range) only, empty ranges dropped. Cluster arrays are indexed by
    cluster id: ``c_start`` (first duty), ``c_size`` (duties), ``c_units`` (distinct units), ``c_lo``,
    ``c_hi`` (the cluster's territory), ``c_dup`` (leaves covered by two leads or more).
    """

    n_leaves: int
    n_tasks: int
    task: IntArray
    unit: IntArray
    lo: IntArray
    hi: IntArray
    cluster: IntArray
    c_start: IntArray
    c_size: IntArray
    c_units: IntArray
    c_lo: IntArray
    c_hi: IntArray
    c_dup: IntArray

    @cached_property
    def c_task(self) -> IntArray:
        """Task of each cluster."""
        return self.task[self.c_start]

    @cached_property
    def covered(self) -> IntArray:
        """Per task: leaves with at least one lead."""
        width = (self.c_hi - self.c_lo).astype(np.float64)
        return np.bincount(self.c_task, weights=width, minlength=self.n_tasks).astype(np.int64)

    @cached_property
    def duplicated(self) -> IntArray:
        """Per task: leaves with two leads or more."""
        return np.bincount(self.c_task, weights=self.c_dup.astype(np.float64), minlength=self.n_tasks).astype(
            np.int64
        )

    def clusters_of(self, task: int) -> IntArray:
        """Cluster ids of one task (clusters are ordered by task)."""
        first, last = np.searchsorted(self.c_task, [task, task + 1], side="left")
        return np.arange(first, last, dtype=np.int64)

    def gaps(self, task: int) -> IntArray:
        """The uncovered leaf ranges of one task, as an (n, 2) array of ``[lo, hi)``."""
        sel = self.clusters_of(task)
        lo = np.concatenate([[0], self.c_hi[sel]])
        hi = np.concatenate([self.c_lo[sel], [self.n_leaves]])
        keep = hi > lo
        return np.stack([lo[keep], hi[keep]], axis=1)


def _clusters(key_lo: IntArray, key_hi: IntArray) -> npt.NDArray[np.bool_]:
    """Start flags of runs of overlapping intervals, for intervals sorted by (lo, -hi) whose keys are
    offset so that different groups never overlap."""
    n = len(key_lo)
    if n == 0:
        return np.zeros(0, dtype=bool)
    running = np.maximum.accumulate(key_hi)
    start = np.ones(n, dtype=bool)
    start[1:] = key_lo[1:] >= running[:-1]
    return start


def lead_coverage(app: Apparatus) -> LeadCoverage:
    """The lead clusters of every task (see the module docstring)."""
    n_leaves = len(app.territory_leaves)
    lo_u, hi_u = unit_leaf_ranges(app)
    lead = app.duties.role == LEAD
    unit = app.duties.unit[lead].astype(np.int64)
    scope = app.jurisdiction[app.duty_scope[lead]].astype(np.int64)
    task = app.duties.task[lead].astype(np.int64)
    ok = scope >= 0
    unit, scope, task = unit[ok], scope[ok], task[ok]
    lo, hi = lo_u[scope], hi_u[scope]
    keep = hi > lo
    unit, task, lo, hi = unit[keep], task[keep], lo[keep], hi[keep]
    # distinct (task, lo, hi, unit), sorted by task, lo, -hi, unit
    order = np.lexsort((unit, -hi, lo, task))
    unit, task, lo, hi = unit[order], task[order], lo[order], hi[order]
    if len(task):
        same = (task[1:] == task[:-1]) & (lo[1:] == lo[:-1]) & (hi[1:] == hi[:-1]) & (unit[1:] == unit[:-1])
        first = np.concatenate([[True], ~same])
        unit, task, lo, hi = unit[first], task[first], lo[first], hi[first]
    offset = task * (n_leaves + 1)
    start = _clusters(lo + offset, hi + offset)
    cluster = np.cumsum(start) - 1
    c_start = np.flatnonzero(start)
    c_size = np.diff(np.append(c_start, len(task)))
    c_lo = lo[c_start]
    c_hi = np.maximum.reduceat(hi, c_start) if len(c_start) else np.zeros(0, np.int64)
    # leaves led twice or more: the union of each cluster's inner intervals (all but its first, which
    # contains them), leaving out the first lead's own unit leading a part of its territory again
    inner = unit != unit[c_start][cluster]
    in_lo, in_hi, in_cluster = lo[inner], hi[inner], cluster[inner]
    in_offset = in_cluster * (n_leaves + 1)
    in_start = _clusters(in_lo + in_offset, in_hi + in_offset)
    in_first = np.flatnonzero(in_start)
    runs_hi = np.maximum.reduceat(in_hi, in_first) if len(in_first) else np.zeros(0, np.int64)
    runs_width = (runs_hi - in_lo[in_first]).astype(np.float64)
    c_dup = np.bincount(in_cluster[in_first], weights=runs_width, minlength=len(c_start)).astype(np.int64)
    # distinct units per cluster (one unit leading a place and a sub-place twice is not a duplication)
    by_unit = np.lexsort((unit, cluster))
    cu, uu = cluster[by_unit], unit[by_unit]
    new = np.ones(len(cu), dtype=bool)
    new[1:] = (cu[1:] != cu[:-1]) | (uu[1:] != uu[:-1])
    c_units = np.bincount(cu[new], minlength=len(c_start)).astype(np.int64)
    return LeadCoverage(
        n_leaves=n_leaves,
        n_tasks=len(app.tasks),
        task=task,
        unit=unit,
        lo=lo,
        hi=hi,
        cluster=cluster,
        c_start=c_start,
        c_size=c_size,
        c_units=c_units,
        c_lo=c_lo,
        c_hi=c_hi,
        c_dup=c_dup,
    )
