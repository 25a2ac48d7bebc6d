"""What a territorial consolidation should achieve: the spec, validated on construction, TOML-loadable.

Example (every key optional)::

    target = 3321                 # regions in all; or a [target] table: group id -> regions; omit for max-p
    nest_by = "parent"            # "", "parent", a level name (the ancestor at that level), or a table
    method = "heuristic"          # or "exact" (CP-SAT; connected pieces of at most 60 units)
    naming = "population"         # a region keeps the id and name of its largest member by this
    seed = 0
    locked_together = [["c1", "c2"]]
    kept_apart = [["c3", "c4"]]

    [minimums]                    # per region; area_km2, population, or any attribute of units.csv
    population = 16000
    area_km2 = 30
    standard_minimums = ["area_km2"]  # or per unit, from the apparatus's standards (instead of a number)
    standard_waiver = 3           # a region of 3 or more units counts as meeting the standard minimums

    [maximums]
    population = 250000

    [weights]
    compactness = 1.0             # moment of inertia of unit locations
    balance = 0.0                 # squared coefficient of variation of region totals of balance_by
    balance_by = "population"
    homogeneity = { income = 1.0 }  # within-region sum of squared deviations per attribute
    cohesion = { district = 1.0 }   # keep the members of a former unit together: "parent", a level
                                    # name (the ancestor at that level) or a grouping attribute

    [effort]
    constructions = 8
    sweeps = 8
    time_limit_s = 60

Each objective term is divided by its value for the whole group as one region, so a weight of 1 means
"as important as compactness"; see docs/territory.md.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from reorg.optimize.territory.solve import Effort
from reorg.tomlfile import from_toml

__all__ = ["STANDARD_FIGURES", "TerritorySpec", "Weights", "standard_fill", "waived_fill"]

#: the figures a standard sets a minimum for (``standard_minimums``)
STANDARD_FIGURES = ("area_km2", "population")


def standard_fill(figure: str) -> str:
    """The column of a standard minimum: each unit's ``figure`` over its own standard's minimum."""
    return f"{figure} / standard"


def waived_fill(fill: npt.NDArray[np.float64], waiver: int) -> npt.NDArray[np.float64]:
    """A standard fill under a waiver for regions of ``waiver`` units or more (0 = none): each unit
    fills at least 1 / waiver, so any ``waiver`` units together reach 1. A region whose own figures
    meet the standard still reaches 1; a smaller region may also reach it with less than the standard
    (e.g. fills 0.8 and 0.1 of two units count as 0.8 + 1/3): the rule is relaxed for them, never
    tightened."""
    return fill if waiver == 0 else np.maximum(fill, 1.0 / waiver)


#: the most units a connected piece may have for method = "exact"
EXACT_MAX_UNITS = 60


@dataclasses.dataclass(frozen=True)
class Weights:
    """Weights of the objective terms (each normalized by its whole-group value, see the module)."""

    compactness: float = 1.0
    homogeneity: Mapping[str, float] = dataclasses.field(default_factory=dict)
    balance: float = 0.0
    balance_by: str = ""
    #: former unit -> weight: "parent", a level name (each unit's ancestor at that level) or a unit
    #: attribute whose equal values form a group; a region spanning several former units costs (see
    #: docs/territory.md, Objective)
    cohesion: Mapping[str, float] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "homogeneity", dict(self.homogeneity))
        object.__setattr__(self, "cohesion", dict(self.cohesion))
        if any(not isinstance(k, str) or not k for k in self.cohesion):
            raise ValueError('cohesion keys must be "parent", a level name or an attribute name')
        values = [self.compactness, self.balance, *self.homogeneity.values(), *self.cohesion.values()]
        if any(not math.isfinite(w) or w < 0 for w in values):
            raise ValueError("weights must be finite and not negative")


@dataclasses.dataclass(frozen=True)
class TerritorySpec:
    """A territorial consolidation to propose (see the module docstring for each field)."""

    minimums: Mapping[str, float] = dataclasses.field(default_factory=dict)
    maximums: Mapping[str, float] = dataclasses.field(default_factory=dict)
    target: int | Mapping[str, int] | None = None
    nest_by: str | Mapping[str, str] = "parent"
    weights: Weights = Weights()
    locked_together: tuple[tuple[str, ...], ...] = ()
    kept_apart: tuple[tuple[str, str], ...] = ()
    naming: str = "population"
    seed: int = 0
    method: Literal["heuristic", "exact"] = "heuristic"
    effort: Effort = dataclasses.field(default_factory=Effort)
    #: ``area_km2`` and/or ``population``: each unit's minimum is the one of the standard that judges it
    #: (its level, kind and class; ``reorg.plan.kinds``), and a region must fill it: the sum over its
    #: members of value / own minimum is at least 1 (docs/territory.md, Standards by kind)
    standard_minimums: tuple[str, ...] = ()
    #: a region of at least this many units counts as meeting the standard minimums whatever its
    #: figures (0 = never; NASC Res. 76/2025 waives the standards for a merger of three units or more):
    #: each unit then fills at least 1 / waiver of each standard (``waived_fill``)
    standard_waiver: int = 0

    def __post_init__(self) -> None:
        for name in ("minimums", "maximums"):
            bounds = dict(getattr(self, name))
            if any(not isinstance(v, int | float) or math.isnan(v) or v < 0 for v in bounds.values()):
                raise ValueError(f"{name} must be numbers >= 0")
            object.__setattr__(self, name, bounds)
        for key, hi in self.maximums.items():
            if hi < self.minimums.get(key, 0.0) or hi == 0:
                raise ValueError(f"maximum of {key} must be positive and at least its minimum")
        object.__setattr__(self, "standard_minimums", tuple(self.standard_minimums))
        if any(k not in STANDARD_FIGURES for k in self.standard_minimums):
            raise ValueError(f"standard_minimums may name {' and '.join(STANDARD_FIGURES)} only")
        if isinstance(self.standard_waiver, bool) or not isinstance(self.standard_waiver, int):
            raise ValueError("standard_waiver must be an integer")
        if self.standard_waiver == 1 or self.standard_waiver < 0:
            raise ValueError("standard_waiver must be 0 (none) or at least 2 units")
        if self.standard_waiver and not self.standard_minimums:
            raise ValueError("standard_waiver needs standard_minimums")
        if set(self.standard_minimums) & set(self.minimums):
            raise ValueError("an attribute has either a minimum or a standard minimum, not both")
        if isinstance(self.target, Mapping):
            object.__setattr__(self, "target", dict(self.target))
            targets = list(self.target.values())
        else:
            targets = [] if self.target is None else [self.target]
        if any(isinstance(k, bool) or not isinstance(k, int) or k < 1 for k in targets):
            raise ValueError("target must be a positive integer (or a table of them)")
        if isinstance(self.nest_by, Mapping):
            object.__setattr__(self, "nest_by", {str(k): str(v) for k, v in self.nest_by.items()})
        object.__setattr__(self, "locked_together", tuple(tuple(g) for g in self.locked_together))
        object.__setattr__(self, "kept_apart", tuple(tuple(p) for p in self.kept_apart))
        if any(len(g) < 2 for g in self.locked_together):
            raise ValueError("each locked_together group needs at least two unit ids")
        if any(len(p) != 2 or p[0] == p[1] for p in self.kept_apart):
            raise ValueError("each kept_apart entry is a pair of two different unit ids")
        if self.method not in ("heuristic", "exact"):
            raise ValueError('method must be "heuristic" or "exact"')
        if not self.naming:
            raise ValueError("naming needs an attribute name")

    @property
    def constrained(self) -> list[str]:
        """Attributes with a minimum or maximum, minimums first, in the order given; a standard minimum
        is the column ``standard_fill(name)``."""
        fills = [standard_fill(k) for k in self.standard_minimums]
        return list(dict.fromkeys([*self.minimums, *fills, *self.maximums]))

    @property
    def lower_bounds(self) -> dict[str, float]:
        """Per constrained column, the least a region's total may be: the minimums, and 1 for each
        standard fill."""
        return {**self.minimums, **{standard_fill(k): 1.0 for k in self.standard_minimums}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TerritorySpec:
        """A spec from plain data (the TOML form); raises ValueError naming what is wrong."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)}; expected some of {sorted(known)}")
        kwargs = dict(data)
        if "weights" in kwargs:
            kwargs["weights"] = _build(Weights, kwargs["weights"], "weights")
        if "effort" in kwargs:
            kwargs["effort"] = _build(Effort, kwargs["effort"], "effort")
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> TerritorySpec:
        """A spec from a TOML file; bad content raises InputError naming the file."""
        return from_toml(path, "territory spec", cls.from_dict)


def _build(cls: type[Any], value: Any, what: str) -> Any:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a table")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"unknown {what} key(s) {sorted(unknown)}")
    return cls(**value)
