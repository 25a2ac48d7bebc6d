"""How long evaluation and benefits take at national scale, with their anchors from the same run.

Evaluation: 2,000,000 people in 20,000 units (two levels) with 8,000,000 results (2 indicators in each of
2 periods per person, seeded). The anchor is the least any evaluation must do: one plain numpy groupby
(``bincount``) of the same weighted scores per person and period, with no validation, rating, cap,
ranking or lists. The ratio says what the rules cost on top of the arithmetic.

Benefits: 200,000 people leaving under the default ruleset (Decree 178/2024 as amended by Decree
67/2025). The anchor is the same engine called once per person on a 2,000-person sample, scaled up x100:
what a per-person loop over the same rules would cost.

Peak memory is tracemalloc's peak (numpy reports its buffers to it) during a second run of each
measured step (the timed run is not traced).

Run: .venv/bin/python benchmarks/people.py [--people N] [--leavers N] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from reorg.io import empty
from reorg.model import Apparatus, Levels, People, Results, Units
from reorg.people import compute_benefits, evaluate, load_ruleset


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
        tasks=empty.tasks(),
        duties=empty.duties(),
        people=people,
        results=results,
        neighbours=empty.neighbours(),
        standards=empty.standards(),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--leavers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

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
