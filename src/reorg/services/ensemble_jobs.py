"""Use cases of the web app's ensembles pages: an ensemble run started as a background job
(``reorg.services.jobs``), the runs kept in the server's ensembles folder, and one run's summary with
a stored plan placed in it.

Runs live under one folder (``root``: the web setting ``ensembles_dir``), one sub-folder per run named
by its id; an id is checked before any path is built from it. Starting a run takes the right to
propose (and is refused to a unit officer: an ensemble redraws a level of the whole dataset); reading
runs takes ``read_national``. The Dask cluster is the server's (``dask_scheduler`` setting, else a
local cluster), never one a form names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import secrets
from pathlib import Path
from typing import Any

from reorg.errors import ForbiddenError, InputError, NotFoundError
from reorg.io.ensembles import MANIFEST, read_manifest
from reorg.progress import Progress
from reorg.services import access, jobs
from reorg.services.ensembles import EnsembleRun, Placement, compare_plan, run_ensemble, summarize
from reorg.store import UnitOfWork

__all__ = [
    "EnsembleFields",
    "RunListing",
    "ensemble_spec",
    "list_runs",
    "open_run",
    "start_ensemble",
]

#: the most steps per chain and chains a web form may ask for
MAX_STEPS, MAX_CHAINS = 200_000, 32
#: why a unit officer may not start an ensemble (one sentence, translated as a whole)
SUBTREE_REFUSAL = (
    "an ensemble redraws a level of the whole dataset and cannot be held to a unit officer's subtree"
)
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
WHERE = "ensemble"


@dataclasses.dataclass(frozen=True)
class EnsembleFields:
    """The ensemble form: ``chains`` ReCom chains of ``steps`` steps over divisions of ``level`` of
    ``dataset`` into contiguous regions nested in ``nest_by`` ("parent", a level name or "none"; with
    ``nest_in``, a stored plan, that level's units as the plan merges them), each of at least
    ``min_population`` and at most ``max_population`` people and at least ``min_area_km2`` km², with
    population within ``tolerance`` of its group's ideal; from stored plan ``start`` (blank: the
    division ``propose territory`` draws); every ``thin``-th step recorded."""

    dataset: str
    level: str
    steps: int = 1000
    chains: int = 2
    seed: int = 0
    thin: int = 1
    nest_by: str = "parent"
    nest_in: str = ""
    start: str = ""
    min_population: float | None = None
    max_population: float | None = None
    min_area_km2: float | None = None
    tolerance: float | None = None


@dataclasses.dataclass(frozen=True)
class RunListing:
    """One run of the folder: its id, what it samples, the steps done of those asked for per chain."""

    id: str
    dataset: str
    level: str
    chains: int
    steps: int
    done: int
    created: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _bounded(value: float | None, field: str, *, high: float = math.inf) -> None:
    if value is not None and (not math.isfinite(value) or not 0 <= value <= high):
        raise InputError(
            WHERE,
            f"a number from 0{'' if math.isinf(high) else f' to {high:g}'}",
            field=field,
            value=str(value),
        )


def ensemble_spec(fields: EnsembleFields) -> dict[str, Any]:
    """The territory spec (as data) the form asks for; InputError naming the field that is wrong."""
    if not fields.level.strip():
        raise InputError(WHERE, "a level name, e.g. commune", field="level")
    if not 1 <= fields.steps <= MAX_STEPS:
        raise InputError(WHERE, f"from 1 to {MAX_STEPS:,} steps", field="steps", value=str(fields.steps))
    if not 1 <= fields.chains <= MAX_CHAINS:
        raise InputError(WHERE, f"from 1 to {MAX_CHAINS} chains", field="chains", value=str(fields.chains))
    if not 1 <= fields.thin <= fields.steps:
        raise InputError(WHERE, "from 1 to the number of steps", field="thin", value=str(fields.thin))
    for name in ("min_population", "max_population", "min_area_km2"):
        _bounded(getattr(fields, name), name)
    if fields.tolerance is not None and not 0 < fields.tolerance < 1:
        raise InputError(WHERE, "a fraction between 0 and 1", field="tolerance", value=str(fields.tolerance))
    nest_by = fields.nest_by.strip() or "parent"
    spec: dict[str, Any] = {"nest_by": "" if nest_by == "none" else nest_by}
    minimums = {
        k: v for k, v in (("population", fields.min_population), ("area_km2", fields.min_area_km2)) if v
    }
    if minimums:
        spec["minimums"] = minimums
    if fields.max_population:
        if fields.max_population < (fields.min_population or 0):
            raise InputError(WHERE, "a maximum at least the minimum", field="max_population")
        spec["maximums"] = {"population": fields.max_population}
    return spec


def _may_start(viewer: access.Principal) -> None:
    access.require(viewer, "propose")
    if viewer.role == access.SCOPED_ROLE:
        raise ForbiddenError(SUBTREE_REFUSAL, action="propose", role=viewer.role)


def start_ensemble(
    runner: jobs.JobRunner,
    *,
    viewer: access.Principal,
    actor: str,
    fields: EnsembleFields,
    root: Path,
    scheduler: str | None = None,
) -> jobs.Job:
    """Queue an ensemble run for ``viewer`` (audited as ``actor``) into a new folder under ``root``;
    the job's result names the run."""
    _may_start(viewer)
    spec = ensemble_spec(fields)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    run_id = f"{_slug(fields.dataset)}-{_slug(fields.level)}-{stamp}-{secrets.token_hex(3)}"

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        run = run_ensemble(
            uow,
            dataset=fields.dataset,
            level=fields.level.strip(),
            spec=spec,
            steps=fields.steps,
            chains=fields.chains,
            out=root / run_id,
            seed=fields.seed,
            thin=fields.thin,
            batch=max(fields.thin, min(fields.steps, 500)),
            start=fields.start.strip() or None,
            nest_in=fields.nest_in.strip() or None,
            tolerance=fields.tolerance,
            scheduler=scheduler or None,
            progress=progress,
        )
        return {"run": run_id, "chains": fields.chains, "acceptance": list(run.acceptance)}

    title = f"{fields.dataset} · {fields.level} · {fields.chains}x{fields.steps}"
    return runner.submit(owner=viewer, actor=actor, kind="ensemble", title=title, work=work)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip())[:40] or "x"


def list_runs(*, viewer: access.Principal, root: Path) -> tuple[RunListing, ...]:
    """The runs under ``root``, newest first (a folder without a readable manifest is left out)."""
    access.require(viewer, "read_national")
    out = []
    for folder in sorted(root.glob(f"*/{MANIFEST}")) if root.is_dir() else []:
        try:
            m = read_manifest(folder.parent)
        except (InputError, NotFoundError):
            continue
        out.append(
            RunListing(
                id=folder.parent.name,
                dataset=str(m.request.get("dataset", "")),
                level=str(m.request.get("level", "")),
                chains=m.chains,
                steps=m.steps,
                done=min(m.done) if m.done else 0,
                created=str(m.request.get("created", "")),
            )
        )
    return tuple(sorted(out, key=lambda r: r.created, reverse=True))


def open_run(
    uow: UnitOfWork, *, viewer: access.Principal, root: Path, run_id: str, plan: str | None = None
) -> tuple[EnsembleRun, Placement | None]:
    """A run's summary, and with ``plan`` (a stored plan) where it falls in each measure."""
    access.require(viewer, "read_national")
    if not _RUN_ID.match(run_id) or not (root / run_id / MANIFEST).is_file():
        raise NotFoundError(f"no ensemble run {run_id!r}")
    folder = root / run_id
    run = summarize(folder)
    placed = compare_plan(uow, folder=folder, plan=plan) if plan else None
    return run, placed
