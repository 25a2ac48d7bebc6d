"""Diagnosis at scale: 100,000 units, 20,000 tasks, 1,000,000 duties, 2,000,000 people.

Targets: the whole diagnosis in at most 10 s and 3 GB peak memory (on a 2-core machine). Prints the
generation time (excluded from the diagnosis figure), the time of each family of checks (the derived
indexes of the apparatus, built on first use, are counted in the family that first needs them), the
total, the peak memory of a second diagnosis on a fresh copy (tracemalloc, numpy included; measured
apart because tracing slows the timed run) and of the process (ru_maxrss), and the findings per kind.

Anchor, measured in the same run: the overlap computed the textbook way, the sparse product M @ M.T of
the units x tasks duty matrix with tasks held by more than ``overlap_max_holders`` units dropped (it
ignores jurisdictions, so it compares every commune with every other); our overlap is jurisdiction-aware
and never forms a units x units product.

    .venv/bin/python benchmarks/diagnose_scale.py [--units N --tasks N --duties N --people N --seed N]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import resource
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp

from reorg.datasets.synthetic import generate
from reorg.diagnose import FAMILIES, DiagnosisConfig, diagnose
from reorg.diagnose.overlap import similar_pairs
from reorg.model import Apparatus

TARGET_SECONDS = 10.0
TARGET_GB = 3.0


def _anchor(app: Apparatus, cap: int) -> tuple[float, int]:
    """Seconds and stored entries of the capped textbook product M @ M.T."""
    start = time.perf_counter()
    m = app.duty_matrix.astype(np.int32)
    holders = np.bincount(m.indices, minlength=m.shape[1])
    capped = sp.csr_array(m[:, np.flatnonzero(holders <= cap)])
    product = capped @ capped.T
    return time.perf_counter() - start, int(product.nnz)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--duties", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    app = generate(units=args.units, tasks=args.tasks, duties=args.duties, people=args.people, seed=args.seed)
    print(f"generated {app.counts()} in {time.perf_counter() - start:.2f} s (not counted)")

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    report = diagnose(app, progress=lambda done, total, stage: marks.append((stage, time.perf_counter())))
    total = time.perf_counter() - start
    # memory on a fresh copy (derived indexes rebuilt), apart: tracemalloc slows the timed run down
    fresh = dataclasses.replace(app)
    tracemalloc.start()
    diagnose(fresh)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\n{'family':<16}{'seconds':>9}")
    for (stage, t0), (_, t1) in itertools.pairwise(marks):
        print(f"{stage.removeprefix('diagnose: '):<16}{t1 - t0:>9.2f}")
    print(f"{'total':<16}{total:>9.2f}   (target <= {TARGET_SECONDS:.0f} s)")
    peak_gb = peak / 1e9
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    print(f"peak memory of the diagnosis {peak_gb:.2f} GB (tracemalloc; target <= {TARGET_GB:.0f} GB)")
    print(f"peak resident memory of the process, generation included {rss_gb:.2f} GB (ru_maxrss)")

    config = DiagnosisConfig()
    start = time.perf_counter()
    pairs = similar_pairs(app, config)
    ours = time.perf_counter() - start
    anchor_seconds, anchor_nnz = _anchor(app, config.overlap_max_holders)
    print(
        f"\noverlap, indexes warm: ours {ours:.2f} s ({pairs.incidences:,} pair-task incidences, "
        f"{len(pairs.u):,} similar pairs); anchor M @ M.T capped at {config.overlap_max_holders} holders "
        f"{anchor_seconds:.2f} s ({anchor_nnz:,} stored pairs, no jurisdiction filter); "
        f"time ours / anchor {ours / max(anchor_seconds, 1e-9):.1f}"
    )

    counts = report.summary["findings"]
    assert isinstance(counts, dict)
    print("\nfindings per kind: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"families: {', '.join(name for name, _ in FAMILIES)}")
    ok = total <= TARGET_SECONDS and peak_gb <= TARGET_GB
    print(f"\n{'within' if ok else 'OVER'} target")


if __name__ == "__main__":
    main()
