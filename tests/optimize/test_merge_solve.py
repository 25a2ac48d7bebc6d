"""The merger partition: CP-SAT reaches the brute-force optimum, greedy keeps every rule."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest

from reorg.optimize.merge import Group, solve_exact, solve_greedy


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]
        yield [[first], *part]


def _group(seed: int, n: int, *, caps: bool, target: bool) -> Group:
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for a, b in itertools.combinations(range(n), 2) if rng.random() < 0.6]
    s = rng.uniform(0.5, 1.0, len(pairs))
    forced = np.zeros(len(pairs), bool)
    if pairs and rng.random() < 0.3:
        forced[0] = True
    sets = tuple(
        frozenset(rng.choice(12, size=int(rng.integers(1, 6)), replace=False).tolist()) for _ in range(n)
    )
    return Group(
        n=n,
        a=np.asarray([p[0] for p in pairs], np.int64),
        b=np.asarray([p[1] for p in pairs], np.int64),
        s=s,
        forced=forced,
        task_sets=sets,
        headcount=rng.integers(1, 10, n).astype(np.int64),
        max_tasks=9 if caps else None,
        max_headcount=14.0 if caps else None,
        target=int(rng.integers(2, n)) if target else None,
    )


def _valid(g: Group, parts: list[list[int]], *, exact_caps: bool) -> bool:
    """Every rule of the module docstring (the task cap as the exact model counts it when asked)."""
    allowed = {(int(a), int(b)): float(s) for a, b, s in zip(g.a, g.b, g.s, strict=True)}
    where = {u: i for i, p in enumerate(parts) for u in p}
    for k in np.flatnonzero(g.forced).tolist():
        if where[int(g.a[k])] != where[int(g.b[k])]:
            return False
    for p in parts:
        if any((min(u, v), max(u, v)) not in allowed for u, v in itertools.combinations(p, 2)):
            return False
        if g.max_headcount is not None and g.headcount[p].sum() > g.max_headcount:
            return False
        if g.max_tasks is not None:
            if exact_caps:
                for u in p:
                    own = g.task_sets[u]
                    if len(own) + sum(len(g.task_sets[v] - own) for v in p if v != u) > g.max_tasks:
                        return False
            elif len(frozenset().union(*(g.task_sets[u] for u in p))) > g.max_tasks:
                return False
    return g.target is None or len(parts) >= min(g.target, g.n)


def _value(g: Group, parts: list[list[int]]) -> tuple[int, float]:
    where = {u: i for i, p in enumerate(parts) for u in p}
    sim = sum(float(s) for a, b, s in zip(g.a, g.b, g.s, strict=True) if where[int(a)] == where[int(b)])
    off = abs(len(parts) - g.target) if g.target is not None else 0
    return -off, sim


def _parts(label: np.ndarray) -> list[list[int]]:
    return [np.flatnonzero(label == x).tolist() for x in np.unique(label)]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(("caps", "target"), [(False, False), (True, False), (False, True), (True, True)])
def test_exact_reaches_the_brute_force_optimum(seed: int, caps: bool, target: bool) -> None:
    """On 6 units, CP-SAT's partition is valid and as good as the best of all 203 partitions."""
    g = _group(seed, 6, caps=caps, target=target)
    found = solve_exact(g, time_limit_s=10)
    valid = [p for p in _partitions(list(range(g.n))) if _valid(g, p, exact_caps=True)]
    if not valid:
        assert found.status == "infeasible"
        return
    best = max(_value(g, p) for p in valid)
    got = _value(g, _parts(found.label))
    assert found.status == "optimal"
    assert _valid(g, _parts(found.label), exact_caps=True)
    assert got[0] == best[0]
    assert got[1] == pytest.approx(best[1], abs=1e-2)
    assert found.bound >= found.objective - 1e-9


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(("caps", "target"), [(False, False), (True, False), (False, True), (True, True)])
def test_greedy_keeps_every_rule(seed: int, caps: bool, target: bool) -> None:
    """Greedy partitions are cliques of allowed pairs within the caps, and never below the target;
    its bound (every allowed pair merged) is at least its objective."""
    g = _group(seed, 9, caps=caps, target=target)
    found = solve_greedy(g)
    if found.status == "infeasible":  # a locked pair breaks a cap
        return
    assert _valid(g, _parts(found.label), exact_caps=False)
    assert found.bound >= found.objective


def test_greedy_joins_the_most_similar_first_until_the_target() -> None:
    """Four units in a path of similarities 0.9, 0.6, 0.8 and target 2: {0,1} and {2,3}."""
    g = Group(
        n=4,
        a=np.asarray([0, 1, 2]),
        b=np.asarray([1, 2, 3]),
        s=np.asarray([0.9, 0.6, 0.8]),
        forced=np.zeros(3, bool),
        task_sets=tuple(frozenset({i}) for i in range(4)),
        headcount=np.ones(4, np.int64),
        max_tasks=None,
        max_headcount=None,
        target=2,
    )
    assert _parts(solve_greedy(g).label) == [[0, 1], [2, 3]]
    assert _parts(solve_exact(g).label) == [[0, 1], [2, 3]]
