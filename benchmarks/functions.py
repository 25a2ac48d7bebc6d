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
7. the internal model after a merger (``reorg.optimize.merge.propose_internal``): a merger plan that
   pairs the provinces and, in each province, the districts (each pair's agencies of one field merged
   with it, as a territorial merger must), then the merged units' departments and offices
   consolidated (spec defaults and the loose one): seconds (the merger's ``apply`` apart), departments
   before -> after the merger -> after, leadership posts, and the anchor: ``propose merge`` of the same
   levels on the merger's result without the restriction to merged units (the same machinery on every
   department and office); the ratio; and the invariants after the whole plan.

Run: ``.venv/bin/python benchmarks/functions.py [--verify-full]`` (a minute or two).
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
from reorg.plan import Plan, apply, check, validate
from reorg.plan.invariants import STRUCTURAL
from reorg.plan.operations import Merge, NewUnit, Operation
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


def _groups(app: Apparatus, rows: list[int]) -> list[list[int]]:
    """The agencies ``rows`` of a pair of places grouped as a territorial merger must merge them: the
    same field (their name but its number), or leading a task in common (else the merged place would
    have two leads of it; union-find)."""
    root = {r: r for r in rows}

    def find(r: int) -> int:
        while root[r] != r:
            root[r] = root[root[r]]
            r = root[r]
        return r

    def join(a: int, b: int) -> None:
        root[find(a)] = find(b)

    first: dict[str, int] = {}
    for r in rows:
        join(r, first.setdefault(str(app.units.name[r]).rsplit(" ", 1)[0], r))
    d = app.duties
    led = np.isin(d.unit, rows) & (d.role == 0)
    leader: dict[int, int] = {}
    for t, r in zip(d.task[led].tolist(), d.unit[led].tolist(), strict=True):
        join(r, leader.setdefault(t, r))
    out: dict[int, list[int]] = {}
    for r in rows:
        out.setdefault(find(r), []).append(r)
    return [sorted(g) for g in out.values() if len(g) > 1]


def pairing(app: Apparatus) -> tuple[Plan, int, int]:
    """A merger plan on the synthetic apparatus: districts paired in each province (row order), then
    provinces paired; each pair's agencies merged first as ``_groups`` says, into the first place. Pairs
    whose merger ``apply`` still refuses (a task led by one place itself and by an agency, or a
    commune, of the other) are left out, by rounds of ``validate``. Returns the plan, the pairs kept
    and the pairs tried."""
    names = [str(n) for n in app.levels.name]
    u = app.units
    pairs: list[list[Operation]] = []

    def pair(rows: list[int], agency: str) -> None:
        for a, b in zip(rows[::2], rows[1::2], strict=False):
            kids = np.flatnonzero(np.isin(u.parent, [a, b]) & (u.level == names.index(agency))).tolist()
            ops: list[Operation] = []
            for g in _groups(app, kids):
                into = NewUnit(f"{u.id[g[0]]}+", str(u.name[g[0]]), parent_id=str(u.id[a]))
                ops.append(Merge(tuple(str(u.id[k]) for k in g), into))
            ops.append(Merge((str(u.id[a]), str(u.id[b])), NewUnit(f"{u.id[a]}+{u.id[b]}", f"{u.name[a]}+")))
            pairs.append(ops)

    provinces = np.flatnonzero(u.level == names.index("province")).tolist()
    for p in provinces:
        pair(np.flatnonzero((u.parent == p) & (u.level == names.index("district"))).tolist(), "office")
    pair(provinces, "department")
    kept = list(range(len(pairs)))
    for _ in range(5):
        ops = [op for i in kept for op in pairs[i]]
        owner = [i for i in kept for _ in pairs[i]]
        plan = Plan(baseline=app.info.name, operations=tuple(ops), name="paired", require=())
        refused = {owner[e.operation] for e in validate(app, plan).errors if e.operation is not None}
        if not refused:
            return plan, len(kept), len(pairs)
        kept = [i for i in kept if i not in refused]
    raise RuntimeError("the pairing did not settle in 5 rounds")


def internal(app: Apparatus) -> None:
    """The internal model after ``pairing`` (see the module docstring)."""
    start = time.perf_counter()
    plan, kept, tried = pairing(app)
    drawn_s = time.perf_counter() - start
    start = time.perf_counter()
    mid = apply(app, plan)
    print(
        f"internal model: merger plan of {len(plan.operations):,} merges ({kept} of {tried} pairs of "
        f"places apply; drawn in {drawn_s:.1f} s), applied in {time.perf_counter() - start:.1f} s"
    )
    before, merged = len(check(app, list(STRUCTURAL))), len(check(mid, list(STRUCTURAL)))
    loose = merge.MergeSpec(min_similarity=0.05, method="greedy")
    for label, spec in (("defaults", merge.MergeSpec()), ("loose, greedy", loose)):
        start = time.perf_counter()
        drawn, why = merge.propose_internal(app, plan, spec, after=mid)
        seconds = time.perf_counter() - start
        t = why.totals
        start = time.perf_counter()
        anchor = [merge.propose(mid, level, spec)[1] for level in why.levels]
        anchor_s = time.perf_counter() - start
        pairs = sum(int(a.totals["pairs"]) for a in anchor)
        print(
            f"propose internal ({label}): {seconds:.2f} s, peak {peak_gb():.2f} GB; "
            f"{int(t['merged_units']):,} merged units, {int(t['with_departments']):,} with departments "
            f"({', '.join(why.levels)}): {int(t['departments_before']):,} -> "
            f"{int(t['departments_merged']):,} -> {int(t['departments_after']):,} ({int(t['mergers'])} "
            f"mergers, {int(t['dissolutions'])} dissolutions); leadership posts {int(t['leaders_before']):,} "
            f"-> {int(t['leaders_merged']):,} -> {int(t['leaders_after']):,}; "
            f"target <= {TARGET_S:.0f} s: {seconds <= TARGET_S}"
        )
        print(
            f"  anchor (propose merge of {', '.join(why.levels)} on the merger's result, every unit): "
            f"{anchor_s:.2f} s, {pairs:,} pairs could merge; ratio {seconds / max(anchor_s, 1e-9):.2f}x"
        )
        start = time.perf_counter()
        left = check(apply(app, drawn), list(STRUCTURAL))
        print(
            f"  the whole plan ({len(drawn.operations):,} operations) applied and checked in "
            f"{time.perf_counter() - start:.1f} s: structural violations {before} in the baseline, {merged} "
            f"after the merger, {len(left)} after the whole plan"
        )


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
    internal(app)

    small = {k: v // 10 for k, v in SIZE.items()}
    verify(app if "--verify-full" in sys.argv else synthetic.generate(**small, seed=0), "invariants")
    print(f"peak memory over the run: {peak_gb():.2f} GB")


if __name__ == "__main__":
    main()
