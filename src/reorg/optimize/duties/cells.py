"""The (task, place) cells that need a lead: led several times, or not at all.

The rule itself is ``reorg.plan.leads``: lead duties as ranges of territory leaves, and
``range_conflicts`` finding, per task, the ranges that overlap (a duplication) and the leaf ranges no
lead reaches (a gap). This module only names the places those conflicts sit in:

- a **duplicate cell** is the outermost scope of a group of overlapping lead ranges of one task
  (territories nest, so the overlapping ranges of a task form groups, each inside its largest member);
  its current leads are every lead duty of the task in the group;
- a **gap cell** is one of the largest territorial units lying wholly inside an uncovered leaf range
  (a task with no lead at all, a heading of the catalogue included, has one gap over every leaf, so
  its cell is the root: the ``coverage`` invariant asks every task for a lead).

Cells of one task are disjoint, so fixing each cell on its own leaves every task's leads tiling the
leaves exactly once. Everything is vectorized except one round per piece of the longest gap.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.plan.leads import lead_ranges, leaf_ranges

__all__ = ["Cells", "find_cells"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclasses.dataclass(frozen=True)
class Cells:
    """Cells sorted by (task, first leaf). ``place`` is a territorial unit row; ``duplicate`` tells a
    cell led several times from one led nowhere; the current lead duties (rows of Duties) of cell
    ``c`` are ``lead_duty[ptr[c]:ptr[c + 1]]`` (none for a gap), covering leaves ``lead_lo``..``lead_hi``
    and resolved scope ``lead_scope``. ``lo``/``hi`` are the place's leaf range."""

    task: IntArray
    place: IntArray
    duplicate: BoolArray
    lo: IntArray
    hi: IntArray
    ptr: IntArray
    lead_duty: IntArray
    lead_scope: IntArray
    lead_lo: IntArray
    lead_hi: IntArray

    def __len__(self) -> int:
        return len(self.task)


def find_cells(app: Apparatus) -> Cells:
    """The cells of ``app`` whose task is led more than once or not at all (see the module)."""
    ranges = lead_ranges(app)
    c = ranges.conflicts
    unit_lo, unit_hi = leaf_ranges(app)
    tin = app.euler[0].astype(np.int64)
    width = np.int64(ranges.n_leaves + 1)

    # duplicates: the ranges in some overlap, grouped under the outermost range of each group
    involved = np.unique(np.concatenate([c.overlap_first, c.overlap_second]))
    d_task = app.duties.task[ranges.duty[involved]].astype(np.int64)
    d_lo, d_hi, d_scope = ranges.lo[involved], ranges.hi[involved], ranges.scope[involved]
    order = np.lexsort((tin[d_scope], -d_hi, d_lo, d_task))
    involved, d_task, d_lo, d_hi, d_scope = (x[order] for x in (involved, d_task, d_lo, d_hi, d_scope))
    n = len(involved)
    key = d_task * width + d_hi
    reach = np.maximum.accumulate(key) if n else key
    before = np.full(n, -1, dtype=np.int64)
    before[1:] = reach[:-1] - d_task[1:] * width
    first = np.ones(n, dtype=bool)
    first[1:] = d_task[1:] != d_task[:-1]
    top = first | (d_lo >= before)
    heads = np.flatnonzero(top)
    dup_ptr = np.append(heads, n).astype(np.int64)

    # gaps: each uncovered range cut into the largest territorial units inside it
    # tasks with no lead duty at all are not among the ranges tested: one gap over every leaf each
    has_lead = np.zeros(len(app.tasks), dtype=bool)
    has_lead[app.duties.task[ranges.duty]] = True
    unled = np.flatnonzero(~has_lead).astype(np.int64)
    g_task, g_place = _gap_pieces(
        app,
        np.concatenate([c.gap_task, unled]),
        np.concatenate([c.gap_lo, np.zeros(len(unled), dtype=np.int64)]),
        np.concatenate([c.gap_hi, np.full(len(unled), ranges.n_leaves, dtype=np.int64)]),
        unit_lo,
        unit_hi,
        tin,
        width,
    )

    task = np.concatenate([d_task[heads], g_task])
    place = np.concatenate([d_scope[heads], g_place])
    duplicate = np.concatenate([np.ones(len(heads), dtype=bool), np.zeros(len(g_task), dtype=bool)])
    sizes = np.concatenate([np.diff(dup_ptr), np.zeros(len(g_task), dtype=np.int64)])
    starts = np.concatenate([dup_ptr[:-1], np.zeros(len(g_task), dtype=np.int64)])
    cell_order = np.lexsort((unit_lo[place], task))
    task, place, duplicate = task[cell_order], place[cell_order], duplicate[cell_order]
    sizes, starts = sizes[cell_order], starts[cell_order]
    ptr = np.zeros(len(task) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    rows = np.repeat(starts - ptr[:-1], sizes) + np.arange(int(ptr[-1]), dtype=np.int64)
    picked = involved[rows]
    return Cells(
        task=task,
        place=place,
        duplicate=duplicate,
        lo=unit_lo[place].astype(np.int64),
        hi=unit_hi[place].astype(np.int64),
        ptr=ptr,
        lead_duty=ranges.duty[picked],
        lead_scope=ranges.scope[picked],
        lead_lo=ranges.lo[picked],
        lead_hi=ranges.hi[picked],
    )


def _gap_pieces(
    app: Apparatus,
    gap_task: IntArray,
    gap_lo: IntArray,
    gap_hi: IntArray,
    unit_lo: IntArray,
    unit_hi: IntArray,
    tin: IntArray,
    width: np.int64,
) -> tuple[IntArray, IntArray]:
    """(task, territorial unit) for the largest territorial units tiling each gap ``[lo, hi)``: from
    the gap's first leaf, the widest unit starting there that ends inside the gap, then on from its end
    (every gap advances one piece per round; a leaf is a unit, so each round makes progress)."""
    n = len(app.units)
    terr = np.flatnonzero((app.jurisdiction == np.arange(n)) & (unit_hi > unit_lo)).astype(np.int64)
    keys = unit_lo[terr].astype(np.int64) * width + unit_hi[terr]
    order = np.lexsort((-tin[terr], keys))  # among equal ranges the last is the outermost
    terr, keys = terr[order], keys[order]
    keep = (gap_hi > gap_lo) & (len(terr) > 0)
    task, at, end = gap_task[keep].astype(np.int64), gap_lo[keep].astype(np.int64), gap_hi[keep]
    out_task: list[IntArray] = []
    out_place: list[IntArray] = []
    while len(task):
        unit = terr[np.searchsorted(keys, at * width + end, side="right") - 1]
        out_task.append(task)
        out_place.append(unit)
        at = unit_hi[unit].astype(np.int64)
        going = at < end
        task, at, end = task[going], at[going], end[going]
    if not out_task:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_task), np.concatenate(out_place)
