"""Lead duties as ranges of territory leaves, and the one test for overlaps and gaps between them.

Territory leaves (the finest territorial units) are numbered in the preorder of the unit tree, so the
territory of any territorial unit is a contiguous range ``[lo, hi)`` of leaf positions. A lead duty
covers the range of its scope. For each task, the ranges of its leads must tile ``[0, n_leaves)``:
two ranges that overlap are a duplication, a position no range reaches is a gap.

``range_conflicts`` is that test, written once: ``reorg.plan.invariants`` runs it on a whole
apparatus, ``reorg.plan.apply`` on the few leaves an operation touched.
"""

from __future__ import annotations

import dataclasses
import weakref

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus

__all__ = ["Conflicts", "LeadRanges", "lead_ranges", "leaf_ranges", "range_conflicts"]

IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class Conflicts:
    """What ``range_conflicts`` found; positions index the ranges given to it.

    ``overlap_first``/``overlap_second``: pairs of ranges of the same task that cover a common leaf
    (``second`` starts inside ``first``). ``gap_task``/``gap_lo``/``gap_hi``: leaf positions
    ``[lo, hi)`` that no range of the task covers (only for tasks that have at least one range).
    """

    overlap_first: IntArray
    overlap_second: IntArray
    gap_task: IntArray
    gap_lo: IntArray
    gap_hi: IntArray


def range_conflicts(task: IntArray, lo: IntArray, hi: IntArray, n_leaves: int) -> Conflicts:
    """Overlaps and gaps among ranges ``[lo, hi)`` of leaf positions, grouped by ``task``.

    Ranges are sorted by task, then start (longest first); a range overlaps an earlier one of its task
    when it starts before the furthest end reached so far, and a gap is any space between that
    furthest end and the next start (or the end of the leaves). Empty ranges cover nothing; a task
    whose ranges are all empty has one gap over every leaf. Vectorized: no loop over ranges.
    """
    task, lo, hi = (np.asarray(x, dtype=np.int64) for x in (task, lo, hi))
    nonempty = np.flatnonzero(lo < hi)
    order = nonempty[np.lexsort((-hi[nonempty], lo[nonempty], task[nonempty]))]
    t, s, e = task[order], lo[order], hi[order]
    n = len(order)
    width = np.int64(n_leaves + 1)
    first = np.ones(n, dtype=bool)
    first[1:] = t[1:] != t[:-1]
    key = t * width + e  # later tasks sort above earlier ones, so one running max serves every task
    reach = np.maximum.accumulate(key) if n else key
    at = np.maximum.accumulate(np.where(key == reach, np.arange(n), 0)) if n else key
    before = np.zeros(n, dtype=np.int64)
    before[1:] = reach[:-1] - t[1:] * width
    before[first] = 0
    holder = np.zeros(n, dtype=np.int64)
    holder[1:] = at[:-1]
    overlap = ~first & (s < before)
    inner = s > before
    last = np.ones(n, dtype=bool)
    last[:-1] = first[1:]
    end = reach - t * width
    tail = last & (end < n_leaves)
    named = np.zeros(int(task.max()) + 1 if len(task) else 0, dtype=bool)
    named[task] = True
    named[t] = False
    bare = np.flatnonzero(named)
    return Conflicts(
        overlap_first=order[holder[overlap]],
        overlap_second=order[overlap],
        gap_task=np.concatenate([t[inner], t[tail], bare]),
        gap_lo=np.concatenate([before[inner], end[tail], np.zeros(len(bare), dtype=np.int64)]),
        gap_hi=np.concatenate([s[inner], np.full(tail.sum(), n_leaves), np.full(len(bare), n_leaves)]),
    )


def leaf_ranges(app: Apparatus) -> tuple[IntArray, IntArray]:
    """Per unit, ``[lo, hi)``: the positions in ``app.territory_leaves`` of the leaves in its subtree
    (empty for a unit outside the tree, i.e. on a parent cycle)."""
    tin, tout = app.euler
    leaf_tin = tin[app.territory_leaves]
    lo = np.searchsorted(leaf_tin, tin, side="left").astype(np.int64)
    hi = np.searchsorted(leaf_tin, tout, side="left").astype(np.int64)
    outside = tin < 0
    lo[outside] = 0
    hi[outside] = 0
    return lo, hi


@dataclasses.dataclass(frozen=True)
class LeadRanges:
    """Every lead duty of an apparatus as a range of leaves: ``duty`` rows of Duties, the ``scope``
    (territorial unit) each covers, and ``conflicts`` among them over ``n_leaves`` leaves."""

    duty: IntArray
    scope: IntArray
    lo: IntArray
    hi: IntArray
    n_leaves: int
    conflicts: Conflicts


_CACHE: weakref.WeakKeyDictionary[Apparatus, LeadRanges] = weakref.WeakKeyDictionary()


def lead_ranges(app: Apparatus) -> LeadRanges:
    """The lead duties of ``app`` as leaf ranges with their conflicts (computed once per apparatus:
    ``one_lead`` and ``coverage`` share it)."""
    cached = _CACHE.get(app)
    if cached is not None:
        return cached
    duty = np.flatnonzero(app.duties.role == LEAD).astype(np.int64)
    named = app.duty_scope[duty]
    scope = np.where(named >= 0, app.jurisdiction[np.maximum(named, 0)], -1).astype(np.int64)
    unit_lo, unit_hi = leaf_ranges(app)
    lo = np.where(scope >= 0, unit_lo[scope], 0)
    hi = np.where(scope >= 0, unit_hi[scope], 0)
    n_leaves = len(app.territory_leaves)
    task = app.duties.task[duty].astype(np.int64)
    result = LeadRanges(duty, scope, lo, hi, n_leaves, range_conflicts(task, lo, hi, n_leaves))
    _CACHE[app] = result
    return result
