"""Following units across a plan: where each unit of a baseline went, and how two partitions agree.

``successors`` reads the lineage that ``apply`` records, so figures stay comparable across a reform
("which new commune holds old commune X?"); ``adjusted_rand_index`` and ``pairs_reproduced`` compare two
groupings of the same units (a proposal against the enacted reform).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus

__all__ = ["adjusted_rand_index", "groups_reproduced", "successors"]


def successors(after: Apparatus, ids: Iterable[str]) -> dict[str, str]:
    """For each of ``ids`` (units of the baseline ``after`` was made from), the unit of ``after`` that
    holds it: itself if it survived, else the target of its lineage (for a split, the part with the
    largest share; chains of merges and splits are followed). Ids that lead nowhere in ``after`` (a
    dissolved unit's territory went with its duties, not its id) are left out."""
    forward: dict[str, tuple[str, float]] = {}
    for edge in after.lineage:
        if edge.source and edge.source != edge.target:
            best = forward.get(edge.source)
            if best is None or edge.share > best[1]:
                forward[edge.source] = (edge.target, edge.share)
    present = after.units.index
    out: dict[str, str] = {}
    for uid in ids:
        current, seen = uid, set()
        while current not in present and current in forward and current not in seen:
            seen.add(current)
            current = forward[current][0]
        if current in present:
            out[uid] = current
    return out


def _codes(labels: Sequence[str] | npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
    _, codes = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return codes.astype(np.int64)


def _pairs(counts: npt.NDArray[np.int64]) -> float:
    c = counts.astype(np.float64)
    return float(np.sum(c * (c - 1) / 2))


def adjusted_rand_index(a: Sequence[str], b: Sequence[str]) -> float:
    """Adjusted Rand index of two labelings of the same items (1 = identical groupings, about 0 =
    no more agreement than chance). Sparse contingency table: O(n log n), no dense matrix."""
    if len(a) != len(b):
        raise ValueError("the two labelings must cover the same items")
    n = len(a)
    if n < 2:
        return 1.0
    ca, cb = _codes(a), _codes(b)
    joint = np.unique(ca * (int(cb.max()) + 1) + cb, return_counts=True)[1]
    index = _pairs(joint)
    sum_a = _pairs(np.bincount(ca))
    sum_b = _pairs(np.bincount(cb))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    top = (sum_a + sum_b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def groups_reproduced(proposed: Sequence[str], reference: Sequence[str]) -> float:
    """Share of the reference's groups of two or more items that the proposal forms exactly (the same
    members, nothing more)."""
    if len(proposed) != len(reference):
        raise ValueError("the two labelings must cover the same items")
    ref: dict[str, set[int]] = {}
    got: dict[str, set[int]] = {}
    for i, (p, r) in enumerate(zip(proposed, reference, strict=True)):
        ref.setdefault(r, set()).add(i)
        got.setdefault(p, set()).add(i)
    merged = [members for members in ref.values() if len(members) >= 2]
    if not merged:
        return 1.0
    found = {frozenset(m) for m in got.values() if len(m) >= 2}
    return sum(frozenset(m) in found for m in merged) / len(merged)
