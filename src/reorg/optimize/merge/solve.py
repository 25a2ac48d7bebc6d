"""Which units of one place to merge: a partition of the place's units into merged units.

The problem (one place; n units; edges = the pairs that may be merged, with similarity s):

- every two members of a merged unit form an allowed pair (similarity >= min_similarity, not kept
  apart, neither untouchable), so a merged unit is a clique of the allowed graph; pairs locked
  together are in one merged unit;
- a merged unit holds at most ``max_tasks`` distinct tasks and ``max_headcount`` people;
- with a ``target``: as close to ``target`` merged units as the rules allow (never fewer);
- objective: the largest total similarity of the pairs merged, sum over merged units of the sum of s
  over their pairs (without a target this merges every group the rules allow, and prefers the most
  similar groups where cliques compete).

``exact`` is a CP-SAT model on one boolean per allowed pair: transitivity on every path u-v-w of the
allowed graph (x_uv + x_vw - x_uw <= 1; <= 1 without the uw term when uw is not allowed); the caps as
``t_u + sum_v x_uv t(v minus u) <= max_tasks`` and ``h_u + sum_v x_uv h_v <= max_headcount`` per u (the
task cap counted conservatively: exact for two units, above the true union for more); the number of
merged units as the units that are the smallest member of theirs; objective: first |count - target|,
then the total similarity in thousandths. Its proven bound is reported.

``greedy`` is agglomerative complete linkage: starting from the locked pairs, repeatedly join the two
merged units whose pairs are all allowed, with the highest mean similarity, while the caps hold (true
union of tasks), until none can be joined or the target is reached. Its bound is the sum of s over all
allowed pairs (every allowed pair merged), an upper bound on the objective.
"""

from __future__ import annotations

import dataclasses
import heapq
import time

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

__all__ = ["Group", "Partition", "solve_exact", "solve_greedy"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SCALE = 1000  # similarity resolution of the exact objective


@dataclasses.dataclass(frozen=True, eq=False)
class Group:
    """One place's problem, in local indexes 0..n-1: edges (``a`` < ``b``) with similarity ``s`` and
    ``forced`` flags (only allowed pairs); per unit the task sets (``task_sets``) and ``headcount``."""

    n: int
    a: IntArray
    b: IntArray
    s: FloatArray
    forced: npt.NDArray[np.bool_]
    task_sets: tuple[frozenset[int], ...]
    headcount: IntArray
    max_tasks: int | None
    max_headcount: float | None
    target: int | None


@dataclasses.dataclass(frozen=True)
class Partition:
    """``label`` per unit (equal labels: one merged unit), the objective (total similarity merged),
    a proven upper ``bound`` on it, the method used and its status ("optimal", "feasible", "greedy",
    "infeasible": locked pairs break a cap)."""

    label: IntArray
    objective: float
    bound: float
    method: str
    status: str
    seconds: float


def _objective(g: Group, label: IntArray) -> float:
    same = label[g.a] == label[g.b]
    return float(g.s[same].sum())


def solve_greedy(g: Group) -> Partition:
    """Agglomerative complete linkage under the caps (see the module docstring)."""
    start = time.perf_counter()
    parent = list(range(g.n))
    members: dict[int, list[int]] = {i: [i] for i in range(g.n)}
    tasks: dict[int, set[int]] = {i: set(g.task_sets[i]) for i in range(g.n)}
    heads: dict[int, int] = {i: int(g.headcount[i]) for i in range(g.n)}
    # cross[(A, B)] = [allowed pairs, similarity sum], A < B cluster roots
    cross: dict[int, dict[int, list[float]]] = {i: {} for i in range(g.n)}
    for x, y, s in zip(g.a.tolist(), g.b.tolist(), g.s.tolist(), strict=True):
        cross[x][y] = [1.0, s]
        cross[y][x] = cross[x][y]
    count = g.n
    status = "greedy"

    def fits(x: int, y: int) -> bool:
        if g.max_headcount is not None and heads[x] + heads[y] > g.max_headcount:
            return False
        return g.max_tasks is None or len(tasks[x] | tasks[y]) <= g.max_tasks

    def join(x: int, y: int) -> int:
        nonlocal count
        x, y = min(x, y), max(x, y)
        for z, (c, s) in cross.pop(y).items():
            del cross[z][y]
            if z == x:
                continue
            cur = cross[x].get(z)
            if cur is None:
                cross[x][z] = [c, s]
                cross[z][x] = cross[x][z]
            else:
                cur[0] += c
                cur[1] += s
        cross[x].pop(y, None)
        members[x] += members.pop(y)
        tasks[x] |= tasks.pop(y)
        heads[x] += heads.pop(y)
        parent[y] = x
        count -= 1
        return x

    for x, y in zip(g.a[g.forced].tolist(), g.b[g.forced].tolist(), strict=True):
        rx, ry = _find(parent, x), _find(parent, y)
        if rx != ry:
            if not fits(rx, ry):
                status = "infeasible"
            join(rx, ry)
    heap: list[tuple[float, int, int]] = []

    def push(x: int, y: int) -> None:
        c, s = cross[x][y]
        if c == len(members[x]) * len(members[y]):
            heapq.heappush(heap, (-s / c, min(x, y), max(x, y)))

    for x in list(cross):
        for y in cross[x]:
            if x < y:
                push(x, y)
    while heap and (g.target is None or count > g.target):
        _, x, y = heapq.heappop(heap)
        if x not in members or y not in members or y not in cross[x]:
            continue
        c, s = cross[x][y]
        if c != len(members[x]) * len(members[y]) or not fits(x, y):
            continue
        r = join(x, y)
        for z in cross[r]:
            push(r, z)
    label = np.asarray([_find(parent, i) for i in range(g.n)], np.int64)
    return Partition(
        label, _objective(g, label), float(g.s.sum()), "greedy", status, time.perf_counter() - start
    )


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def solve_exact(g: Group, *, time_limit_s: float = 20.0) -> Partition:
    """The CP-SAT model (see the module docstring); deterministic (one worker, fixed seed)."""
    start = time.perf_counter()
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{k}") for k in range(len(g.a))]
    edge: dict[tuple[int, int], int] = {}
    nbrs: list[list[int]] = [[] for _ in range(g.n)]
    for k, (u, v) in enumerate(zip(g.a.tolist(), g.b.tolist(), strict=True)):
        edge[(u, v)] = edge[(v, u)] = k
        nbrs[u].append(v)
        nbrs[v].append(u)
        if g.forced[k]:
            m.add(x[k] == 1)
    for v in range(g.n):
        ns = nbrs[v]
        for i, u in enumerate(ns):
            for w in ns[i + 1 :]:
                uw = edge.get((u, w))
                if uw is None:
                    m.add(x[edge[(u, v)]] + x[edge[(v, w)]] <= 1)
                else:
                    m.add(x[edge[(u, v)]] + x[edge[(v, w)]] - x[uw] <= 1)
    for u in range(g.n):
        if g.max_headcount is not None:
            m.add(
                int(g.headcount[u]) + sum(int(g.headcount[v]) * x[edge[(u, v)]] for v in nbrs[u])
                <= int(g.max_headcount)
            )
        if g.max_tasks is not None:
            own = g.task_sets[u]
            m.add(len(own) + sum(len(g.task_sets[v] - own) * x[edge[(u, v)]] for v in nbrs[u]) <= g.max_tasks)
    similarity = sum(round(s * SCALE) * x[k] for k, s in enumerate(g.s.tolist()))
    if g.target is not None:
        first = []
        for u in range(g.n):
            lower = [x[edge[(v, u)]] for v in nbrs[u] if v < u]
            r = m.new_bool_var(f"r{u}")
            for xv in lower:
                m.add(r <= 1 - xv)
            m.add(r + sum(lower) >= 1)
            first.append(r)
        count = sum(first)
        m.add(count >= min(g.target, g.n))
        excess = m.new_int_var(0, g.n, "excess")
        m.add(excess == count - min(g.target, g.n))
        m.maximize(similarity - (SCALE * len(g.a) + 1) * excess)
    else:
        m.maximize(similarity)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_search_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fallback = solve_greedy(g)
        return dataclasses.replace(fallback, status="infeasible")
    chosen = [k for k in range(len(x)) if solver.value(x[k])]
    parent = list(range(g.n))
    for k in chosen:
        ru, rv = _find(parent, int(g.a[k])), _find(parent, int(g.b[k]))
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    label = np.asarray([_find(parent, i) for i in range(g.n)], np.int64)
    obj = _objective(g, label)
    if g.target is None:
        bound = solver.best_objective_bound / SCALE
    else:
        bound = obj if status == cp_model.OPTIMAL else float(g.s.sum())
    return Partition(
        label,
        obj,
        max(bound, obj),
        "exact",
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        time.perf_counter() - start,
    )
