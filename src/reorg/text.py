"""Small helpers for how values are written for people and for JSON, used across the core.

``listing`` spells out a few names and counts the rest; ``json_number`` and ``json_safe`` turn numpy
scalars, NaN and infinities into plain JSON values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

__all__ = ["json_number", "json_safe", "listing"]


def listing(labels: Iterable[object], *, total: int | None = None, shown: int = 5) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``, or ``"a, b, c, d, e and 7 more"``: the first ``shown``
    labels of ``total`` (default: as many as given)."""
    items = [str(x) for x in labels]
    total = len(items) if total is None else total
    head = items[:shown]
    rest = total - len(head)
    if rest > 0:
        return ", ".join(head) + f" and {rest} more"
    if len(head) > 1:
        return ", ".join(head[:-1]) + " and " + head[-1]
    return head[0] if head else ""


def json_number(value: float) -> float | int | None:
    """A JSON-safe number: integral floats as int, NaN and infinities as None, others rounded to 6
    decimals."""
    if isinstance(value, int | np.integer):
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else round(value, 6)


def json_safe(value: object) -> object:
    """``value`` with plain JSON types, recursively: mappings as dicts with text keys, tuples and lists
    as lists, numpy booleans and integers as bool and int, floats as float (NaN and infinities as
    None); anything else unchanged."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value
