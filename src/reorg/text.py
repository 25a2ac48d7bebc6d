"""Small helpers for how values are written for people and for JSON, used across the core.

``listing`` spells out a few names and counts the rest; ``json_number`` and ``json_safe`` turn numpy
scalars, NaN and infinities into plain JSON values. ``Listing`` and ``Phrase`` are English text that
remembers what it was written from (the labels listed; a keyed template and its parameters), so that
the language layer (``reorg.i18n``) can write a parameter made of them again in another language;
everywhere else they are plain ``str``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

__all__ = ["LISTING_MORE", "Listing", "Phrase", "json_number", "json_safe", "listing"]

#: The English of a listing cut short: ``items`` are the labels shown, separated by ", ".
LISTING_MORE = "{items} and {rest} more"


class Listing(str):
    """The text of ``listing``, remembering the labels it shows (``items``) and how many it leaves
    out (``rest``)."""

    items: tuple[str, ...]
    rest: int

    def __new__(cls, text: str, items: Sequence[str], rest: int) -> Listing:
        self = super().__new__(cls, text)
        self.items = tuple(items)
        self.rest = rest
        return self

    def __reduce__(self) -> tuple[type[Listing], tuple[str, tuple[str, ...], int]]:
        return (Listing, (str(self), self.items, self.rest))


class Phrase(str):
    """English text rendered from the template of catalogue key ``key`` with ``params`` (a finding's
    or refusal's sentence, or a phrase that fills one of their fields)."""

    key: str
    params: Mapping[str, str | int | float]

    def __new__(cls, text: str, key: str, params: Mapping[str, str | int | float]) -> Phrase:
        self = super().__new__(cls, text)
        self.key = key
        self.params = dict(params)
        return self

    def __reduce__(self) -> tuple[type[Phrase], tuple[str, str, dict[str, str | int | float]]]:
        return (Phrase, (str(self), self.key, dict(self.params)))


def listing(labels: Iterable[object], *, total: int | None = None, shown: int = 5) -> Listing:
    """``"a"``, ``"a and b"``, ``"a, b and c"``, or ``"a, b, c, d, e and 7 more"``: the first ``shown``
    labels of ``total`` (default: as many as given)."""
    items = [str(x) for x in labels]
    total = len(items) if total is None else total
    head = items[:shown]
    rest = total - len(head)
    if rest > 0:
        text = LISTING_MORE.format(items=", ".join(head), rest=rest)
    elif len(head) > 1:
        text = ", ".join(head[:-1]) + " and " + head[-1]
    else:
        text = head[0] if head else ""
    return Listing(text, head, max(rest, 0))


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
