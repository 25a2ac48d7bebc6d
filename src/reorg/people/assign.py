"""The exact solver behind placement: people into position slots, per unit, by min-cost flow.

Within one unit, ``n`` candidates and ``k`` position types with quotas ``q``: the fit of candidate i in
type t is ``merit[i] + bonus`` if t is the candidate's current type, else ``merit[i]`` (integers, in
hundredths of a point). The flow network is candidates -> types (capacity 1, cost ``C - fit``,
``C`` = the largest fit + 1 so every cost is positive) -> sink (capacity ``q[t]``); each candidate
supplies one unit. OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` sends the most flow
(places ``min(n, Σ q)`` people: nobody is left out while a slot is free) and, among the maximum flows,
the cheapest: with a flow of fixed size f the cost is ``f·C − Σ fit``, so it maximizes the total fit.
This is exactly the rectangular assignment problem of the candidates against the slots expanded one per
quota unit (what ``scipy.optimize.linear_sum_assignment`` solves, tests/people/test_placement.py), in
``O(n·k)`` arcs instead of ``n·Σq`` matrix cells. Min-cost flow solutions are integral, so each
candidate takes one type or none.

Units are independent (a candidate is placed only in their own new unit), so the whole placement is one
flow per unit and per pass, solved one after another.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

__all__ = ["assign"]

IntArray = npt.NDArray[np.int64]


def assign(merit: IntArray, current: IntArray, types: IntArray, quota: IntArray, bonus: int) -> IntArray:
    """For each candidate, the index into ``types`` (slots of the unit, with ``quota``) they are placed
    in, -1 for none, maximizing first the number placed, then the total fit. ``current`` holds each
    candidate's present type code (compared with ``types``), ``bonus`` the points for keeping it."""
    n, k = len(merit), len(types)
    out = np.full(n, -1, dtype=np.int64)
    open_ = np.flatnonzero(quota > 0)
    if n == 0 or len(open_) == 0:
        return out
    types, quota = types[open_], quota[open_]
    k = len(types)
    fit = merit[:, None] + bonus * (current[:, None] == types[None, :])  # n x k
    ceiling = int(fit.max()) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n + k
    tails = np.concatenate([np.repeat(np.arange(n, dtype=np.int64), k), n + np.arange(k, dtype=np.int64)])
    heads = np.concatenate([n + np.tile(np.arange(k, dtype=np.int64), n), np.full(k, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(n * k, dtype=np.int64), np.minimum(quota, n).astype(np.int64)])
    costs = np.concatenate([(ceiling - fit).ravel().astype(np.int64), np.zeros(k, dtype=np.int64)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(k, dtype=np.int64), [-n]])
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - the network always has a feasible flow
        raise RuntimeError(f"placement flow not solved (status {status})")
    used = np.flatnonzero(flow.flows(arcs[: n * k]) > 0)
    out[used // k] = open_[used % k]
    return out
