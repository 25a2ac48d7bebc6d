"""How long evaluation and benefits take at national scale, with their anchors from the same run.

Evaluation: 2,000,000 people in 20,000 units (two levels) with 8,000,000 results (2 indicators in each of
2 periods per person, seeded). The anchor is the least any evaluation must do: one plain numpy groupby
(``bincount``) of the same weighted scores per person and period, with no validation, rating, cap,
ranking or lists. The ratio says what the rules cost on top of the arithmetic.

Benefits: 200,000 people leaving under the default ruleset (Decree 178/2024 as amended by Decree
67/2025). The anchor is the same engine called once per person on a 2,000-person sample, scaled up x100:
what a per-person loop over the same rules would cost.

Placement: 200,000 people of 4,000 units merged pairwise into 2,000 new units with 190,000 posts over
6 position types (quotas derived: docs/people.md), placed by merit (``reorg.people.place``: the instance
from the plan's lineage, then one exact min-cost flow per unit and pass). The anchor is scipy's
``linear_sum_assignment`` on the largest single unit it handles in reasonable time (``--anchor-size``
people, the posts expanded one column each), with the same min-cost flow on the same unit: same optimum,
and the time of each.

Peak memory is tracemalloc's peak (numpy reports its buffers to it) during a second run of each
measured step (the timed run is not traced).

Run: .venv/bin/python benchmarks/people.py [--people N] [--leavers N] [--placed N] [--seed N]
     [--only evaluate|benefits|placement]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from reorg.model import Apparatus, Duties, Levels, Neighbours, People, Results, Standards, Tasks, Units
from reorg.model.columns import empty
from reorg.people import compute_benefits, evaluate, load_ruleset, place
from reorg.people.assign import assign
from reorg.plan import Merge, NewUnit, Plan, apply

POSITIONS = np.array(["head", "deputy head", "specialist", "officer", "clerk", "driver"], dtype=object)


def generate(n_people: int, n_units: int, seed: int) -> Apparatus:
    """A root and ``n_units`` units under it; people spread over the units; 4 results per person."""
    rng = np.random.default_rng(seed)
    n = n_units + 1
    units = Units(
        id=np.array(["root", *(f"u{i}" for i in range(n_units))], dtype=object),
        name=np.array(["Root", *(f"Unit {i}" for i in range(n_units))], dtype=object),
        level=np.array([0] + [1] * n_units, dtype=np.int32),
        kind=np.full(n, "", dtype=object),
        parent=np.array([-1] + [0] * n_units, dtype=np.int32),
        quota=np.full(n, np.nan),
        area_km2=np.full(n, np.nan),
        population=np.full(n, np.nan),
        lat=np.full(n, np.nan),
        lon=np.full(n, np.nan),
    )
    levels = Levels(
        name=np.array(["root", "unit"], dtype=object),
        rank=np.array([0, 1], dtype=np.int32),
        territorial=np.array([False, False]),
        attached=np.array([False, False]),
    )
    birth = np.datetime64("1965-01-01") + rng.integers(0, 35 * 365, n_people).astype("timedelta64[D]")
    people = People(
        id=np.array([f"p{i:07d}" for i in range(n_people)], dtype=object),
        unit=rng.integers(1, n, n_people).astype(np.int32),
        position=np.full(n_people, "", dtype=object),
        grade=np.full(n_people, "A1", dtype=object),
        birth_date=birth,
        gender=np.where(rng.random(n_people) < 0.5, "nữ", "nam").astype(object),
        service_start=birth + np.timedelta64(22 * 365, "D"),
        salary_coefficient=np.round(rng.uniform(2.34, 6.2, n_people), 2),
    )
    m = 4 * n_people
    target = rng.integers(5, 50, m).astype(np.float64)
    results = Results(
        person=np.repeat(np.arange(n_people, dtype=np.int32), 4),
        period=np.tile(np.array(["2024", "2024", "2025", "2025"], dtype=object), n_people),
        indicator=np.tile(np.array(["tasks", "quality", "tasks", "quality"], dtype=object), n_people),
        target=target,
        actual=np.round(target * rng.uniform(0.3, 1.3, m)),
        weight=np.where(rng.random(m) < 0.5, np.nan, 2.0),
    )
    return Apparatus(
        levels=levels,
        units=units,
        tasks=empty(Tasks),
        duties=empty(Duties),
        people=people,
        results=results,
        neighbours=empty(Neighbours),
        standards=empty(Standards),
    )


def measured(f: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MB) of ``f()``: timed on its own, then run again under tracemalloc (which
    slows it down) for the peak of memory allocated during the call."""
    start = time.perf_counter()
    out = f()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, seconds, peak


def groupby_anchor(app: Apparatus) -> np.ndarray:
    """Weighted mean achievement per (person, period) with one bincount: the arithmetic alone."""
    r = app.results
    code = (r.period == "2025").astype(np.int64)
    key = r.person.astype(np.int64) * 2 + code
    w = np.where(np.isnan(r.weight), 1.0, r.weight)
    a = np.minimum(r.actual / r.target, 1.0)
    size = 2 * len(app.people)
    return 100 * np.bincount(key, w * a, size) / np.bincount(key, w, size)


def staffed(n_people: int, n_units: int, seed: int) -> Apparatus:
    """``generate``'s apparatus with positions (a head, 3 deputies, the rest of 4 other types) and
    quotas: 95 % of the people of each pair of units (u0 and u1, u2 and u3...), 95 % in all."""
    app = generate(n_people, n_units, seed)
    rng = np.random.default_rng(seed + 1)
    p = app.people
    order = np.argsort(p.unit, kind="stable")
    first = np.searchsorted(p.unit[order], p.unit[order], side="left")
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(len(p)) - first
    kind = np.where(rank == 0, 0, np.where(rank <= 3, 1, rng.integers(2, len(POSITIONS), len(p))))
    people = dataclasses.replace(p, position=POSITIONS[kind])
    size = np.bincount(p.unit, minlength=len(app.units))
    pair = size[1::2][: len(size[2::2])] + size[2::2]  # people per pair of units (u0+u1, u2+u3, ...)
    posts = np.floor(pair * 0.95).astype(np.int64)
    posts[: round(0.95 * pair.sum()) - int(posts.sum())] += 1  # 95 % of the people in all
    quota = np.zeros(len(size))
    quota[1::2][: len(posts)] = posts  # a merged unit's quota is the sum: all on the first of the pair
    units = dataclasses.replace(app.units, quota=quota)
    return dataclasses.replace(app, units=units, people=people, results=app.results)


def bench_placement(n_people: int, n_units: int, anchor_size: int, seed: int) -> None:
    """Place ``n_people`` of ``n_units`` merged pairwise; then the anchor on one unit."""
    start = time.perf_counter()
    before = staffed(n_people, n_units, seed)
    merges = tuple(
        Merge((f"u{i}", f"u{i + 1}"), NewUnit(f"m{i // 2}", f"Merged {i // 2}"))
        for i in range(0, n_units - 1, 2)
    )
    after = apply(before, Plan("bench", merges, require=()))
    ev = evaluate(before)
    scores = np.full(len(before.people), np.nan)
    scores[ev.person] = ev.score
    took = time.perf_counter() - start
    print(f"placement input: {len(merges):,} merges applied and people evaluated in {took:.1f} s")
    result, seconds, peak = measured(lambda: place(before, after, scores))
    c = result.counts()
    print(
        f"placement: {seconds:.2f} s, peak {peak:,.0f} MB; {c['candidates']:,} people into {c['slots']:,} "
        f"posts of {c['units']:,} new units: placed {c['placed']:,} ({c['placed_as_leaders']:,} as leaders), "
        f"surplus {c['surplus']:,}; total fit {sum(result.objective) / 100:,.0f} points"
    )
    assert np.all(result.filled() <= result.problem.quota)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak resident memory so far (input, plan, evaluation, placement): {rss:,.0f} MB")

    from scipy.optimize import linear_sum_assignment  # the anchor, not a dependency of the product

    rng = np.random.default_rng(seed)
    k = len(POSITIONS)
    merit = rng.integers(0, 11_000, anchor_size)
    current = rng.integers(0, k, anchor_size)
    quota = np.full(k, int(anchor_size * 0.95) // k)
    types = np.arange(k)
    start = time.perf_counter()
    got = assign(merit, current, types, quota, 2_000)
    flow_s = time.perf_counter() - start
    on = got >= 0
    flow_fit = int((merit[on] + 2_000 * (current[on] == got[on])).sum())
    start = time.perf_counter()
    slots = np.repeat(types, quota)
    fit = merit[:, None] + 2_000 * (current[:, None] == slots[None, :])
    rows, cols = linear_sum_assignment(fit, maximize=True)
    lsa_s = time.perf_counter() - start
    print(
        f"anchor, one unit of {anchor_size:,} people and {len(slots):,} posts: scipy linear_sum_assignment "
        f"{lsa_s:.2f} s, the same min-cost flow {flow_s:.3f} s ({lsa_s / flow_s:.0f}x faster)"
    )
    print(f"  same optimum: {int(fit[rows, cols].sum()) == flow_fit and len(rows) == int(on.sum())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--leavers", type=int, default=200_000)
    parser.add_argument("--placed", type=int, default=200_000, help="people to place")
    parser.add_argument("--placed-units", type=int, default=4_000, help="units merged pairwise")
    parser.add_argument("--anchor-size", type=int, default=3_000, help="people in scipy's unit")
    parser.add_argument("--only", choices=["evaluate", "benefits", "placement"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.only in (None, "placement"):
        bench_placement(args.placed, args.placed_units, args.anchor_size, args.seed)
    if args.only == "placement":
        return

    start = time.perf_counter()
    app = generate(args.people, args.units, args.seed)
    took = time.perf_counter() - start
    print(f"generated {len(app.people):,} people, {len(app.results):,} results in {took:.1f} s")

    ev, seconds, peak = measured(lambda: evaluate(app))
    counts = ev.counts()
    print(
        f"evaluate: {seconds:.2f} s, peak {peak:,.0f} MB; "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    anchor, anchor_s, anchor_peak = measured(lambda: groupby_anchor(app))
    same = np.allclose(anchor.reshape(-1, 2)[:, 1], ev.score, rtol=0, atol=1e-6)
    print(f"anchor (numpy bincount groupby of the same scores): {anchor_s:.2f} s, peak {anchor_peak:,.0f} MB")
    print(f"  same scores: {same}; evaluation / anchor = {seconds / anchor_s:.1f}x")

    rules = load_ruleset()
    rng = np.random.default_rng(args.seed)
    leavers = np.sort(rng.choice(len(app.people), args.leavers, replace=False))
    as_of, decision = dt.date(2025, 6, 1), dt.date(2025, 3, 1)
    b, seconds, peak = measured(
        lambda: compute_benefits(app, rules, leavers, as_of=as_of, decision_date=decision)
    )
    total = b.total
    print(
        f"benefits: {seconds:.2f} s, peak {peak:,.0f} MB for {len(leavers):,} people; "
        f"cost {total.cost:,.0f} VND, saved {total.annual_saving:,.0f} VND/year, "
        f"payback {total.payback_years:.2f} y; " + ", ".join(f"{k} {v:,}" for k, v in total.by_regime.items())
    )
    sample = leavers[:2_000]
    start = time.perf_counter()
    looped = [
        compute_benefits(app, rules, [p], as_of=as_of, decision_date=decision).amount[0]
        for p in sample.tolist()
    ]
    loop_s = (time.perf_counter() - start) * len(leavers) / len(sample)
    same = np.array_equal(np.array(looped), b.amount[: len(sample)])
    scale = len(leavers) // len(sample)
    print(f"anchor (the same engine once per person, 2,000 sampled, scaled x{scale}): {loop_s:.1f} s")
    print(f"  same amounts: {same}; loop / vectorized = {loop_s / seconds:.0f}x")


if __name__ == "__main__":
    main()
