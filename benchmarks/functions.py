"""Functional consolidation at national scale: ``propose leads`` and ``propose merge`` on 5,000 units x
50,000 tasks x 300,000 duties, against anchors measured in the same run on the same instance.

Prints, measured in this run:

1. the instance (reorg.datasets.synthetic.generate, seed 0): units, tasks, duties, cells to fix;
2. ``propose leads`` end to end (cells, candidates and costs, assignment, transfers): seconds, peak
   memory (RSS of this process, GB), cells, operations (targets: <= 30 s, <= 4 GB);
3. the assignment step alone: our per-cell argmin (exact without capacities, docs/functions.md) and the
   anchor, a plain OR-Tools min-cost flow over the whole instance without the decomposition
   (SimpleMinCostFlow, every unit uncapacitated); seconds, the ratio and whether both optima agree;
4. with capacities: the tightest ``max_per_unit`` the instance allows (bisection on the flow), the
   seconds of ``propose leads`` at it, the cells where it binds and the cost it adds;
5. the invariants after applying the plan (``one_lead`` and ``coverage`` empty) on a tenth of the
   instance (``--verify-full`` for the whole one; ``apply`` takes about a millisecond per transfer).
6. ``propose merge`` end to end on every agency level (ministry, department, office; spec defaults
   and a loose one, min_similarity 0.05 and greedy everywhere, so that many pairs compete): seconds,
   peak memory, units before and after, pairs that could merge, the methods used; and the anchor for
   its similarity step, the textbook sparse product D·Dᵀ of the level's duty rows (scipy), restricted
   to pairs of one place, against ``reorg.plan.similarity.shared_tasks`` on the same rows: seconds,
   the ratio and whether both find the same pairs with the same counts.

Run: ``.venv/bin/python benchmarks/functions.py [--verify-full]`` (about a minute).
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

from reorg.datasets import synthetic
from reorg.model import Apparatus
from reorg.optimize import merge
from reorg.optimize.duties import (
    TERMS,
    InfeasibleError,
    LeadsSpec,
    assign,
    assign_flow,
    build_instance,
    find_cells,
    propose,
)
from reorg.optimize.duties.propose import capacities
from reorg.plan import apply, check
from reorg.plan.similarity import shared_tasks

SIZE = {"units": 5_000, "tasks": 50_000, "duties": 300_000, "people": 100_000}
TARGET_S, TARGET_GB = 30.0, 4.0


def peak_gb() -> float:
    """Peak resident memory of this process so far (GB; ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def tightest(app: Apparatus, spec: LeadsSpec) -> int | None:
    """The least max_per_unit for which every cell gets a lead (bisection on the flow), or None."""
    cells = find_cells(app)
    inst = build_instance(app, cells, spec.weights)
    free = inst.terms[:, TERMS.index("change")] == 0
    held = np.bincount(app.duties.unit[app.duties.role == 0], minlength=len(app.units))

    def fits(cap: int) -> bool:
        try:
            assign(inst.edge_cell, inst.edge_unit, inst.cost, len(cells), capacities(app, cap), free)
        except InfeasibleError:
            return False
        return True

    lo, hi = 1, int(held.max()) + len(cells)
    if not fits(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if fits(mid) else (mid + 1, hi)
    return lo


def verify(app: Apparatus, label: str) -> None:
    plan, _ = propose(app)
    start = time.perf_counter()
    after = apply(app, plan)
    left = check(after, ["one_lead", "coverage"])
    before = check(app, ["one_lead", "coverage"])
    print(
        f"{label}: {len(before)} one_lead/coverage violations before, {len(left)} after applying "
        f"{len(plan.operations)} transfers ({time.perf_counter() - start:.1f} s to apply and check)"
    )


def merge_anchor(app: Apparatus, level: str) -> None:
    """Shared-task counts of the pairs of one place: ours against D·Dᵀ (see the module docstring)."""
    index = [str(n) for n in app.levels.name].index(level)
    rows = np.flatnonzero(app.units.level == index)
    among = np.zeros(len(app.units), bool)
    among[rows] = True
    start = time.perf_counter()
    ours = shared_tasks(app, max_holders=len(app.units), among=among)
    same = app.units.parent[ours.u] == app.units.parent[ours.v]
    ours_s = time.perf_counter() - start
    pairs = zip(ours.u[same].tolist(), ours.v[same].tolist(), ours.shared[same].tolist(), strict=True)
    mine = {(min(a, b), max(a, b)): c for a, b, c in pairs}
    start = time.perf_counter()
    d = app.duty_matrix[rows].astype(np.int32)
    product = (d @ d.T).tocoo()
    a, b = rows[product.row], rows[product.col]
    keep = (a < b) & (app.units.parent[a] == app.units.parent[b])
    anchor_s = time.perf_counter() - start
    keys = zip(a[keep].tolist(), b[keep].tolist(), strict=True)
    theirs = dict(zip(keys, product.data[keep].tolist(), strict=True))
    print(
        f"  {level} similarity step: ours {ours_s * 1e3:.1f} ms, "
        f"anchor (scipy D·Dᵀ) {anchor_s * 1e3:.1f} ms, "
        f"ratio {anchor_s / max(ours_s, 1e-9):.1f}x; {len(mine):,} pairs (agree: {mine == theirs})"
    )


def merges(app: Apparatus) -> None:
    """``propose merge`` on every agency level, two specs (see the module docstring)."""
    loose = merge.MergeSpec(min_similarity=0.05, method="greedy")
    for label, spec in (("defaults", merge.MergeSpec()), ("loose, greedy", loose)):
        for level in ("ministry", "department", "office"):
            start = time.perf_counter()
            _, why = merge.propose(app, level, spec)
            seconds = time.perf_counter() - start
            t = why.totals
            methods = sorted({f"{g.method} ({g.status})" for g in why.groups})
            print(
                f"propose merge {level} ({label}): {seconds:.2f} s, peak {peak_gb():.2f} GB; "
                f"{int(t['units']):,} -> {int(t['units_after']):,} units, {int(t['pairs']):,} pairs could "
                f"merge, {int(t['merges'])} mergers, {int(t['dissolutions'])} dissolutions; "
                f"{', '.join(methods) or 'nothing to solve'}; "
                f"target <= {TARGET_S:.0f} s: {seconds <= TARGET_S}"
            )
    for level in ("department", "office"):
        merge_anchor(app, level)


def main() -> None:
    start = time.perf_counter()
    app = synthetic.generate(**SIZE, seed=0)
    print(
        f"instance: {len(app.units):,} units, {len(app.tasks):,} tasks, {len(app.duties):,} duties "
        f"(synthetic seed 0, generated in {time.perf_counter() - start:.1f} s)"
    )

    start = time.perf_counter()
    plan, ex = propose(app)
    seconds = time.perf_counter() - start
    gb = peak_gb()
    t = ex.totals
    print(
        f"propose leads: {seconds:.2f} s, peak {gb:.2f} GB; {int(t['cells']):,} cells "
        f"({int(t['duplicates']):,} duplicated, {int(t['gaps']):,} unled) in {int(t['tasks']):,} tasks, "
        f"{len(plan.operations):,} transfers; cost {t['cost']:.3f}"
    )
    print(
        f"  target <= {TARGET_S:.0f} s and <= {TARGET_GB:.0f} GB: {seconds <= TARGET_S and gb <= TARGET_GB}"
    )

    cells = find_cells(app)
    inst = build_instance(app, cells, LeadsSpec().weights)
    n = len(cells)
    start = time.perf_counter()
    ours = assign(inst.edge_cell, inst.edge_unit, inst.cost, n)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    edge = assign_flow(inst.edge_cell, inst.edge_unit, inst.cost, n, np.full(len(app.units), n))
    anchor_s = time.perf_counter() - start
    anchor_cost = float(inst.cost[edge].sum())
    print(
        f"assignment of {n:,} cells over {len(inst.edge_cell):,} candidate edges: "
        f"argmin {ours_s * 1e3:.1f} ms, "
        f"anchor (OR-Tools min-cost flow, no decomposition) {anchor_s * 1e3:.1f} ms, "
        f"ratio {anchor_s / max(ours_s, 1e-9):.1f}x; optimum {ours.cost:.6f} vs {anchor_cost:.6f} "
        f"(agree: {abs(ours.cost - anchor_cost) < 1e-3})"
    )

    cap = tightest(app, LeadsSpec())
    if cap is None:
        print("capacities: no max_per_unit lets every cell get a lead")
    else:
        start = time.perf_counter()
        _, tight = propose(app, LeadsSpec(max_per_unit=cap))
        elapsed = time.perf_counter() - start
        print(
            f"capacities: tightest max_per_unit {cap}; propose leads at it {elapsed:.2f} s, "
            f"binding in {tight.capacity_bound} cells, cost {tight.totals['cost']:.3f} "
            f"(+{tight.totals['cost'] - t['cost']:.3f})"
        )

    merges(app)

    small = {k: v // 10 for k, v in SIZE.items()}
    verify(app if "--verify-full" in sys.argv else synthetic.generate(**small, seed=0), "invariants")
    print(f"peak memory over the run: {peak_gb():.2f} GB")


if __name__ == "__main__":
    main()
