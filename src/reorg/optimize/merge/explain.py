"""What a merger proposal says about itself: per operation, per place and overall, as plain data; and
what the internal model after a merger says per merged unit."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["Explanation", "GroupReport", "InternalExplanation", "MergedUnit", "OperationReport"]


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


@dataclasses.dataclass(frozen=True)
class MergedUnit:
    """One merged unit: its id, name and level after the merger, its ``predecessors`` (baseline ids);
    its departments ``before`` (under the predecessors in the baseline), ``merged`` (under it after the
    merger plan) and ``after`` (after the internal model); the department ``operations`` explained
    (shared tasks, similarity, headcount against quota, what binds); the people of its internal
    apparatus and the sum of its quotas, before and after (None: no quota); ``over_quota`` after, by
    the quota rule; leadership posts before, after the merger plan alone, and after both."""

    unit: str
    name: str
    level: str
    predecessors: tuple[str, ...]
    departments_before: int
    departments_merged: int
    departments_after: int
    operations: tuple[OperationReport, ...]
    headcount_before: int
    headcount_after: int
    quota_before: float | None
    quota_after: float | None
    over_quota: bool
    leaders_before: int
    leaders_merged: int
    leaders_after: int

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["predecessors"] = list(self.predecessors)
        out["operations"] = [r.to_dict() for r in self.operations]
        return out


@dataclasses.dataclass(frozen=True)
class InternalExplanation:
    """The merger plan's name, the merged units shown (those with departments, in the order of the
    result), the department levels solved and their places, the totals (``merged_units``: all of them,
    ``with_departments``; over those: ``departments_before``, ``departments_merged``, ``departments_after``,
    ``mergers``, ``dissolutions``, ``headcount_before``, ``headcount_after``, ``leaders_before``,
    ``leaders_merged``, ``leaders_after``), ``first`` (the position of the first department operation
    in the plan), the time taken (s) and the merged units per level (``merged_by_level``, all of them:
    with departments or not)."""

    merger: str
    units: tuple[MergedUnit, ...]
    levels: tuple[str, ...]
    groups: tuple[GroupReport, ...]
    totals: Mapping[str, float]
    first: int
    seconds: float
    merged_by_level: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "merger": self.merger,
            "first": self.first,
            "levels": list(self.levels),
            "totals": dict(self.totals),
            "merged_by_level": dict(self.merged_by_level),
            "seconds": self.seconds,
            "groups": [g.to_dict() for g in self.groups],
            "units": [u.to_dict() for u in self.units],
        }
