"""Use case: ensembles of valid divisions of one level of a stored dataset (ReCom chains, on a local
or a given Dask cluster), resumed runs, and where a stored plan falls in each measure's distribution.

A run lives in its own folder (``reorg.io.ensembles``); its manifest's ``request`` says how to rebuild
the problem (dataset and version, level, spec, nesting plan, start plan, tolerance, attributes), so a
resumed run continues the same chains. The start division is a stored plan's (``start``), else the
one ``propose territory`` draws under the same spec; it must be valid (docs/ensembles.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reorg.errors import InputError
from reorg.io.ensembles import Manifest, chain_measures, execute, read_manifest, save_state, write_manifest
from reorg.model import Apparatus
from reorg.optimize.ensemble import (
    ChainState,
    Measurer,
    Problem,
    build_problem,
    chain_seeds,
    effective_size,
    histogram,
    labels_after,
    labels_of_plan,
    percentile,
    split_rhat,
    start_labels,
)
from reorg.optimize.territory import TerritorySpec, nesting_from_plan, propose
from reorg.optimize.territory.extract import LevelData
from reorg.progress import Progress, report
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork
from reorg.text import json_safe

__all__ = [
    "EnsembleRun",
    "MeasureSummary",
    "Placement",
    "PlacementRow",
    "compare_plan",
    "resume_ensemble",
    "run_ensemble",
    "summarize",
]

#: steps per batch (one Parquet file and one saved state per chain per batch) unless asked otherwise
DEFAULT_BATCH = 100


@dataclasses.dataclass(frozen=True)
class MeasureSummary:
    """One measure over the ensemble: mean, min, max, split R-hat across chains, effective size."""

    name: str
    mean: float
    low: float
    high: float
    rhat: float
    ess: float


@dataclasses.dataclass(frozen=True)
class EnsembleRun:
    """A run folder, its manifest, the acceptance rate per chain and the summary of each measure."""

    folder: Path
    manifest: Manifest
    acceptance: tuple[float, ...]
    measures: tuple[MeasureSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        body = {
            "folder": str(self.folder),
            "manifest": self.manifest.to_dict(),
            "acceptance": list(self.acceptance),
            "measures": [dataclasses.asdict(m) for m in self.measures],
        }
        safe: dict[str, Any] = json_safe(body)  # type: ignore[assignment]
        return safe


@dataclasses.dataclass(frozen=True)
class PlacementRow:
    """Where a plan's value of one measure falls: its percentile (0-100) and a histogram of the
    ensemble (``counts`` per bin between consecutive ``edges``) whose range covers the value."""

    name: str
    value: float
    percentile: float
    counts: tuple[int, ...]
    edges: tuple[float, ...]


@dataclasses.dataclass(frozen=True)
class Placement:
    """A plan placed in an ensemble; ``draws`` is the number of sampled divisions compared with."""

    plan: str
    draws: int
    rows: tuple[PlacementRow, ...]

    def to_dict(self) -> dict[str, Any]:
        body = {"plan": self.plan, "draws": self.draws, "rows": [dataclasses.asdict(r) for r in self.rows]}
        safe: dict[str, Any] = json_safe(body)  # type: ignore[assignment]
        return safe


@dataclasses.dataclass(frozen=True)
class _Setup:
    app: Apparatus
    problem: Problem
    data: LevelData
    measurer: Measurer
    spec: TerritorySpec


def _spec_of(request: Mapping[str, Any]) -> TerritorySpec:
    try:
        return TerritorySpec.from_dict(request.get("spec", {}))
    except (TypeError, ValueError) as exc:
        raise InputError(str(request.get("spec_file", "territory spec")), str(exc)) from None


def _setup(uow: UnitOfWork, request: Mapping[str, Any], progress: Progress | None) -> _Setup:
    """The apparatus, problem and measures a request names (the same for a new and a resumed run)."""
    app = load_dataset(uow, name=str(request["dataset"]), version=request.get("version"), progress=progress)
    spec = _spec_of(request)
    level = str(request["level"])
    nest_in = request.get("nest_in")
    if nest_in:
        if not isinstance(spec.nest_by, str) or spec.nest_by in ("", "parent"):
            raise InputError(
                "--nest-in", "a level name in the spec's nest_by (the level whose merged units nest)"
            )
        spec = dataclasses.replace(
            spec, nest_by=nesting_from_plan(app, uow.plans.load(name=str(nest_in)), level, spec.nest_by)
        )
    tolerance = request.get("tolerance")
    problem, data = build_problem(app, level, spec, tolerance=None if tolerance is None else float(tolerance))
    measurer = Measurer.of(app, data, tuple(request.get("attributes", ())))
    return _Setup(app, problem, data, measurer, spec)


def run_ensemble(
    uow: UnitOfWork,
    *,
    dataset: str,
    level: str,
    spec: Mapping[str, Any],
    steps: int,
    chains: int,
    out: Path,
    seed: int = 0,
    batch: int = DEFAULT_BATCH,
    thin: int = 1,
    start: str | None = None,
    start_after: Apparatus | None = None,
    nest_in: str | None = None,
    tolerance: float | None = None,
    attributes: Sequence[str] = (),
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> EnsembleRun:
    """Sample ``chains`` ReCom chains of ``steps`` steps each of divisions of ``level`` under ``spec``
    (the territory spec as data, e.g. a parsed TOML file) into the new folder ``out``; every ``thin``-th
    step is recorded. The chains start from stored plan ``start`` (``start_after``: that plan already
    applied to the dataset, when the caller has it), else from ``propose territory``'s division."""
    if min(steps, chains, batch, thin) < 1:
        raise InputError(
            "--steps/--chains/--batch/--thin",
            "positive numbers of steps, chains, steps per batch and steps per record",
            value=f"{steps}/{chains}/{batch}/{thin}",
        )
    if out.exists() and any(out.iterdir()):
        raise InputError(str(out), "a new or empty folder for the run (use --resume to continue one)")
    record = uow.datasets.get(name=dataset)
    request: dict[str, Any] = {
        "dataset": dataset,
        "version": record.version,
        "level": level,
        "spec": dict(spec),
        "start": start,
        "nest_in": nest_in,
        "tolerance": tolerance,
        "attributes": list(attributes),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    s = _setup(uow, request, progress)
    if start and start_after is not None:
        unit_labels = labels_after(start_after, s.data, f"start plan {start}")
        what = f"start plan {start}"
    elif start:
        unit_labels = labels_of_plan(s.app, s.data, uow.plans.load(name=start))
        what = f"start plan {start}"
    else:
        report(progress, 0, None, "propose territory (start)")
        plan, _ = propose(s.app, level, s.spec)
        unit_labels = labels_of_plan(s.app, s.data, plan)
        what = "the division propose territory draws under this spec (no valid division found)"
    labels = start_labels(s.problem, s.data, unit_labels, what)
    out.mkdir(parents=True, exist_ok=True)
    for c, chain_seed in enumerate(chain_seeds(seed, chains)):
        save_state(out, ChainState.start(c, labels, chain_seed))
    manifest = Manifest(request, seed, chains, steps, batch, (0,) * chains, tuple(s.measurer.names), thin)
    write_manifest(out, manifest)
    manifest = execute(
        out, manifest, s.problem, s.measurer, scheduler=scheduler, workers=workers, progress=progress
    )
    return summarize(out)


def resume_ensemble(
    uow: UnitOfWork,
    *,
    folder: Path,
    steps: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> EnsembleRun:
    """Continue the run in ``folder`` up to its steps (or ``steps`` per chain, to extend it): the same
    chains, from the states saved at their last recorded batch."""
    manifest = read_manifest(folder)
    if steps is not None:
        if steps < max(manifest.done):
            raise InputError(
                "--steps", f"at least the {max(manifest.done)} steps already done", value=str(steps)
            )
        manifest = dataclasses.replace(manifest, steps=steps)
        write_manifest(folder, manifest)
    s = _setup(uow, manifest.request, progress)
    execute(folder, manifest, s.problem, s.measurer, scheduler=scheduler, workers=workers, progress=progress)
    return summarize(folder)


def summarize(folder: Path) -> EnsembleRun:
    """The acceptance rates and the per-measure summary (mean, range, split R-hat, ESS) of a run."""
    manifest = read_manifest(folder)
    draws = chain_measures(folder, manifest)
    acc = draws.pop("accepted", np.zeros((manifest.chains, 0)))
    rates = tuple(float(a.mean()) if a.size else 0.0 for a in acc)
    summary = tuple(
        MeasureSummary(
            name,
            float(x.mean()),
            float(x.min()),
            float(x.max()),
            split_rhat(x),
            effective_size(x),
        )
        for name, x in draws.items()
        if x.size
    )
    return EnsembleRun(folder, manifest, rates, summary)


def compare_plan(
    uow: UnitOfWork, *, folder: Path, plan: str, after: Apparatus | None = None, bins: int = 20
) -> Placement:
    """Where stored plan ``plan`` falls in each measure of the run in ``folder``: its value (measured
    on the units of the run's level as the plan regroups them), percentile and a histogram. ``after``
    is the plan already applied to the run's dataset, when the caller has it."""
    manifest = read_manifest(folder)
    s = _setup(uow, manifest.request, None)
    if after is None:
        labels = labels_of_plan(s.app, s.data, uow.plans.load(name=plan))
    else:
        labels = labels_after(after, s.data, f"plan {plan}")
    values = s.measurer.measure_units(labels)
    draws = chain_measures(folder, manifest, columns=list(values))
    rows = []
    for name, value in values.items():
        flat = draws[name].ravel() if name in draws else np.zeros(0)
        counts, edges = histogram(flat, bins, include=value)
        rows.append(PlacementRow(name, value, percentile(flat, value), tuple(counts), tuple(edges)))
    n = int(next(iter(draws.values())).size) if draws else 0
    return Placement(plan, n, tuple(rows))
