"""Use case: the headline figures of a dataset and of each plan made on it — what the dashboard shows.

Units per level, findings per kind and severity, people, and for every stored plan on the dataset the
units per level and people after it and the findings left. A unit officer sees the same figures counted
within their subtree only (``reorg.services.access``), and plans without their national figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from reorg.diagnose import Report
from reorg.diagnose.findings import SEVERITIES
from reorg.model import Apparatus
from reorg.services import access
from reorg.services.diagnosis import diagnose_dataset
from reorg.services.plans import list_plans
from reorg.services.resolve import Resolved, resolve
from reorg.store import UnitOfWork

__all__ = ["Overview", "PlanEffect", "overview"]


@dataclasses.dataclass(frozen=True)
class PlanEffect:
    """A stored plan on the dataset: its size and, when the viewer may see national figures, units per
    level (before, after), people (before, after) and findings per severity after it."""

    name: str
    version: int
    operations: int
    levels: Mapping[str, tuple[int, int]]
    people: tuple[int, int] | None
    findings: Mapping[str, int]

    def after_counts(self, levels: Iterable[str]) -> list[int]:
        """Units after the plan at each of ``levels`` (0 where it has none)."""
        return [self.levels[n][1] if n in self.levels else 0 for n in levels]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "operations": self.operations,
            "levels": {k: {"before": a, "after": b} for k, (a, b) in self.levels.items()},
            "people": None if self.people is None else {"before": self.people[0], "after": self.people[1]},
            "findings": dict(self.findings),
        }


@dataclasses.dataclass(frozen=True)
class Overview:
    """The dashboard of dataset ``header['name']``; ``scope`` is the unit whose subtree the figures count
    ("" = the whole apparatus)."""

    header: Mapping[str, Any]
    scope: str
    levels: Mapping[str, int]
    people: int
    findings: Mapping[str, Mapping[str, int]]
    severities: Mapping[str, int]
    plans: tuple[PlanEffect, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": dict(self.header),
            "scope": self.scope,
            "levels": dict(self.levels),
            "people": self.people,
            "findings": {k: dict(v) for k, v in self.findings.items()},
            "severities": dict(self.severities),
            "plans": [p.to_dict() for p in self.plans],
        }


def _levels(app: Apparatus, mask: np.ndarray[Any, np.dtype[np.bool_]]) -> dict[str, int]:
    counts = np.bincount(app.units.level[mask], minlength=len(app.levels))
    order = np.argsort(app.levels.rank, kind="stable")
    return {str(app.levels.name[i]): int(counts[i]) for i in order.tolist() if counts[i]}


def _findings(
    report: Report, app: Apparatus, mask: np.ndarray[Any, np.dtype[np.bool_]], whole: bool
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Findings per kind: the reported ones per severity, and ``all``, their exact number (the report
    holds at most ``max_findings_per_kind`` of a kind, the summary counts them all); for a subtree, the
    reported findings that name one of its units."""
    per_kind: dict[str, dict[str, int]] = {}
    visible = set(app.units.id[mask].tolist()) if not whole else set()
    for f in report.findings:
        if whole or visible.intersection(f.units):
            per = per_kind.setdefault(f.kind, {**dict.fromkeys(SEVERITIES, 0), "all": 0})
            per[f.severity] += 1
            per["all"] += 1
    if whole:
        for kind, n in report.summary.findings.items():
            if n:
                per_kind.setdefault(kind, {**dict.fromkeys(SEVERITIES, 0), "all": 0})["all"] = int(n)
        return per_kind, {str(s): int(report.summary.findings_by_severity.get(s, 0)) for s in SEVERITIES}
    severities = {str(s): sum(per[s] for per in per_kind.values()) for s in SEVERITIES}
    return per_kind, severities


def overview(uow: UnitOfWork, *, name: str, viewer: access.Principal) -> Overview:
    """The headline figures of dataset ``name`` (its newest version) as ``viewer`` may see them."""
    access.require(viewer, "read")
    found: Resolved = resolve(uow, name)
    app = found.apparatus
    mask = access.subtree(app, viewer)
    whole = bool(mask.all())
    national = access.may(viewer, "read_national")
    report = diagnose_dataset(uow, name=name).report
    per_kind, severities = _findings(report, app, mask, whole)
    levels = _levels(app, mask)
    people = int(np.count_nonzero(mask[app.people.unit])) if len(app.people) else 0
    effects: list[PlanEffect] = []
    for record in list_plans(uow, baseline=found.name):
        if record.baseline_version != found.version or any(p.name == record.name for p in effects):
            continue
        if not national:
            effects.append(PlanEffect(record.name, record.version, record.operations, {}, None, {}))
            continue
        after = resolve(uow, record.name, version=record.version).apparatus
        after_levels = after.units_per_level()
        names = list(levels) + [n for n in after_levels if n not in levels]
        after_report = diagnose_dataset(uow, name=record.name).report
        effects.append(
            PlanEffect(
                record.name,
                record.version,
                record.operations,
                {n: (levels.get(n, 0), after_levels.get(n, 0)) for n in names},
                (people, len(after.people)),
                {s: int(after_report.summary.findings_by_severity.get(s, 0)) for s in SEVERITIES},
            )
        )
    return Overview(
        found.to_dict(), "" if whole else viewer.scope, levels, people, per_kind, severities, tuple(effects)
    )
