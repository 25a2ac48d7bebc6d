"""Lead duties as ranges of territory leaves, and the one test for overlaps and gaps between them.

Territory leaves (the finest territorial units) are numbered in the preorder of the unit tree, so the
territory of any territorial unit is a contiguous range ``[lo, hi)`` of leaf positions. A lead duty
covers the range of its scope. For each task, the ranges of its leads must tile ``[0, n_leaves)``:
two ranges that overlap are a duplication, a position no range reaches is a gap.

``range_conflicts`` is that test, written once: ``task_leads`` runs it on a whole apparatus and
gives, per task, the facts the ``one_lead`` and ``coverage`` invariants (``reorg.plan.invariants``)
and the ``multiple_leads`` and ``no_lead`` findings (``reorg.diagnose.responsibility``) are two views
of; ``reorg.plan.region`` runs it on the few leaves an operation touched.
"""

from __future__ import annotations

import dataclasses
import weakref

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus
from reorg.model.groups import child_counts, sorted_by

__all__ = [
    "Conflicts",
    "LeadRanges",
    "TaskLeads",
    "has_subtasks",
    "lead_ranges",
    "leaf_ranges",
    "range_conflicts",
    "task_leads",
]

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


# -- per task: the facts behind one_lead, coverage and their findings ---------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class TaskLeads:
    """Per task, what its lead duties cover, over ``n_leaves`` territory leaves.

    ``led``: the task has a lead duty. ``heading``: it has sub-tasks in the catalogue and no lead duty —
    a heading, not a responsibility, so neither unclear nor a gap. ``covered``/``duplicated``: leaves
    reached by one lead duty or more / by two or more (a unit leading a place and a part of it again
    holds two lead duties there: a duplication, if a harmless one). The overlapping lead duties come as
    pairs (``pair_task``; ``pair_outer``/``pair_inner`` unit rows and ``pair_outer_scope``/
    ``pair_inner_scope`` territorial units, the inner range inside the outer one), the uncovered leaves
    as ``[gap_lo, gap_hi)`` ranges per ``gap_task``; both sorted by task.
    """

    n_leaves: int
    led: npt.NDArray[np.bool_]
    heading: npt.NDArray[np.bool_]
    covered: IntArray
    duplicated: IntArray
    pair_task: IntArray
    pair_outer: IntArray
    pair_inner: IntArray
    pair_outer_scope: IntArray
    pair_inner_scope: IntArray
    gap_task: IntArray
    gap_lo: IntArray
    gap_hi: IntArray

    @property
    def n_tasks(self) -> int:
        return len(self.led)

    @property
    def duplicated_tasks(self) -> IntArray:
        """Tasks led twice somewhere (the ``one_lead`` rule)."""
        return np.flatnonzero(self.duplicated > 0).astype(np.int64)

    @property
    def unclear_tasks(self) -> IntArray:
        """Tasks with no lead duty that are not headings (``coverage``: no lead)."""
        return np.flatnonzero(~self.led & ~self.heading).astype(np.int64)

    @property
    def gap_tasks(self) -> IntArray:
        """Tasks with a lead duty that leave some leaf unled (``coverage``: a gap)."""
        return np.flatnonzero(self.led & (self.covered < self.n_leaves)).astype(np.int64)

    def pairs(self, task: int) -> slice:
        """The positions in the ``pair_*`` columns of one task's overlapping leads."""
        first, last = np.searchsorted(self.pair_task, [task, task + 1])
        return slice(int(first), int(last))

    def gaps(self, task: int) -> IntArray:
        """The uncovered ``[lo, hi)`` leaf ranges of one task, as an (n, 2) array."""
        first, last = np.searchsorted(self.gap_task, [task, task + 1])
        return np.stack([self.gap_lo[first:last], self.gap_hi[first:last]], axis=1)

    def gap_leaves(self, task: int) -> IntArray:
        """Positions in ``territory_leaves`` of one task's uncovered leaves, ascending."""
        ranges = self.gaps(task)
        if len(ranges) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(a, b, dtype=np.int64) for a, b in ranges.tolist()])


def _reached(gap_task: IntArray, gap_lo: IntArray, gap_hi: IntArray, n_tasks: int, n_leaves: int) -> IntArray:
    """Leaves minus the leaves in the gaps, per task."""
    holes = np.bincount(gap_task, weights=(gap_hi - gap_lo).astype(np.float64), minlength=n_tasks)
    return (n_leaves - holes).astype(np.int64)


_TASK_CACHE: weakref.WeakKeyDictionary[Apparatus, TaskLeads] = weakref.WeakKeyDictionary()
_SUBTASKS: weakref.WeakKeyDictionary[Apparatus, npt.NDArray[np.bool_]] = weakref.WeakKeyDictionary()


def has_subtasks(app: Apparatus) -> npt.NDArray[np.bool_]:
    """Per task: does the catalogue give it sub-tasks? Such a task with no lead duty is a heading, not a
    responsibility (``coverage`` does not ask for its lead; ``apply`` lets its last lead go)."""
    found = _SUBTASKS.get(app)
    if found is None:
        found = _SUBTASKS[app] = child_counts(app.tasks.parent, len(app.tasks)) > 0
    return found


def task_leads(app: Apparatus) -> TaskLeads:
    """The lead facts of every task (computed once per apparatus; the invariants and the diagnosis
    share them)."""
    cached = _TASK_CACHE.get(app)
    if cached is not None:
        return cached
    ranges = lead_ranges(app)
    n_tasks, n_leaves = len(app.tasks), ranges.n_leaves
    found = ranges.conflicts
    unit = app.duties.unit[ranges.duty].astype(np.int64)
    task = app.duties.task[ranges.duty].astype(np.int64)
    led = np.bincount(task, minlength=n_tasks) > 0
    heading = has_subtasks(app) & ~led
    reached = _reached(found.gap_task, found.gap_lo, found.gap_hi, n_tasks, n_leaves)
    covered = np.where(led, reached, 0)
    outer, inner = found.overlap_first, found.overlap_second
    # leaves led twice: the union of the inner ranges, i.e. what a second tiling test finds covered
    t_in = task[inner]
    twice = range_conflicts(t_in, ranges.lo[inner], ranges.hi[inner], n_leaves)
    has_inner = np.bincount(t_in, minlength=n_tasks) > 0
    duplicated = np.where(
        has_inner, _reached(twice.gap_task, twice.gap_lo, twice.gap_hi, n_tasks, n_leaves), 0
    )
    pairs = sorted_by(t_in, unit[outer], unit[inner], ranges.scope[outer], ranges.scope[inner])
    gaps = sorted_by(found.gap_task, found.gap_lo, found.gap_hi)
    result = TaskLeads(n_leaves, led, heading, covered, duplicated.astype(np.int64), *pairs, *gaps)
    _TASK_CACHE[app] = result
    return result
