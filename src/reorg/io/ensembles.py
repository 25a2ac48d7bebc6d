"""Ensemble runs on disk and on Dask: the run folder, its manifest, each chain's Parquet batches and
saved states, and the runner that sends chains to a Dask cluster.

A run folder holds::

    manifest.json                   what was run (anything the caller records), the seed, the number of
                                    chains, the steps asked for, the batch size, the thinning (every
                                    thin-th step is recorded), the steps done per chain
    chain-000/state-000000.npz      the chain's state after 0, batch, 2 x batch ... steps
    chain-000/batch-000001.parquet  one row per step of the batch: chain, step, accepted, the measures
    ...

Each batch of each chain is one Dask task (``run_batch``, pure given its state): it writes its Parquet
file and the state after it, then the client records the steps done in the manifest. So the measures
stream to disk and never gather in memory, and a run stopped anywhere resumes from the last recorded
batch and continues the very same chains (a batch run twice writes the same file). On a distributed
cluster the run folder must be on a file system every worker shares.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from reorg.errors import InputError, NotFoundError
from reorg.optimize.ensemble import Batch, ChainState, Measurer, Problem, run_batch
from reorg.progress import Progress, report

__all__ = [
    "MANIFEST",
    "Manifest",
    "chain_measures",
    "execute",
    "load_state",
    "read_manifest",
    "save_state",
    "write_manifest",
]

#: where a local cluster's scheduler serves HTTP (distributed serves it even without a dashboard):
#: loopback only, on a free port. Its default, port 8787 on every interface, exposed the scheduler
#: and made a second cluster on the machine warn and move (tests running side by side failed on it)
LOCAL_HTTP = "127.0.0.1:0"

MANIFEST = "manifest.json"

FloatArray = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What a run folder holds; ``request`` is whatever the caller needs to rebuild the problem
    (dataset, level, spec...), kept as given."""

    request: Mapping[str, Any]
    seed: int
    chains: int
    steps: int
    batch: int
    done: tuple[int, ...]
    measures: tuple[str, ...] = ()
    #: every thin-th step is recorded
    thin: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": dict(self.request),
            "seed": self.seed,
            "chains": self.chains,
            "steps": self.steps,
            "batch": self.batch,
            "done": list(self.done),
            "measures": list(self.measures),
            "thin": self.thin,
        }

    @property
    def complete(self) -> bool:
        return all(d >= self.steps for d in self.done)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (a reader never sees half of it)."""
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a run folder; a missing or malformed one is refused naming the file."""
    path = folder / MANIFEST
    if not path.is_file():
        raise NotFoundError(f"no ensemble run in {folder} (no {MANIFEST})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            request=dict(data["request"]),
            seed=int(data["seed"]),
            chains=int(data["chains"]),
            steps=int(data["steps"]),
            batch=int(data["batch"]),
            done=tuple(int(d) for d in data["done"]),
            measures=tuple(str(m) for m in data.get("measures", ())),
            thin=int(data.get("thin", 1)),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"an ensemble manifest ({exc})") from None


def _chain_dir(folder: Path, chain: int) -> Path:
    return folder / f"chain-{chain:03d}"


def save_state(folder: Path, state: ChainState) -> None:
    """Save a chain's state after ``state.steps`` steps (atomically)."""
    where = _chain_dir(folder, state.chain)
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / f"state-{state.steps:06d}.tmp.npz"
    np.savez(
        tmp,
        labels=state.labels,
        rng=np.asarray(json.dumps(state.rng_state)),
        counts=np.asarray([state.chain, state.steps, state.accepted, state.rejected], dtype=np.int64),
    )
    os.replace(tmp, where / f"state-{state.steps:06d}.npz")


def load_state(folder: Path, chain: int, steps: int) -> ChainState:
    """The saved state of ``chain`` after ``steps`` steps."""
    path = _chain_dir(folder, chain) / f"state-{steps:06d}.npz"
    if not path.is_file():
        raise NotFoundError(f"no saved state of chain {chain} after {steps} steps in {folder}")
    with np.load(path) as z:
        c, s, acc, rej = (int(x) for x in z["counts"])
        return ChainState(c, s, z["labels"].astype(np.int64), json.loads(str(z["rng"])), acc, rej)


def _write_batch(folder: Path, chain: int, first: int, batch: Batch) -> None:
    n = len(batch.rows["accepted"])
    table = pa.table(
        {
            "chain": pa.array([chain] * n, pa.int32()),
            "step": pa.array([int(s) for s in batch.rows["step"]], pa.int64()),
            **{k: pa.array(v, pa.float64()) for k, v in batch.rows.items() if k != "step"},
        }
    )
    where = _chain_dir(folder, chain)
    where.mkdir(parents=True, exist_ok=True)
    name = f"batch-{first:06d}.parquet"
    pq.write_table(table, where / (name + ".tmp"))
    os.replace(where / (name + ".tmp"), where / name)


def _batch_task(
    problem: Problem, measurer: Measurer, state: ChainState, steps: int, thin: int, folder: str
) -> ChainState:
    """One Dask task: a batch of a chain, its Parquet file and the state after it."""
    batch = run_batch(problem, measurer, state, steps, thin)
    _write_batch(Path(folder), state.chain, state.steps + 1, batch)
    save_state(Path(folder), batch.state)
    return batch.state


def chain_measures(
    folder: Path, manifest: Manifest, columns: Sequence[str] | None = None
) -> dict[str, FloatArray]:
    """Per measure (and ``accepted``): a chains x steps array of the recorded steps, each chain cut to
    the steps every chain has done (so that the chains line up for R-hat)."""
    upto = min(manifest.done) if manifest.done else 0
    out: dict[str, list[FloatArray]] = {}
    for c in range(manifest.chains):
        files = sorted(_chain_dir(folder, c).glob("batch-*.parquet"))
        if not files:
            continue
        table = pq.ParquetDataset([str(f) for f in files]).read(
            columns=["step", *columns] if columns else None
        )
        step = table.column("step").to_numpy()
        keep = np.argsort(step)[: int(np.count_nonzero(step <= upto))]
        for name in table.column_names:
            if name not in ("chain", "step"):
                out.setdefault(name, []).append(table.column(name).to_numpy()[keep].astype(np.float64))
    return {k: np.stack(v) for k, v in out.items()}


def execute(
    folder: Path,
    manifest: Manifest,
    problem: Problem,
    measurer: Measurer,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Run the chains of ``manifest`` from their last recorded states up to ``manifest.steps`` on a Dask
    cluster: the scheduler at ``scheduler`` (``tcp://host:8786``), else a ``LocalCluster`` of
    ``workers`` single-threaded worker processes (default: one per core). Returns the final manifest."""
    dd: Any = importlib.import_module("distributed")  # untyped; imported when a run starts

    total = manifest.chains * manifest.steps
    done = list(manifest.done)
    report(progress, sum(done), total, "steps")
    if manifest.complete:
        return manifest
    cluster = None
    try:
        if scheduler:
            client = dd.Client(scheduler, timeout="10s")
        else:
            cluster = dd.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=LOCAL_HTTP,
            )
            client = dd.Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            "--scheduler",
            "the address of a running Dask scheduler, e.g. tcp://host:8786",
            value=f"{scheduler} ({exc})",
        ) from None
    try:
        shared = client.scatter([problem, measurer], broadcast=True)
        pending = dd.as_completed()
        for c in range(manifest.chains):
            if done[c] < manifest.steps:
                state = load_state(folder, c, done[c])
                pending.add(_submit(client, shared, state, manifest, folder))
        for future in pending:
            state = future.result()
            done[state.chain] = state.steps
            manifest = dataclasses.replace(manifest, done=tuple(done))
            write_manifest(folder, manifest)
            report(progress, sum(done), total, "steps")
            if state.steps < manifest.steps:
                pending.add(_submit(client, shared, state, manifest, folder))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return manifest


def _submit(client: Any, shared: list[Any], state: ChainState, manifest: Manifest, folder: Path) -> Any:
    steps = min(manifest.batch, manifest.steps - state.steps)
    return client.submit(
        _batch_task, shared[0], shared[1], state, steps, manifest.thin, str(folder), pure=False
    )
