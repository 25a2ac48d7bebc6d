"""Choose one candidate per cell at least total cost, optionally with a capacity per unit.

Without capacities the cost is a sum of per-cell terms computed on the baseline and each cell only
has to pick one of its own candidates, so the problem separates: the cheapest candidate of each cell
is an optimum (``argmin``, vectorized). With capacities the cells are coupled only through the units'
budgets for *new* leads (an edge marked ``free``, a lead the unit already holds there, uses no
budget): a transportation problem (cells -> candidate units -> sink, unit arcs capped; free edges go
straight to the sink), solved exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``; the
constraint matrix of a flow is totally unimodular, so the integral optimum is the optimum). Costs go to
the flow as integers in millionths.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from reorg.errors import ReorgError

__all__ = ["SCALE", "Assignment", "InfeasibleError", "assign", "assign_flow"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: integer flow costs are costs times this
SCALE = 1_000_000


class InfeasibleError(ReorgError):
    """Some cells cannot get a lead within the capacities (the message says how many)."""


@dataclasses.dataclass(frozen=True)
class Assignment:
    """``edge[c]``: the chosen edge of cell ``c``; ``best[c]``: its cheapest edge ignoring capacities;
    ``cost``: total cost of the choice."""

    edge: IntArray
    best: IntArray
    cost: float


def _cheapest(edge_cell: IntArray, edge_unit: IntArray, cost: FloatArray, n_cells: int) -> IntArray:
    """Per cell, its cheapest edge (ties: the lowest unit row); edges must cover every cell."""
    order = np.lexsort((edge_unit, cost, edge_cell))
    first = np.ones(len(order), dtype=bool)
    first[1:] = edge_cell[order][1:] != edge_cell[order][:-1]
    best = order[first].astype(np.int64)
    if len(best) != n_cells:
        raise ValueError("every cell needs at least one candidate")
    return best


def assign(
    edge_cell: IntArray,
    edge_unit: IntArray,
    cost: FloatArray,
    n_cells: int,
    capacity: IntArray | None = None,
    free: npt.NDArray[np.bool_] | None = None,
) -> Assignment:
    """One edge per cell at least total ``cost``; with ``capacity`` (per unit row), at most that many
    cells per unit through edges not marked ``free``. Raises InfeasibleError when the capacities cannot
    hold every cell."""
    best = _cheapest(edge_cell, edge_unit, cost, n_cells)
    if capacity is None:
        return Assignment(best, best, float(cost[best].sum()))
    free = np.zeros(len(edge_cell), dtype=bool) if free is None else free
    charged = best[~free[best]]
    if np.all(np.bincount(edge_unit[charged], minlength=len(capacity)) <= capacity):
        return Assignment(best, best, float(cost[best].sum()))
    edge = assign_flow(edge_cell, edge_unit, cost, n_cells, capacity, free)
    return Assignment(edge, best, float(cost[edge].sum()))


def assign_flow(
    edge_cell: IntArray,
    edge_unit: IntArray,
    cost: FloatArray,
    n_cells: int,
    capacity: IntArray,
    free: npt.NDArray[np.bool_] | None = None,
) -> IntArray:
    """The min-cost flow model: one unit of flow from each cell, through one of its edges, to its unit,
    to the sink (at most ``capacity[u]`` through unit ``u``; a ``free`` edge goes straight to the sink).
    Returns the chosen edge per cell."""
    free = np.zeros(len(edge_cell), dtype=bool) if free is None else free
    units, unit_node = np.unique(edge_unit, return_inverse=True)
    n_edges = len(edge_cell)
    sink = n_cells + len(units)
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([edge_cell, n_cells + np.arange(len(units))])
    heads = np.concatenate([np.where(free, sink, n_cells + unit_node), np.full(len(units), sink)])
    caps = np.concatenate([np.ones(n_edges, dtype=np.int64), np.minimum(capacity[units], n_cells)])
    costs = np.concatenate([np.rint(cost * SCALE).astype(np.int64), np.zeros(len(units), dtype=np.int64)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate(
        [np.ones(n_cells, dtype=np.int64), np.zeros(len(units), dtype=np.int64), [-n_cells]]
    )
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        room = int(np.minimum(capacity[units], n_cells).sum())
        kept = len(np.unique(edge_cell[free]))
        raise InfeasibleError(
            f"{n_cells - kept} (task, place) cells need a new lead but their candidate units have room "
            f"for at most {room} more within the capacity (or some cell has no candidate with room): "
            "raise max_per_unit"
        )
    used = flow.flows(arcs[:n_edges]) > 0
    edge = np.zeros(n_cells, dtype=np.int64)
    edge[edge_cell[used]] = np.flatnonzero(used)
    return edge
