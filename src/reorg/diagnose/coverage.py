"""Who leads each task where, per task: leaves with no lead, and leaves with two leads or more.

A thin reading of ``reorg.plan.leads`` (the interval test behind the ``one_lead`` and ``coverage``
invariants, written once there): lead duties are ranges of territory leaves; overlapping ranges of
different units are a duplication, leaves no range reaches are a gap. A unit leading a place and a part
of it again is not a duplication.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.plan.leads import lead_ranges, leaf_ranges, range_conflicts

__all__ = ["LeadCoverage", "lead_coverage", "leaf_ranges"]

IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True, eq=False)
class LeadCoverage:
    """Per task, ``covered`` and ``duplicated`` leaves (of ``n_leaves``); the overlapping lead pairs
    (``pair_task``, ``pair_outer``, ``pair_inner`` unit rows, the inner range inside the outer one) and
    the gaps (``gap_task``, ``gap_lo``, ``gap_hi`` leaf positions), both sorted by task."""

    n_leaves: int
    covered: IntArray
    duplicated: IntArray
    pair_task: IntArray
    pair_outer: IntArray
    pair_inner: IntArray
    gap_task: IntArray
    gap_lo: IntArray
    gap_hi: IntArray

    @property
    def n_tasks(self) -> int:
        return len(self.covered)

    def pairs(self, task: int) -> tuple[IntArray, IntArray]:
        """(outer, inner) unit rows of the overlapping leads of one task."""
        first, last = np.searchsorted(self.pair_task, [task, task + 1])
        return self.pair_outer[first:last], self.pair_inner[first:last]

    def gaps(self, task: int) -> IntArray:
        """The uncovered ``[lo, hi)`` leaf ranges of one task, as an (n, 2) array."""
        first, last = np.searchsorted(self.gap_task, [task, task + 1])
        return np.stack([self.gap_lo[first:last], self.gap_hi[first:last]], axis=1)


def _by_task(task: IntArray, *columns: IntArray) -> list[IntArray]:
    order = np.argsort(task, kind="stable")
    return [task[order], *(c[order] for c in columns)]


def _uncovered(task: IntArray, lo: IntArray, hi: IntArray, n_tasks: int) -> IntArray:
    return np.bincount(task, weights=(hi - lo).astype(np.float64), minlength=n_tasks).astype(np.int64)


def lead_coverage(app: Apparatus) -> LeadCoverage:
    """Coverage and duplication of every task's leads."""
    ranges = lead_ranges(app)
    n_tasks, n_leaves = len(app.tasks), ranges.n_leaves
    found = ranges.conflicts
    unit = app.duties.unit[ranges.duty].astype(np.int64)
    task = app.duties.task[ranges.duty].astype(np.int64)
    led = np.bincount(task, minlength=n_tasks) > 0
    covered = np.where(led, n_leaves - _uncovered(found.gap_task, found.gap_lo, found.gap_hi, n_tasks), 0)
    outer, inner = found.overlap_first, found.overlap_second
    distinct = unit[outer] != unit[inner]
    outer, inner = outer[distinct], inner[distinct]
    # leaves led twice: the union of the inner ranges, i.e. what a second tiling test finds covered
    t_in = task[inner]
    twice = range_conflicts(t_in, ranges.lo[inner], ranges.hi[inner], n_leaves)
    has_inner = np.bincount(t_in, minlength=n_tasks) > 0
    duplicated = np.where(
        has_inner, n_leaves - _uncovered(twice.gap_task, twice.gap_lo, twice.gap_hi, n_tasks), 0
    )
    pair_task, pair_outer, pair_inner = _by_task(t_in, unit[outer], unit[inner])
    gap_task, gap_lo, gap_hi = _by_task(found.gap_task, found.gap_lo, found.gap_hi)
    return LeadCoverage(
        n_leaves=n_leaves,
        covered=covered.astype(np.int64),
        duplicated=duplicated.astype(np.int64),
        pair_task=pair_task,
        pair_outer=pair_outer,
        pair_inner=pair_inner,
        gap_task=gap_task,
        gap_lo=gap_lo,
        gap_hi=gap_hi,
    )
