"""Checks across rows: trees without cycles, keys without duplicates. Linear or n log n, no recursion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from reorg.io.sheets import Sheet
from reorg.plan.rules import parent_cycles

__all__ = ["check_tree", "find_cycle", "first_duplicate", "first_duplicate_text"]

IntArray = npt.NDArray[np.int32]


def find_cycle(parent: IntArray) -> list[int]:
    """Rows forming one cycle of the parent relation (each row's parent is the next, starting at its
    lowest row), or [] if it is a forest: the first of ``reorg.plan.rules.parent_cycles``, the rule the
    ``tree`` invariant uses."""
    cycles = parent_cycles(parent)
    return cycles[0] if cycles else []


def check_tree(sheet: Sheet, parent: IntArray, ids: npt.NDArray[np.object_], what: str) -> None:
    """Refuse a row that is its own parent, and any cycle of parents, naming the first row on it."""
    own = np.flatnonzero(parent == np.arange(len(parent)))
    if own.size:
        i = int(own[0])
        raise sheet.error(i, "parent_id", f"a parent other than the {what} itself", str(ids[i]))
    cycle = find_cycle(parent)
    if cycle:
        first = min(cycle)
        k = cycle.index(first)
        ring = cycle[k:] + cycle[:k]
        shown = [str(ids[r]) for r in ring[:6]] + (["..."] if len(ring) > 6 else [str(ids[first])])
        raise sheet.error(
            first,
            "parent_id",
            f"a tree, but these {what}s are each other's ancestors (each → its parent): {' → '.join(shown)}",
        )


def first_duplicate(keys: Sequence[npt.NDArray[np.integer]]) -> tuple[int, int] | None:
    """(earlier row, later row) of the first repeated combination of integer ``keys``, by the later
    row; None when every combination is unique."""
    n = len(keys[0])
    if n < 2:
        return None
    order = np.lexsort(tuple(reversed(keys)))
    same = np.ones(n - 1, dtype=bool)
    for key in keys:
        ordered = key[order]
        same &= ordered[1:] == ordered[:-1]
    if not same.any():
        return None
    later = order[1:][same]
    j = int(np.argmin(later))
    return int(order[:-1][same][j]), int(later[j])


def first_duplicate_text(columns: Sequence[Sequence[object]]) -> tuple[int, int] | None:
    """As ``first_duplicate`` for keys of any hashable values (text)."""
    seen: dict[tuple[object, ...], int] = {}
    for i, key in enumerate(zip(*columns, strict=True)):
        if key in seen:
            return seen[key], i
        seen[key] = i
    return None
