"""The summary of a diagnosis, typed: one frozen dataclass per family of checks, and ``Summary`` that
holds them with the sizes of the apparatus and the counts of findings.

``Summary.to_dict()`` is the flat JSON the report has always had (the keys of docs/diagnosis.md,
*Summary metrics*, in the order families run, with JSON-safe values). ``Summary`` is also a read-only
mapping over that dict (``summary["duplication_index"]``), the read path of callers written before
it was typed; new code reads the attributes (``summary.responsibility.duplication_index``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar, cast

from reorg.text import json_safe

__all__ = [
    "IdleSummary",
    "LayersSummary",
    "MismatchSummary",
    "OverlapSummary",
    "Part",
    "QuotaSummary",
    "ResponsibilitySummary",
    "SpanDistribution",
    "StaffingSummary",
    "StandardsSummary",
    "Summary",
]


class _Part:
    """A family's figures: ``to_dict`` gives its fields by name, nested parts as dicts."""

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: _value(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }


def _value(value: object) -> object:
    return value.to_dict() if isinstance(value, _Part) else value


@dataclasses.dataclass(frozen=True)
class ResponsibilitySummary(_Part):
    """Leads: task counts, territory leaves, and the shares of (task, leaf) cells led twice / unled."""

    tasks: int
    task_headings: int
    territory_pieces: int
    tasks_with_multiple_leads: int
    tasks_without_lead: int
    tasks_with_gaps: int
    duplication_index: float
    unclear_responsibility_index: float


@dataclasses.dataclass(frozen=True)
class OverlapSummary(_Part):
    """Similar pairs of units with overlapping jurisdictions, their groups, generic places."""

    overlap_pairs: int
    overlap_same_level_pairs: int
    overlap_cross_level_pairs: int
    overlap_groups: int
    overlap_generic_places: int


@dataclasses.dataclass(frozen=True)
class SpanDistribution(_Part):
    """Direct subordinates of the units that have some: count, median, mean, max, histogram."""

    managers: int
    median: float
    mean: float
    max: int
    histogram: Mapping[str, int]


@dataclasses.dataclass(frozen=True)
class LayersSummary(_Part):
    """Layers (deepest depth + 1), the depth norm used, and the span distribution."""

    layers: int
    depth_norm: int
    spans: SpanDistribution


@dataclasses.dataclass(frozen=True)
class StandardsSummary(_Part):
    """Units judged against a standard, below it, standards rows over their maximum count; the units below
    standard per standard that judged them (its label: ``commune, Phường``), and the units judged and
    below per kind of unit (``commune, Xã``: level and kind)."""

    units_assessed_against_standards: int
    units_below_standard: int
    levels_over_max_units: int
    below_by_standard: Mapping[str, int] = dataclasses.field(default_factory=dict)
    assessed_by_kind: Mapping[str, int] = dataclasses.field(default_factory=dict)
    below_by_kind: Mapping[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class QuotaSummary(_Part):
    """Headcount (people) against quota (headcount), the latter summed over units that have one."""

    headcount: int
    quota: float
    headcount_in_units_with_quota: int
    units_with_quota: int
    units_over_quota: int
    people_over_quota: float


@dataclasses.dataclass(frozen=True)
class StaffingSummary(_Part):
    """Per level name, the units whose staffing was scored."""

    staffing_scored_units: Mapping[str, int]


@dataclasses.dataclass(frozen=True)
class IdleSummary(_Part):
    """Units with no duty in their subtree (None when the apparatus has no duty at all)."""

    idle_units: int | None


@dataclasses.dataclass(frozen=True)
class MismatchSummary(_Part):
    """Fields (or parent tasks) firm enough to judge a level mismatch."""

    task_groups_compared: int


#: a family's figures, as the checks return them
Part = _Part
_P = TypeVar("_P", bound=_Part)


@dataclasses.dataclass(frozen=True, eq=False)
class Summary(Mapping[str, object]):
    """The whole summary: sizes, each family's figures (``parts``, in the order families run), and the
    exact counts of findings per kind and severity (``findings`` counts every finding, reported or
    not; ``findings_reported`` how many the report holds)."""

    dataset: str
    units: int
    tasks: int
    duties: int
    people: int
    units_per_level: Mapping[str, int]
    parts: tuple[_Part, ...]
    findings: Mapping[str, int]
    findings_by_severity: Mapping[str, int]
    findings_reported: int

    def part(self, kind: type[_P]) -> _P:
        """The figures of one family, by their type: ``summary.part(QuotaSummary).headcount``."""
        for p in self.parts:
            if isinstance(p, kind):
                return p
        raise KeyError(kind.__name__)

    @property
    def responsibility(self) -> ResponsibilitySummary:
        return self.part(ResponsibilitySummary)

    @property
    def overlap(self) -> OverlapSummary:
        return self.part(OverlapSummary)

    @property
    def layers(self) -> LayersSummary:
        return self.part(LayersSummary)

    @property
    def standards(self) -> StandardsSummary:
        return self.part(StandardsSummary)

    @property
    def quota(self) -> QuotaSummary:
        return self.part(QuotaSummary)

    @property
    def staffing(self) -> StaffingSummary:
        return self.part(StaffingSummary)

    @property
    def idle(self) -> IdleSummary:
        return self.part(IdleSummary)

    @property
    def level_mismatch(self) -> MismatchSummary:
        return self.part(MismatchSummary)

    def to_dict(self) -> dict[str, object]:
        """The flat JSON-safe dict of docs/diagnosis.md, *Summary metrics*."""
        return dict(self._flat)

    @functools.cached_property
    def _flat(self) -> dict[str, object]:
        flat: dict[str, object] = {
            "dataset": self.dataset,
            "units": self.units,
            "tasks": self.tasks,
            "duties": self.duties,
            "people": self.people,
            "units_per_level": self.units_per_level,
        }
        for p in self.parts:
            flat.update(p.to_dict())
        flat.update(
            findings=self.findings,
            findings_by_severity=self.findings_by_severity,
            findings_reported=self.findings_reported,
        )
        return cast(dict[str, object], json_safe(flat))

    # the mapping read path (callers written before the summary was typed)
    def __getitem__(self, key: str) -> object:
        return self._flat[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._flat)

    def __len__(self) -> int:
        return len(self._flat)
