"""The figures of a reform's summary report, computed once and read by both of its renderers.

``ReportData`` is plain data (numbers as numbers, names as given, findings as template key and
parameters): ``reorg.report.reform`` draws it as an HTML page and ``reorg.report.workbook`` writes it as
an XLSX workbook, in any language, so that the page and the workbook cannot disagree. The use case
``reorg.services.report`` computes it from the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from reorg.report.tracking import MonitoringFigures, RoadmapFigures, RoundFigures

__all__ = [
    "Costs",
    "Count",
    "FindingLine",
    "MapArea",
    "MapData",
    "OperationLine",
    "PlanFigures",
    "ReportData",
]

#: data parts whose being synthetic makes the diagnosis synthetic too
FINDING_PARTS = frozenset({"units", "tasks", "duties", "people", "results", "standards", "neighbours"})


@dataclasses.dataclass(frozen=True)
class Count:
    """A count before and after the plan: units of a level (``name`` = the level), units of a kind at a
    level (``level`` set, ``name`` = the kind), findings of a kind or a severity."""

    name: str
    before: int
    after: int
    level: str = ""

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclasses.dataclass(frozen=True)
class FindingLine:
    """One finding after the plan: rendered in a language from ``template`` and ``params``
    (``reorg.i18n.explain``); ``english`` is the core's own sentence."""

    kind: str
    severity: str
    template: str
    params: Mapping[str, Any]
    english: str


@dataclasses.dataclass(frozen=True)
class OperationLine:
    """Operation ``index`` (0-based, its position in the plan) of kind ``op``, its fields as
    ``name=value`` pairs joined by "; "."""

    index: int
    op: str
    details: str


@dataclasses.dataclass(frozen=True)
class PlanFigures:
    """One plan on the common yardstick: units per level after it, people after it, moved and
    released by it, and findings per severity after it."""

    name: str
    version: int
    baseline: str
    operations: int
    units_after: Mapping[str, int]
    headcount_after: int
    moved: int
    released: int
    findings_after: Mapping[str, int]


@dataclasses.dataclass(frozen=True)
class Costs:
    """What the plan means for people under a benefits ruleset (``reorg.services.placement``): the
    people of the units it replaces (``candidates``) placed by merit into the ``posts`` of the ``units``
    it forms, the rest (``surplus``) leaving on ``as_of`` under the regime each is eligible for, what
    their benefits cost and what payroll they save per year (in ``currency``), and the payback (years;
    None when nothing is saved). ``illustrative`` marks a ruleset that is not a real policy."""

    ruleset: str
    currency: str
    illustrative: bool
    as_of: dt.date
    units: int
    candidates: int
    posts: int
    placed: int
    placed_as_leaders: int
    surplus: int
    surplus_by_regime: tuple[tuple[str, int], ...]
    cost: float
    annual_saving: float
    payback_years: float | None


@dataclasses.dataclass(frozen=True)
class MapArea:
    """A unit of the mapped level: its GeoJSON geometry (lon/lat degrees; None when it has none), and the
    unit of the plan's result it went into (``after_id`` "" when it went nowhere: dissolved)."""

    id: str
    name: str
    after_id: str
    after_name: str
    estimated: bool
    geometry: Mapping[str, Any] | None


@dataclasses.dataclass(frozen=True)
class MapData:
    """The territorial level the plan changes most, unit by unit; ``estimated`` counts the areas whose
    shape is a cell estimated from unit locations, not a real boundary."""

    level: str
    areas: tuple[MapArea, ...]
    estimated: int


@dataclasses.dataclass(frozen=True)
class ReportData:
    """Everything the report shows about plan ``plan`` on dataset ``dataset``.

    ``levels`` holds the units per level (top first) and ``kinds`` per level and kind; findings are
    exact counts per kind and per severity, ``top_findings`` the most pressing left after the plan;
    ``operations`` is capped (``operations_total`` is exact); ``plans`` puts the plan first and the
    compared plans after it, on the levels ``plan_levels``; ``costs`` is the placement and benefits of
    the people concerned (None when the dataset has no people); ``roadmap``, ``consultations`` and
    ``monitoring`` are the plan's newest roadmap, its consultation rounds and its monitoring status
    (``reorg.report.tracking``; None or empty when none was built, opened or reported). ``synthetic``
    names the generated parts of the data (``DatasetInfo.synthetic``) and ``source`` where the rest
    comes from."""

    dataset: str
    dataset_version: int
    title: str
    plan: str
    plan_version: int
    description: str
    source: str
    synthetic: tuple[str, ...]
    levels: tuple[Count, ...]
    kinds: tuple[Count, ...]
    findings_by_kind: tuple[Count, ...]
    findings_by_severity: tuple[Count, ...]
    top_findings: tuple[FindingLine, ...]
    operations_by_kind: tuple[tuple[str, int], ...]
    operations: tuple[OperationLine, ...]
    operations_total: int
    headcount: tuple[int, int]
    moved: int
    released: int
    added: int
    plans: tuple[PlanFigures, ...]
    plan_levels: tuple[str, ...]
    map: MapData | None = None
    costs: Costs | None = None
    roadmap: RoadmapFigures | None = None
    consultations: tuple[RoundFigures, ...] = ()
    monitoring: MonitoringFigures | None = None

    def synthetic_in(self, *parts: str) -> bool:
        """Does a figure that rests on ``parts`` of the data rest on synthetic data?"""
        return any(p in self.synthetic for p in parts)

    @property
    def findings_synthetic(self) -> bool:
        return bool(FINDING_PARTS.intersection(self.synthetic))

    @property
    def units_total(self) -> tuple[int, int]:
        """Units before and after the plan, all levels."""
        return sum(c.before for c in self.levels), sum(c.after for c in self.levels)

    @property
    def findings_total(self) -> tuple[int, int]:
        """Findings before and after the plan, all severities."""
        return sum(c.before for c in self.findings_by_severity), sum(
            c.after for c in self.findings_by_severity
        )

    def to_dict(self) -> dict[str, Any]:
        """The figures for JSON (the CLI's ``--json``)."""

        def counts(rows: tuple[Count, ...]) -> list[dict[str, Any]]:
            return [dataclasses.asdict(c) for c in rows]

        return {
            "dataset": self.dataset,
            "dataset_version": self.dataset_version,
            "plan": self.plan,
            "plan_version": self.plan_version,
            "source": self.source,
            "synthetic": list(self.synthetic),
            "levels": counts(self.levels),
            "kinds": counts(self.kinds),
            "findings_by_kind": counts(self.findings_by_kind),
            "findings_by_severity": counts(self.findings_by_severity),
            "operations_by_kind": dict(self.operations_by_kind),
            "operations": self.operations_total,
            "people": {
                "before": self.headcount[0],
                "after": self.headcount[1],
                "moved": self.moved,
                "released": self.released,
                "added": self.added,
            },
            "plans": [dataclasses.asdict(p) for p in self.plans],
            "map": None if self.map is None else {"level": self.map.level, "estimated": self.map.estimated},
            "costs": None
            if self.costs is None
            else {**dataclasses.asdict(self.costs), "as_of": str(self.costs.as_of)},
            "roadmap": None if self.roadmap is None else self.roadmap.to_dict(),
            "consultations": [r.to_dict() for r in self.consultations],
            "monitoring": None if self.monitoring is None else self.monitoring.to_dict(),
        }
