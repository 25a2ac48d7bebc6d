"""How long a national-scale roadmap takes to build and to check for continuity at every step.

The apparatus and the structural reform are apply_scale.py's (about 102,000 units, a million duties,
a million people; districts abolished, 471 splits, ~3,300 commune merges, 29 province merges). Lead
transfers, after the reform, from surviving communes to one of their offices (the same place, so
continuity holds) bring the plan to 20,000 operations, one step each. Measured: building the roadmap
(steps and derived dependencies), scheduling it (critical path) and the continuity check at every
step boundary, carried in one working copy. The anchor, measured in the same run on a sample of
steps, is what the obvious way costs: re-applying the plan's prefix (in the schedule's order) from
the baseline at each step; its total over all steps is estimated from the sample (mean x steps).

Run: .venv/bin/python benchmarks/roadmap.py [--seed N] [--steps N] [--sample N] [--vietnam SCALE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from apply_scale import COMMUNE_OFFICES, COMMUNES, TASKS, generate, reform
from reorg.plan import Merge, Plan, Transfer
from reorg.plan.state import State
from reorg.roadmap import build, check_continuity, dependencies, schedule
from reorg.roadmap.continuity import _run_step

START = dt.date(2025, 3, 1)


def _plan(seed: int, steps: int):  # type: ignore[no-untyped-def]
    app, rows = generate(seed)
    rng = np.random.default_rng(seed)
    structural = reform(app, rows, rng)
    extra = steps - len(structural.operations)
    first_comm = sum(list(TASKS.values())[:3])
    ids = app.units.id
    offices = rows["commune office"].reshape(COMMUNES, COMMUNE_OFFICES)
    gone = {u for op in structural.operations if isinstance(op, Merge) for u in op.units[1:]}
    kept = [k for k in range(COMMUNES) if str(ids[rows["commune"][k]]) not in gone]
    pairs = rng.choice(len(kept) * TASKS["commune"], extra, replace=False)
    transfers = [  # after the reform: a surviving commune hands a task to one of its offices
        Transfer(
            task=str(app.tasks.id[first_comm + p % TASKS["commune"]]),
            from_unit=str(ids[rows["commune"][kept[p // TASKS["commune"]]]]),
            to_unit=str(ids[offices[kept[p // TASKS["commune"]], 0]]),
        )
        for p in sorted(pairs.tolist())
    ]
    ops = (*structural.operations, *transfers)
    return app, Plan("bench", ops, name="bench-roadmap", require=())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=6, help="steps at which the anchor is measured")
    parser.add_argument("--vietnam", type=float, metavar="SCALE", help="also the enacted-2025 plan at SCALE")
    args = parser.parse_args()
    t0 = time.perf_counter()
    app, plan = _plan(args.seed, args.steps)
    counts = app.counts()
    print(
        f"apparatus: {counts['units']:,} units, {counts['duties']:,} duties, {counts['people']:,} people; "
        f"plan: {len(plan.operations):,} operations (generated in {time.perf_counter() - t0:.1f} s)"
    )
    t1, c1 = time.perf_counter(), time.process_time()
    rm = build(app, plan, start=START)
    deps = dependencies(rm, app, plan)
    t2 = time.perf_counter()
    sched = schedule(rm, deps)
    t3 = time.perf_counter()
    result = check_continuity(app, plan, sched)
    t4, c4 = time.perf_counter(), time.process_time()
    total = t4 - t1
    print(f"roadmap: {len(rm.steps):,} steps, {len(deps):,} dependencies, {sched.days:,} days, "
          f"{int(sched.critical.sum()):,} critical steps; {len(sched.milestones())} milestones")  # fmt: skip
    breaks = len(result.breaks)
    print(f"build + derive: {t2 - t1:.2f} s; schedule (CPM): {t3 - t2:.2f} s; "
          f"continuity at {result.boundaries:,} boundaries: {t4 - t3:.2f} s ({breaks} breaks)")  # fmt: skip
    print(
        f"total: {total:.2f} s ({c4 - c1:.2f} s CPU; budget 30 s); "
        f"peak memory {_rss_mb():,.0f} MB (budget 4,096)"
    )
    # the anchor: re-apply the prefix from the baseline at sampled steps
    order = sched.order
    picks = np.linspace(0, len(order) - 1, args.sample).round().astype(int).tolist()
    per_step = []
    for k in picks:
        ta = time.perf_counter()
        st = State(app)
        for i in order[: k + 1]:
            _run_step(st, plan, rm.steps[i].operations)
        per_step.append(time.perf_counter() - ta)
    estimate = float(np.mean(per_step)) * len(order)
    incremental = t4 - t3
    print("anchor, prefix re-applied at sampled steps: " + ", ".join(
        f"step {k + 1:,}: {s:.2f} s" for k, s in zip(picks, per_step, strict=True)))  # fmt: skip
    print(f"anchor total over {len(order):,} steps (estimated): {estimate:,.0f} s; incremental check "
          f"{incremental:.2f} s: {estimate / max(incremental, 1e-9):,.0f}x faster")  # fmt: skip
    if args.vietnam:
        _vietnam(args.vietnam)


def _vietnam(scale: float) -> None:
    """The enacted 2025 plan's roadmap on vietnam-2024 (built by reorg.datasets.vietnam)."""
    from reorg.datasets import vietnam

    app = vietnam.build(scale=scale)
    plan = vietnam.enacted_plan(app)
    t = time.perf_counter()
    rm = build(app, plan, start=START)
    sched = schedule(rm, dependencies(rm, app, plan))
    result = check_continuity(app, plan, sched)
    first = result.first
    print(
        f"enacted-2025 on vietnam-2024 (scale {scale}): {len(rm.steps):,} steps, {sched.days} days, "
        f"{len(result.breaks)} breaks{f' (first: {first.step} {first.message})' if first else ''}; "
        f"{time.perf_counter() - t:.2f} s"
    )


if __name__ == "__main__":
    main()
