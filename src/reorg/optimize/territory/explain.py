"""What a territorial proposal says about itself: per region and per group, as plain data.

A region report names its members, its totals, the constraint that bound it (the minimum or maximum
it meets with the least room, or the one it fails) and its objective terms. A group report says how
the group was divided, its upper bound on the number of regions, and what was infeasible and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["Explanation", "GroupReport", "RegionReport", "binding_constraint"]


@dataclasses.dataclass(frozen=True)
class RegionReport:
    """One proposed region. ``totals`` per attribute (km², people, ...); ``binding`` e.g.
    "min population" (met with the least relative room, ``slack`` = total / bound - 1 for a minimum,
    1 - total / bound for a maximum; negative = not met); ``homogeneity`` and ``compactness`` are the
    region's weighted objective terms, and ``cohesion`` its term for the former units of
    ``Weights.cohesion``; ``inertia_km2`` the sum of squared distances (km²) of its units' locations
    to their mean; ``spans``, per cohesion key, the former units its members come from (one when it
    stays inside a former unit)."""

    id: str
    name: str
    group: str
    members: tuple[str, ...]
    totals: Mapping[str, float]
    binding: str
    slack: float
    feasible: bool
    homogeneity: float
    compactness: float
    inertia_km2: float
    cohesion: float = 0.0
    spans: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["members"] = list(self.members)
        out["totals"] = dict(self.totals)
        out["spans"] = {k: list(v) for k, v in self.spans.items()}
        return out


@dataclasses.dataclass(frozen=True)
class GroupReport:
    """One nesting group (a parent, or a group of another plan). ``upper_bound`` is a bound on the
    regions its minimums allow (sum over its connected pieces); ``infeasible`` lists the connected
    pieces whose total is below a minimum (each kept as one region, never joined across a gap in the
    graph); ``short`` counts the other regions that break a bound (a target above what the minimums
    allow); ``notes`` says anything else a reader should know (a target that could not be met, missing
    data, a run stopped by the time limit)."""

    group: str
    units: int
    components: int
    regions: int
    target: int | None
    upper_bound: int
    infeasible: tuple[tuple[str, ...], ...]
    short: int = 0
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """ok, infeasible / partly infeasible (pieces below a minimum), target not met, or short
        (regions of feasible pieces that break a bound)."""
        if self.infeasible:
            return "infeasible" if len(self.infeasible) == self.components else "partly infeasible"
        if self.target is not None and self.regions != self.target:
            return "target not met"
        return "short" if self.short else "ok"

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["infeasible"] = [list(c) for c in self.infeasible]
        out["notes"] = list(self.notes)
        out["status"] = self.status
        return out


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The explanation of a proposal: regions, groups, the objective terms summed over all regions
    (``compactness``, ``homogeneity``, ``cohesion``, ``balance``, ``objective``,
    ``regions_below_minimum``), the time
    taken and whether a time limit cut any solve short."""

    level: str
    regions: tuple[RegionReport, ...]
    groups: tuple[GroupReport, ...]
    objective: Mapping[str, float]
    seconds: float
    timed_out: bool

    def region(self, unit_id: str) -> RegionReport:
        """The region that contains ``unit_id``."""
        for r in self.regions:
            if unit_id in r.members:
                return r
        raise KeyError(unit_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "objective": dict(self.objective),
            "seconds": self.seconds,
            "timed_out": self.timed_out,
            "groups": [g.to_dict() for g in self.groups],
            "regions": [r.to_dict() for r in self.regions],
        }


def binding_constraint(
    totals: Mapping[str, float], minimums: Mapping[str, float], maximums: Mapping[str, float]
) -> tuple[str, float]:
    """("min X" or "max X", slack) of the bound met with the least relative room, or the one failed
    worst; ("none", inf) when there is no bound."""
    best, best_slack = "none", float("inf")
    for key, lo in minimums.items():
        if lo > 0:
            slack = totals[key] / lo - 1.0
            if slack < best_slack:
                best, best_slack = f"min {key}", slack
    for key, hi in maximums.items():
        slack = 1.0 - totals[key] / hi
        if slack < best_slack:
            best, best_slack = f"max {key}", slack
    return best, best_slack
