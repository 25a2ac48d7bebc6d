"""What a merger proposal says about itself: per operation, per place and overall, as plain data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["Explanation", "GroupReport", "OperationReport"]


@dataclasses.dataclass(frozen=True)
class OperationReport:
    """One merger or dissolution: ``kind`` "merge" (``units`` become ``into``), "dissolve" (a unit
    whose tasks ``into`` already holds goes into it) or "dissolve_held" (a unit whose tasks are all held
    by units beside it goes; its leads are handed to them, its staff to ``into``); the least and mean
    ``similarity`` of its pairs; ``shared_tasks`` held by two members or more; ``duplicated_leads``
    removed (tasks led by two members or more, now led once); ``tasks_before`` (sum over the members)
    and ``tasks_after`` (distinct); combined ``headcount`` and ``quota`` (None: no member has a quota);
    ``binds``: why the merged unit is not larger — "similarity" (no other unit is similar enough to
    all members), "max_tasks", "max_headcount", "target" (the count was reached), "objective" (a
    more similar grouping won); ``operations``: positions in the plan."""

    kind: str
    units: tuple[str, ...]
    into: str
    place: str
    similarity_min: float
    similarity_mean: float
    shared_tasks: int
    duplicated_leads: int
    tasks_before: int
    tasks_after: int
    headcount: int
    quota: float | None
    binds: str
    operations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["units"] = list(self.units)
        out["operations"] = list(self.operations)
        return out


@dataclasses.dataclass(frozen=True)
class GroupReport:
    """One place (the parent of the units grouped): units before and after, the method and its
    status, the objective (total similarity of the pairs merged) and its proven upper bound."""

    place: str
    units: int
    units_after: int
    method: str
    status: str
    objective: float
    bound: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The operations explained, the places solved (only those with a pair that may be merged), the
    totals (``units``, ``units_after``, ``merges``, ``dissolutions``, ``objective``, ``bound``,
    ``pairs``: the pairs that may be merged) and the time taken (s)."""

    level: str
    operations: tuple[OperationReport, ...]
    groups: tuple[GroupReport, ...]
    totals: Mapping[str, float]
    seconds: float

    def for_operation(self, index: int) -> tuple[OperationReport, ...]:
        """The report of the plan's operation at ``index`` (0-based)."""
        return tuple(r for r in self.operations if index in r.operations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "totals": dict(self.totals),
            "seconds": self.seconds,
            "groups": [g.to_dict() for g in self.groups],
            "operations": [r.to_dict() for r in self.operations],
        }
