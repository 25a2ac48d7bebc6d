"""How ``propose leads`` chooses: the weights of its cost terms and an optional capacity, validated on
construction, TOML-loadable.

Example (every key optional)::

    max_per_unit = 40        # a unit takes new lead duties only up to this many in all; omit: no limit

    [weights]
    portfolio = 1.0          # 1 - share of the unit's duties in the task's field (or sibling tasks)
    level = 1.0              # the unit's level is not the one the task's peers are led at
    load = 0.5               # x / (x + median x), x = lead duties per person of the unit
    change = 2.0             # the unit does not already lead the task there

Each term is described, with its unit, in docs/functions.md.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.tomlfile import from_toml

__all__ = ["LeadWeights", "LeadsSpec"]


@dataclasses.dataclass(frozen=True)
class LeadWeights:
    """Weights of the cost terms (each term lies in [0, 1])."""

    portfolio: float = 1.0
    level: float = 1.0
    load: float = 0.5
    change: float = 2.0

    def __post_init__(self) -> None:
        values = (self.portfolio, self.level, self.load, self.change)
        if any(isinstance(w, bool) or not isinstance(w, int | float) for w in values):
            raise ValueError("weights must be numbers")
        if any(not math.isfinite(w) or w < 0 for w in values):
            raise ValueError("weights must be finite and not negative")


@dataclasses.dataclass(frozen=True)
class LeadsSpec:
    """What ``propose leads`` minimises (``weights``) when a unit may take new lead duties only up to
    ``max_per_unit`` lead duties in all, counting those it holds (it always keeps a lead it holds in a
    cell; None: no limit, and the problem decomposes per cell, see docs/functions.md)."""

    weights: LeadWeights = LeadWeights()
    max_per_unit: int | None = None

    def __post_init__(self) -> None:
        cap = self.max_per_unit
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            raise ValueError("max_per_unit must be a positive integer")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LeadsSpec:
        """A spec from plain data (the TOML form); raises ValueError naming what is wrong."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)}; expected some of {sorted(known)}")
        kwargs = dict(data)
        if "weights" in kwargs:
            weights = kwargs["weights"]
            if not isinstance(weights, Mapping):
                raise ValueError("weights must be a table")
            names = {f.name for f in dataclasses.fields(LeadWeights)}
            if set(weights) - names:
                raise ValueError(f"unknown weights key(s) {sorted(set(weights) - names)}")
            kwargs["weights"] = LeadWeights(**weights)
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> LeadsSpec:
        """A spec from a TOML file; bad content raises InputError naming the file."""
        return from_toml(path, "leads spec", cls.from_dict)
