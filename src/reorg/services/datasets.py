"""Use cases on datasets: import a bundle, list, show a dataset or one of its units, export, delete."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from reorg import io
from reorg.errors import NotFoundError
from reorg.model import ROLES, Apparatus
from reorg.progress import Progress
from reorg.services.resolve import Resolved, outlines_of, resolve
from reorg.store import DatasetRecord, PlanRecord, UnitOfWork, check_name

__all__ = [
    "DatasetSummary",
    "Deleted",
    "Exported",
    "LevelCount",
    "UnitDetail",
    "delete_dataset",
    "export_dataset",
    "import_bundle",
    "list_datasets",
    "show_dataset",
    "show_unit",
]

#: how many unit ids a "no such unit" error suggests
SUGGESTED = 5


def _number(value: float) -> float | None:
    """A number for JSON and tables: None where absent (NaN)."""
    return None if math.isnan(value) else float(value)


def import_bundle(
    uow: UnitOfWork, *, path: Path, name: str | None = None, progress: Progress | None = None
) -> DatasetRecord:
    """Read a bundle (a folder of CSV files or an XLSX workbook) and store it as the next version of
    dataset ``name`` (default: the folder or file name)."""
    dataset = check_name(name if name is not None else path.stem, "dataset name (choose one with --name)")
    bundle = io.load_bundle(path, progress=progress)
    return uow.datasets.create(bundle.apparatus, name=dataset, outlines=bundle.outlines, progress=progress)


def list_datasets(uow: UnitOfWork) -> list[DatasetRecord]:
    """Every stored version of every dataset, by name, newest version first."""
    return uow.datasets.list()


@dataclasses.dataclass(frozen=True)
class LevelCount:
    level: str
    rank: int
    territorial: bool
    units: int
    attached: bool = False


@dataclasses.dataclass(frozen=True, eq=False)
class DatasetSummary:
    """A dataset (or a plan's result): where it comes from, rows per table, units per level."""

    source: Resolved
    levels: tuple[LevelCount, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.source.to_dict(), "units_per_level": [dataclasses.asdict(x) for x in self.levels]}


def _levels(app: Apparatus) -> tuple[LevelCount, ...]:
    level_of = {str(n): i for i, n in enumerate(app.levels.name.tolist())}
    return tuple(
        LevelCount(
            level,
            int(app.levels.rank[level_of[level]]),
            bool(app.levels.territorial[level_of[level]]),
            count,
            bool(app.levels.attached[level_of[level]]),
        )
        for level, count in app.units_per_level().items()
    )


def show_dataset(
    uow: UnitOfWork, *, name: str, version: int | None = None, progress: Progress | None = None
) -> DatasetSummary:
    """A dataset (or a stored plan: its baseline with the plan applied) with its units per level."""
    found = resolve(uow, name, version=version, progress=progress)
    return DatasetSummary(found, _levels(found.apparatus))


@dataclasses.dataclass(frozen=True)
class UnitDetail:
    """One unit: its fields and attributes, parents (nearest first), children per level, duties, and
    headcount (people) against quota; ``synthetic`` names the generated parts of its dataset."""

    dataset: str
    version: int
    synthetic: tuple[str, ...]
    unit: Mapping[str, str | float | None]
    parents: tuple[Mapping[str, str], ...]
    children: Mapping[str, int]
    duties: tuple[Mapping[str, str], ...]
    headcount: int
    quota: float | None

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.headcount > self.quota

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "version": self.version,
            "unit": dict(self.unit),
            "parents": [dict(p) for p in self.parents],
            "children": dict(self.children),
            "duties": [dict(d) for d in self.duties],
            "headcount": self.headcount,
            "quota": self.quota,
        }


def _similar(ids: list[str], wanted: str) -> list[str]:
    """A few ids sharing the longest possible prefix with ``wanted`` (ignoring case)."""
    lowered = [u.lower() for u in ids]
    for k in range(len(wanted), 0, -1):
        prefix = wanted[:k].lower()
        near = [ids[i] for i, u in enumerate(lowered) if u.startswith(prefix)][:SUGGESTED]
        if near:
            return near
    return ids[:SUGGESTED]


def unit_detail(found: Resolved, unit_id: str) -> UnitDetail:
    """The detail of unit ``unit_id`` of a resolved dataset (NotFoundError suggests similar ids)."""
    app = found.apparatus
    units, level_names = app.units, app.levels.name
    row = units.index.get(unit_id)
    if row is None:
        raise NotFoundError(f"no unit {unit_id!r} (e.g. {', '.join(_similar(units.id.tolist(), unit_id))})")
    chain: list[dict[str, str]] = []
    up = int(units.parent[row])
    while up >= 0 and len(chain) <= len(units):
        chain.append({"id": units.id[up], "name": units.name[up], "level": str(level_names[units.level[up]])})
        up = int(units.parent[up])
    levels, counts = np.unique(units.level[units.children_of(row)], return_counts=True)
    mine = np.flatnonzero(app.duties.unit == row)
    tasks, scope = app.tasks, app.duty_scope
    duties = tuple(
        {
            "task": tasks.id[app.duties.task[d]],
            "name": tasks.name[app.duties.task[d]],
            "role": ROLES[app.duties.role[d]],
            "scope": units.id[scope[d]] if scope[d] >= 0 else "",
        }
        for d in mine.tolist()
    )
    fields: dict[str, str | float | None] = {
        "id": units.id[row],
        "name": units.name[row],
        "level": str(level_names[units.level[row]]),
        "kind": units.kind[row],
        **{k: _number(getattr(units, k)[row]) for k in ("area_km2", "population", "lat", "lon")},
        **{k: _number(v[row]) for k, v in sorted(units.attributes.items())},
    }
    return UnitDetail(
        dataset=found.name,
        version=found.version,
        synthetic=tuple(found.info.synthetic),
        unit=fields,
        parents=tuple(chain),
        children={str(level_names[lv]): int(n) for lv, n in zip(levels, counts, strict=True)},
        duties=duties,
        headcount=int(app.headcount[row]),
        quota=_number(units.quota[row]),
    )


def show_unit(
    uow: UnitOfWork, *, name: str, unit: str, version: int | None = None, progress: Progress | None = None
) -> UnitDetail:
    """One unit of a dataset (or of a stored plan's result)."""
    return unit_detail(resolve(uow, name, version=version, progress=progress), unit)


@dataclasses.dataclass(frozen=True)
class Exported:
    dataset: str
    version: int
    path: Path
    counts: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "version": self.version,
            "path": str(self.path),
            "counts": dict(self.counts),
        }


def export_dataset(
    uow: UnitOfWork, *, name: str, target: Path, version: int | None = None, progress: Progress | None = None
) -> Exported:
    """Write a dataset (or a stored plan's result) as a bundle that import reads back: a folder of CSV
    files, or a workbook when ``target`` ends in .xlsx. The stored outlines go into the folder's
    territories.geojson (for a plan's result, those of the units it left untouched)."""
    found = resolve(uow, name, version=version, progress=progress)
    outlines = None if target.suffix.lower() == ".xlsx" else outlines_of(uow, found)
    io.write(found.apparatus, target, outlines=outlines)
    return Exported(found.name, found.version, target, found.apparatus.counts())


@dataclasses.dataclass(frozen=True)
class Deleted:
    """What a delete removed: dataset versions and (with cascade) the plans saved against them."""

    datasets: tuple[DatasetRecord, ...]
    plans: tuple[PlanRecord, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"datasets": [d.to_dict() for d in self.datasets], "plans": [p.to_dict() for p in self.plans]}


def delete_dataset(
    uow: UnitOfWork, *, name: str, version: int | None = None, cascade: bool = False
) -> Deleted:
    """Delete a dataset (every version, or one): refused while a stored plan is saved against what would
    go, unless ``cascade``, which deletes those plans too. One transaction, an audit entry per version."""
    versions = (
        [uow.datasets.get(name=name, version=version)]
        if version is not None
        else uow.datasets.list(name=name)
    )
    if not versions:
        uow.datasets.get(name=name)  # raises NotFoundError with the known names
    plans: list[PlanRecord] = []
    if cascade:
        for record in versions:
            for plan in uow.plans.list(baseline=name, baseline_version=record.version):
                plans.extend(uow.plans.delete(name=plan.name, version=plan.version))
    removed = uow.datasets.delete(name=name, version=version)
    return Deleted(tuple(removed), tuple(plans))
