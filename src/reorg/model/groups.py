"""Grouping rows by an integer key, on whole columns: the pieces every check needs.

``group_by`` splits values by key, ``sorted_by`` orders columns by one key column (stable),
``child_counts`` counts the children of each row of a parent column (``-1`` = no parent).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["child_counts", "group_by", "sorted_by"]


def group_by(keys: npt.NDArray[Any], values: npt.NDArray[Any]) -> list[tuple[int, npt.NDArray[Any]]]:
    """``values`` grouped by integer ``keys``: (key, values) pairs sorted by key, values in their order
    within a key."""
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    k, v = keys[order], values[order]
    cuts = np.flatnonzero(k[1:] != k[:-1]) + 1
    return [
        (int(part_k[0]), part_v) for part_k, part_v in zip(np.split(k, cuts), np.split(v, cuts), strict=True)
    ]


def sorted_by(key: npt.NDArray[Any], *columns: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """``key`` and ``columns`` reordered by ``key`` (stable)."""
    order = np.argsort(key, kind="stable")
    return [key[order], *(c[order] for c in columns)]


def child_counts(parent: npt.NDArray[np.integer], n: int | None = None) -> npt.NDArray[np.int64]:
    """Children per row of a parent column (``-1`` = no parent), over ``n`` rows (default: its length)."""
    n = len(parent) if n is None else n
    return np.bincount(parent[parent >= 0], minlength=n).astype(np.int64)
