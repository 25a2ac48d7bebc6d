"""What a merger proposal may do: the spec, validated on construction, TOML-loadable.

Example (every key optional)::

    target = 22                   # units of the level per place after the merger; omit: merge every
                                  # group whose pairs all reach min_similarity
    min_similarity = 0.5          # least similarity of every two units merged together
    field_weight = 0.8            # weight of related fields in the similarity (0: shared tasks only)
    max_holders = 50              # a task held by more units of one place is generic there
    max_tasks = 60                # most tasks a merged unit may hold
    max_headcount = 2000          # most people a merged unit may have
    dissolve_contained = true     # a unit whose tasks are all held beside it is dissolved into them
    locked_together = [["mpi", "mof"]]
    kept_apart = [["mod", "mps"]]
    untouchable = ["go"]
    method = "auto"               # "exact" (CP-SAT), "greedy", or "auto" (exact up to exact_max_units)
    exact_max_units = 40
    time_limit_s = 20

The similarity and the objective are in docs/functions.md.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.tomlfile import from_toml

__all__ = ["METHODS", "MergeSpec"]

METHODS = ("auto", "exact", "greedy")


def _pairs(value: Any, name: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{name} must be a list of [unit, unit] pairs")
    out = []
    for pair in value:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(x, str) and x for x in pair)
            or pair[0] == pair[1]
        ):
            raise ValueError(f"{name} must be a list of [unit, unit] pairs of two different ids")
        out.append((str(pair[0]), str(pair[1])))
    return tuple(out)


def _positive(value: Any, name: str, *, integer: bool) -> None:
    if value is None:
        return
    kinds = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive {'integer' if integer else 'number'}")


@dataclasses.dataclass(frozen=True)
class MergeSpec:
    """How units of one level may be merged: ``target`` units per place (None: as many merges as the
    similarity allows), ``min_similarity`` between every two members of a merged unit, the weight of
    related fields, the generic-task cap, the largest merged unit (``max_tasks`` distinct tasks,
    ``max_headcount`` people), pairs ``locked_together`` (merged whatever their similarity) or
    ``kept_apart``, ``untouchable`` units, whether contained units are dissolved, and the solver."""

    target: int | None = None
    min_similarity: float = 0.5
    field_weight: float = 0.8
    max_holders: int = 50
    max_tasks: int | None = None
    max_headcount: float | None = None
    dissolve_contained: bool = True
    locked_together: tuple[tuple[str, str], ...] = ()
    kept_apart: tuple[tuple[str, str], ...] = ()
    untouchable: tuple[str, ...] = ()
    method: str = "auto"
    exact_max_units: int = 40
    time_limit_s: float = 20.0

    def __post_init__(self) -> None:
        _positive(self.target, "target", integer=True)
        _positive(self.max_tasks, "max_tasks", integer=True)
        _positive(self.max_headcount, "max_headcount", integer=False)
        _positive(self.exact_max_units, "exact_max_units", integer=True)
        _positive(self.time_limit_s, "time_limit_s", integer=False)
        _positive(self.max_holders, "max_holders", integer=True)
        for name in ("min_similarity", "field_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number in [0, 1]")
        if self.min_similarity == 0:
            raise ValueError("min_similarity must be above 0")
        if not isinstance(self.dissolve_contained, bool):
            raise ValueError("dissolve_contained must be true or false")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}")
        object.__setattr__(self, "locked_together", _pairs(self.locked_together, "locked_together"))
        object.__setattr__(self, "kept_apart", _pairs(self.kept_apart, "kept_apart"))
        if not isinstance(self.untouchable, list | tuple) or not all(
            isinstance(u, str) and u for u in self.untouchable
        ):
            raise ValueError("untouchable must be a list of unit ids")
        object.__setattr__(self, "untouchable", tuple(self.untouchable))
        clash = {frozenset(p) for p in self.locked_together} & {frozenset(p) for p in self.kept_apart}
        if clash:
            raise ValueError(f"a pair is both locked together and kept apart: {sorted(next(iter(clash)))}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeSpec:
        """A spec from plain data (the TOML form); raises ValueError naming what is wrong."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)}; expected some of {sorted(known)}")
        return cls(**dict(data))

    @classmethod
    def from_toml(cls, path: str | Path) -> MergeSpec:
        """A spec from a TOML file; bad content raises InputError naming the file."""
        return from_toml(path, "merge spec", cls.from_dict)
