"""Use case: two or more plans side by side on one yardstick — units per level and kind, people, leads
moved, findings left — each against its own baseline, so that a steering committee compares like with
like."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from reorg.diagnose.findings import SEVERITIES
from reorg.errors import InputError
from reorg.plan import Diff, diff
from reorg.services import access
from reorg.services.diagnosis import diagnose_dataset
from reorg.services.resolve import load_dataset, resolve
from reorg.store import UnitOfWork

__all__ = ["Column", "Comparison", "compare_plans"]

#: the most plans one comparison holds
MOST = 8


@dataclasses.dataclass(frozen=True)
class Column:
    """One plan on the yardstick: its baseline, its diff, and findings per severity before and after."""

    plan: str
    version: int
    baseline: str
    operations: int
    changes: Diff
    findings_before: Mapping[str, int]
    findings_after: Mapping[str, int]

    def after_counts(self, levels: Sequence[str]) -> list[int]:
        """Units after the plan at each of ``levels``."""
        return [self.changes.levels.get(n, (0, 0))[1] for n in levels]

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "version": self.version,
            "baseline": self.baseline,
            "operations": self.operations,
            "changes": self.changes.counts(),
            "findings": {
                s: {"before": self.findings_before.get(s, 0), "after": self.findings_after.get(s, 0)}
                for s in SEVERITIES
            },
        }


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The plans compared, and the level names of the yardstick (every level any of them has)."""

    columns: tuple[Column, ...]
    levels: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"levels": list(self.levels), "plans": [c.to_dict() for c in self.columns]}


def compare_plans(uow: UnitOfWork, *, names: Sequence[str], viewer: access.Principal) -> Comparison:
    """Plans ``names`` (1 to MOST stored plans) on one yardstick, each against the baseline version it was
    made on (findings before: the baseline's newest version). National figures need ``read_national``."""
    access.require(viewer, "read_national")
    unique = list(dict.fromkeys(n for n in names if n))
    if not 1 <= len(unique) <= MOST:
        raise InputError("plans to compare", f"1 to {MOST} stored plan names", value=", ".join(unique))
    columns = []
    levels: list[str] = []
    for name in unique:
        found = resolve(uow, name)
        if found.plan is None:
            raise InputError("plans to compare", "names of stored plans, not datasets", value=name)
        record = found.plan
        baseline = load_dataset(uow, name=record.baseline, version=record.baseline_version)
        changes = diff(baseline, found.apparatus)
        before = diagnose_dataset(uow, name=record.baseline).report.summary.findings_by_severity
        after = diagnose_dataset(uow, name=name).report.summary.findings_by_severity
        columns.append(
            Column(
                name, record.version, record.baseline, record.operations, changes, dict(before), dict(after)
            )
        )
        levels += [n for n in changes.levels if n not in levels]
    return Comparison(tuple(columns), tuple(levels))
