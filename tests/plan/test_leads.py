"""The one interval test behind one_lead and coverage."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.model import Apparatus
from reorg.plan.leads import lead_ranges, leaf_ranges, range_conflicts


def _run(
    ranges: list[tuple[int, int, int]], n: int
) -> tuple[set[tuple[int, int]], set[tuple[int, int, int]]]:
    task, lo, hi = (np.array(c, dtype=np.int64) for c in zip(*ranges, strict=True))
    found = range_conflicts(task, lo, hi, n)
    pairs = set(zip(found.overlap_first.tolist(), found.overlap_second.tolist(), strict=True))
    gaps = set(zip(found.gap_task.tolist(), found.gap_lo.tolist(), found.gap_hi.tolist(), strict=True))
    return pairs, gaps


@pytest.mark.parametrize(
    ("ranges", "pairs", "gaps"),
    [
        ([(0, 0, 2), (0, 2, 4)], set(), set()),  # a tiling
        ([(0, 0, 4), (0, 1, 2)], {(0, 1)}, set()),  # nested: a province and one of its districts
        ([(0, 0, 2), (0, 0, 2)], {(0, 1)}, {(0, 2, 4)}),  # the same place twice, and a gap
        ([(0, 1, 3)], set(), {(0, 0, 1), (0, 3, 4)}),  # gaps at both ends
        ([(0, 0, 1), (0, 3, 4)], set(), {(0, 1, 3)}),  # a hole in the middle
        ([(0, 0, 4), (1, 0, 2)], set(), {(1, 2, 4)}),  # tasks are judged apart
        ([(0, 0, 4), (0, 1, 2), (0, 2, 3)], {(0, 1), (0, 2)}, set()),  # both children under one range
        ([(2, 1, 1)], set(), {(2, 0, 4)}),  # only an empty range: nothing is covered
    ],
)
def test_overlaps_and_gaps(
    ranges: list[tuple[int, int, int]], pairs: set[tuple[int, int]], gaps: set[tuple[int, int, int]]
) -> None:
    """Overlapping ranges of one task pair with the range they start inside; uncovered leaves are gaps."""
    assert _run(ranges, 4) == (pairs, gaps)


def test_no_ranges_no_conflicts() -> None:
    """An empty input finds nothing."""
    empty = np.zeros(0, dtype=np.int64)
    found = range_conflicts(empty, empty, empty, 5)
    assert len(found.overlap_first) == len(found.gap_task) == 0


def test_leaf_ranges_follow_the_subtree(tiny: Apparatus) -> None:
    """A territorial unit covers exactly the leaves below it; an agency covers none of its own."""
    lo, hi = leaf_ranges(tiny)
    leaves = tiny.territory_leaves.tolist()
    index = tiny.units.index
    covered = {
        u: [tiny.units.id[x] for x in leaves[lo[index[u]] : hi[index[u]]]] for u in ("vn", "p1", "c3", "m1")
    }
    assert covered == {"vn": ["c1", "c2", "c3"], "p1": ["c1", "c2"], "c3": ["c3"], "m1": []}


def test_lead_ranges_resolve_scope_to_jurisdiction(tiny: Apparatus) -> None:
    """An agency's lead covers its enclosing territory."""
    ranges = lead_ranges(tiny)
    scopes = {
        str(tiny.units.id[tiny.duties.unit[d]]): str(tiny.units.id[s])
        for d, s in zip(ranges.duty, ranges.scope, strict=True)
    }
    assert scopes == {"m1": "vn", "d1": "p1", "p2": "p2"}
