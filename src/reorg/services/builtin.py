"""Use case: build a built-in dataset, store it with its reference plan (one transaction), and optionally
write it out as a bundle."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from reorg import io
from reorg.datasets.registry import built_in
from reorg.model import Apparatus
from reorg.plan.operations import Plan
from reorg.progress import Progress
from reorg.store import DatasetRecord, PlanRecord, UnitOfWork

__all__ = ["Built", "build_dataset", "store_built"]


def store_built(
    uow: UnitOfWork, built: Apparatus, plan: Plan, *, progress: Progress | None = None
) -> tuple[DatasetRecord, PlanRecord]:
    """Store a built dataset and its reference plan in the same unit of work: both or neither."""
    record = uow.datasets.create(built, name=plan.baseline, progress=progress)
    return record, uow.plans.create(plan, name=plan.name)


@dataclasses.dataclass(frozen=True, eq=False)
class Built:
    """A built dataset and its plan; what was stored and written; seconds taken."""

    name: str
    scale: float
    seed: int
    apparatus: Apparatus
    plan: Plan
    stored: DatasetRecord | None
    stored_plan: PlanRecord | None
    bundle: Path | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dataset": self.name, "scale": self.scale, "seed": self.seed}
        if self.stored is not None and self.stored_plan is not None:
            out["stored"] = self.stored.to_dict()
            out["plan"] = self.stored_plan.to_dict()
        if self.bundle is not None:
            out["bundle"] = str(self.bundle)
        out["counts"] = self.apparatus.counts()
        out["synthetic"] = list(self.apparatus.info.synthetic)
        out["seconds"] = round(self.seconds, 2)
        return out


def build_dataset(
    uow: UnitOfWork | None,
    *,
    name: str,
    scale: float | None = None,
    seed: int = 0,
    out: Path | None = None,
    progress: Progress | None = None,
) -> Built:
    """Build the built-in dataset ``name`` (``scale`` defaults to its own); store it with its plan in
    ``uow`` unless that is None; write it to ``out`` (a folder or FILE.xlsx) when given."""
    spec = built_in(name)
    scale = spec.check_scale(spec.default_scale if scale is None else scale)
    started = time.perf_counter()
    built, plan = spec.build(scale, seed, progress)
    stored = stored_plan = None
    if uow is not None:
        stored, stored_plan = store_built(uow, built, plan, progress=progress)
    if out is not None:
        io.write(built, out)
    return Built(name, scale, seed, built, plan, stored, stored_plan, out, time.perf_counter() - started)
