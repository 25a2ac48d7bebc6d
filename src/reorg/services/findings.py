"""Use case of the findings page: a dataset's (or a plan result's) findings filtered by kind, severity,
level and subtree, as a viewer may see them, one page at a time."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from reorg.diagnose import Finding
from reorg.diagnose.findings import KINDS, SEVERITIES
from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.services import access
from reorg.services.diagnosis import diagnose_dataset
from reorg.services.resolve import resolve
from reorg.store import UnitOfWork

__all__ = ["FindingPage", "list_findings"]

PAGE = 100


@dataclasses.dataclass(frozen=True)
class FindingPage:
    """Findings ``offset``.. of ``total`` matching the filters; ``kinds`` counts every visible finding per
    kind (for the filter menu), ``levels`` the dataset's level names."""

    dataset: str
    findings: tuple[Finding, ...]
    offset: int
    total: int
    kinds: Mapping[str, int]
    levels: tuple[str, ...]
    capped: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "offset": self.offset,
            "total": self.total,
            "kinds": dict(self.kinds),
            "levels": list(self.levels),
            "capped": self.capped,
            "findings": [f.to_dict() for f in self.findings],
        }


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value and value not in allowed:
        raise InputError(f"filter {what}", f"one of {', '.join(allowed)}", value=value)


def list_findings(
    uow: UnitOfWork,
    *,
    name: str,
    viewer: access.Principal,
    kind: str | None = None,
    severity: str | None = None,
    level: str | None = None,
    within: str | None = None,
    offset: int = 0,
    limit: int = PAGE,
) -> FindingPage:
    """The findings of ``name`` that name a unit of level ``level`` and of the subtree of ``within`` (and
    of the viewer's own subtree), of ``kind`` and ``severity``, in rank order. Findings that name no unit
    (a task with no lead anywhere) pass the level and subtree filters only when none is given."""
    access.require(viewer, "read")
    _check(kind, KINDS, "kind")
    _check(severity, SEVERITIES, "severity")
    found = resolve(uow, name)
    app = found.apparatus
    levels = tuple(str(n) for n in app.levels.name[np.argsort(app.levels.rank, kind="stable")])
    _check(level, levels, "level")
    mask = access.subtree(app, viewer)
    whole = bool(mask.all())
    if within:
        access.require_unit(app, viewer, within)
        mask = mask & access.subtree(app, access.Principal("", "unit_officer", within))
    if level:
        mask = mask & (app.units.level == _level_row(app, level))
    report = diagnose_dataset(uow, name=name).report
    index = app.units.index
    filtered_units = whole and not within and not level

    def visible(f: Finding) -> bool:
        if filtered_units:
            return True
        rows = [index[u] for u in f.units if u in index]
        return bool(rows) and bool(mask[rows].any())

    seen = [f for f in report.findings if visible(f)]
    kinds: dict[str, int] = {}
    for f in seen:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    chosen = [f for f in seen if (not kind or f.kind == kind) and (not severity or f.severity == severity)]
    offset = max(0, offset)
    limit = max(1, min(limit, PAGE))
    capped = report.summary.findings_reported < sum(report.summary.findings.values())
    return FindingPage(
        found.name, tuple(chosen[offset : offset + limit]), offset, len(chosen), kinds, levels, capped
    )


def _level_row(app: Apparatus, level: str) -> int:
    return int(np.flatnonzero(app.levels.name == level)[0])
