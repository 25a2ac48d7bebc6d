"""What a name given by a person stands for: a dataset version, or a stored plan applied to the baseline
version it was saved against. Datasets and plans share one namespace, so this is never ambiguous."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from reorg.model import Apparatus, DatasetInfo
from reorg.plan import apply
from reorg.progress import Progress
from reorg.services.memo import memo
from reorg.store import DatasetRecord, PlanRecord, UnitOfWork
from reorg.store.datasets import not_found

__all__ = ["Resolved", "load_dataset", "outlines_of", "resolve"]


@dataclasses.dataclass(frozen=True, eq=False)
class Resolved:
    """A dataset version, or (``plan`` set) a plan's result on its baseline version ``version``."""

    name: str
    version: int
    created_at: datetime
    counts: Mapping[str, int]
    info: DatasetInfo
    apparatus: Apparatus
    plan: PlanRecord | None = None

    def to_dict(self) -> dict[str, Any]:
        """The header the CLI and the API print about it."""
        head: dict[str, Any]
        if self.plan is not None:
            head = self.plan.to_dict()
        else:
            head = {"name": self.name, "version": self.version, "created_at": self.created_at.isoformat()}
        return {
            **head,
            "counts": dict(self.counts),
            "title": self.info.name,
            "description": self.info.description,
            "source": self.info.source,
            "synthetic": list(self.info.synthetic),
        }


def resolve(
    uow: UnitOfWork, name: str, *, version: int | None = None, progress: Progress | None = None
) -> Resolved:
    """Dataset ``name`` (``version``, else its newest), or plan ``name`` (``version``, else its newest)
    applied to its baseline. A name that is neither is a NotFoundError listing the known names.
    Both are kept in the process's memo (``reorg.services.memo``): stored versions never change."""
    record = uow.datasets.find(name=name, version=version)
    if record is not None:
        app = _loaded(uow, record, progress)
        return Resolved(name, record.version, record.created_at, record.counts, record.info, app)
    if not uow.plans.exists(name=name):
        raise not_found(uow, "dataset or plan", name)
    plan_record = uow.plans.get(name=name, version=version)

    def result() -> Apparatus:
        plan = uow.plans.load(name=name, version=plan_record.version)
        baseline = load_dataset(
            uow, name=plan_record.baseline, version=plan_record.baseline_version, progress=progress
        )
        return apply(baseline, plan, progress=progress)

    key = (uow.database.url, "plan", name, plan_record.version, plan_record.created_at)
    after = memo.get(key, result)
    counts = {**after.counts(), "lineage": len(after.lineage)}
    return Resolved(
        name, plan_record.version, plan_record.created_at, counts, after.info, after, plan=plan_record
    )


def load_dataset(
    uow: UnitOfWork, *, name: str, version: int | None = None, progress: Progress | None = None
) -> Apparatus:
    """Version ``version`` (else the newest) of dataset ``name``, from the memo when it was loaded before."""
    return _loaded(uow, uow.datasets.get(name=name, version=version), progress)


def _loaded(uow: UnitOfWork, record: DatasetRecord, progress: Progress | None) -> Apparatus:
    key = (uow.database.url, "dataset", record.name, record.version, record.created_at)
    return memo.get(
        key, lambda: uow.datasets.load(name=record.name, version=record.version, progress=progress)
    )


def outlines_of(uow: UnitOfWork, found: Resolved) -> dict[str, str]:
    """The stored outlines (unit id -> GeoJSON geometry text) of what ``found`` stands for: a
    dataset's own, or for a plan's result those of its baseline's units that the plan and the
    baseline's own history left untouched (a merged or split unit has no outline of its own)."""
    if found.plan is None:
        return uow.datasets.outlines(name=found.name, version=found.version)
    base = uow.datasets.outlines(name=found.plan.baseline, version=found.plan.baseline_version)
    changed = {e.target for e in found.apparatus.lineage} | {e.source for e in found.apparatus.lineage}
    present = found.apparatus.units.index
    return {uid: text for uid, text in base.items() if uid in present and uid not in changed}
