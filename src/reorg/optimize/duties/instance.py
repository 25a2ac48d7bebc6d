"""The assignment instance as plain arrays: for each cell, its candidate units and their cost terms.

Candidates for the cell (task ``t``, place ``S``), a unit leading only inside its own jurisdiction:

- every unit holding a duty on ``t`` (lead or support) whose jurisdiction is ``S`` or a territorial
  unit above it (the current leads of a duplicate cell among them, when they can lead all of ``S``);
- the units whose jurisdiction is ``S`` at the level that leads ``t``'s field at ``S``'s tier
  (``peer level``: the level holding most lead duties of the field's tasks for places of ``S``'s level,
  else anywhere; for a task without a field, the level most of ``t``'s own leads are at);
- the units whose jurisdiction is ``S`` that hold any duty on a task of ``t``'s field;
- ``S`` itself, so every cell has a candidate.

Cost terms, each computed on the baseline (so a cell's cost never depends on another cell's choice):

- ``portfolio`` in [0, 1]: 1 - the larger of the shares of the unit's duties that are on tasks of
  ``t``'s field, and on tasks with ``t``'s parent task (siblings);
- ``level`` in [0, 1]: 0 at the peer level, else (1 + |rank difference|) / (1 + deepest rank);
- ``load`` in [0, 1): x / (x + m), x the unit's lead duties per person (tasks led per person,
  headcount at least 1) and m the median of x over units that lead something and have staff: 0.5 at
  the typical load, towards 1 for an overloaded unit; 0 everywhere when there is no staff data;
- ``change`` in {0, 1}: 0 when the unit already leads ``t`` for exactly ``S``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus
from reorg.optimize.duties.cells import Cells
from reorg.optimize.duties.spec import LeadWeights
from reorg.plan.leads import leaf_ranges

__all__ = ["TERMS", "Instance", "build_instance"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: the cost terms, in the column order of ``Instance.terms``
TERMS = ("portfolio", "level", "load", "change")


@dataclasses.dataclass(frozen=True)
class Instance:
    """Edges (cell, candidate unit), sorted by cell then unit; ``terms[:, k]`` is term ``TERMS[k]`` and
    ``cost`` the weighted sum; ``peer_level`` per cell (-1: none known)."""

    n_cells: int
    n_units: int
    edge_cell: IntArray
    edge_unit: IntArray
    terms: FloatArray
    cost: FloatArray
    peer_level: IntArray


def _lookup(sorted_keys: IntArray, values: FloatArray, queries: IntArray) -> FloatArray:
    """``values`` at ``queries`` in ``sorted_keys`` (0 where absent)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(queries))
    at = np.minimum(np.searchsorted(sorted_keys, queries), len(sorted_keys) - 1)
    return np.where(sorted_keys[at] == queries, values[at], 0.0)


def _slices(sorted_keys: IntArray, queries: IntArray) -> tuple[IntArray, IntArray]:
    """For each query, the (query index, position) pairs of the equal keys in ``sorted_keys``."""
    a = np.searchsorted(sorted_keys, queries, side="left")
    b = np.searchsorted(sorted_keys, queries, side="right")
    sizes = (b - a).astype(np.int64)
    which = np.repeat(np.arange(len(queries), dtype=np.int64), sizes)
    offsets = np.repeat(a - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)
    return which, offsets.astype(np.int64)


def _modal(groups: IntArray, values: IntArray) -> tuple[IntArray, IntArray]:
    """Per distinct group (sorted), the most frequent of ``values`` (ties: the smallest)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = np.int64(int(values.max()) + 1)
    pairs, counts = np.unique(groups * width + values, return_counts=True)
    g, v = pairs // width, pairs % width
    order = np.lexsort((v, -counts, g))
    g, v = g[order], v[order]
    first = np.ones(len(g), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    return g[first], v[first]


def peer_levels(app: Apparatus, cells: Cells) -> IntArray:
    """Per cell, the level leading the task's field at the place's tier (see the module), or -1."""
    duties = app.duties
    lead = np.flatnonzero(duties.role == LEAD)
    unit_level = app.units.level.astype(np.int64)
    _, field = np.unique(app.tasks.field.astype(str), return_inverse=True)
    field = field.astype(np.int64)
    has_field = app.tasks.field.astype(str) != ""
    n_levels = len(app.levels)
    d_task = duties.task[lead].astype(np.int64)
    d_level = unit_level[duties.unit[lead]]
    d_tier = unit_level[app.duty_scope[lead]]
    keyed = has_field[d_task]
    tier_g, tier_v = _modal(field[d_task[keyed]] * n_levels + d_tier[keyed], d_level[keyed])
    all_g, all_v = _modal(field[d_task[keyed]], d_level[keyed])
    own_g, own_v = _modal(d_task, d_level)
    out = np.full(len(cells), -1, dtype=np.int64)
    f = field[cells.task]
    for groups, values, query, usable in (
        (own_g, own_v, cells.task, ~has_field[cells.task]),
        (all_g, all_v, f, has_field[cells.task]),
        (tier_g, tier_v, f * n_levels + unit_level[cells.place], has_field[cells.task]),
    ):
        if len(groups) == 0:
            continue
        at = np.minimum(np.searchsorted(groups, query), len(groups) - 1)
        hit = usable & (groups[at] == query)
        out[hit] = values[at[hit]]
    return out


def build_instance(app: Apparatus, cells: Cells, weights: LeadWeights) -> Instance:
    """Candidates and cost terms of every cell (see the module)."""
    n_units = len(app.units)
    n_levels = len(app.levels)
    duties = app.duties
    d_unit, d_task = duties.unit.astype(np.int64), duties.task.astype(np.int64)
    jur = app.jurisdiction.astype(np.int64)
    unit_level = app.units.level.astype(np.int64)
    peer = peer_levels(app, cells)
    n = len(cells)

    # the territorial chain of each place: itself, then each territorial unit above
    parent = app.units.parent.astype(np.int64)
    up = np.where(parent >= 0, jur[np.maximum(parent, 0)], -1)
    chain_cell, chain_unit = [np.arange(n, dtype=np.int64)], [cells.place]
    at = cells.place
    while True:
        step = up[at]
        going = np.flatnonzero(step >= 0)
        if len(going) == 0:
            break
        chain_cell.append(chain_cell[-1][going])
        chain_unit.append(step[going])
        at = step[going]
    c_cell, c_place = np.concatenate(chain_cell), np.concatenate(chain_unit)

    # holders of a duty on the task whose jurisdiction lies on the chain (units off the tree have none)
    placed = jur[d_unit] >= 0
    d_unit, d_task = d_unit[placed], d_task[placed]
    holder_keys = d_task * n_units + jur[d_unit]
    order = np.argsort(holder_keys, kind="stable")
    which, pos = _slices(holder_keys[order], cells.task[c_cell] * n_units + c_place)
    e_cell = [c_cell[which]]
    e_unit = [d_unit[order[pos]]]
    # units of the place at the peer level
    level_keys = jur * n_levels + unit_level
    order = np.argsort(level_keys, kind="stable")
    known = np.flatnonzero(peer >= 0)
    which, pos = _slices(level_keys[order], cells.place[known] * n_levels + peer[known])
    e_cell += [known[which], np.arange(n, dtype=np.int64)]
    e_unit += [order[pos].astype(np.int64), cells.place]
    # units of the place already working in the task's field
    fields = app.tasks.field.astype(str)
    _, field = np.unique(fields, return_inverse=True)
    field = field.astype(np.int64)
    n_fields = np.int64(int(field.max(initial=0)) + 1)
    in_field = fields[d_task] != ""
    workers = np.unique((jur[d_unit] * n_fields + field[d_task])[in_field] * n_units + d_unit[in_field])
    with_field = np.flatnonzero(fields[cells.task] != "")
    which, pos = _slices(
        workers // n_units, cells.place[with_field] * n_fields + field[cells.task[with_field]]
    )
    e_cell.append(with_field[which])
    e_unit.append(workers[pos] % n_units)
    pairs = np.unique(np.concatenate(e_cell) * n_units + np.concatenate(e_unit))
    edge_cell, edge_unit = pairs // n_units, pairs % n_units

    terms = np.zeros((len(pairs), len(TERMS)))
    terms[:, 0] = 1.0 - _affinity(app, edge_unit, cells.task[edge_cell])
    rank = app.levels.rank.astype(np.int64)
    deepest = int(rank.max()) if len(rank) else 0
    target = peer[edge_cell]
    gap = np.abs(rank[unit_level[edge_unit]] - rank[np.maximum(target, 0)])
    terms[:, 1] = np.where((target < 0) | (unit_level[edge_unit] == target), 0.0, (1 + gap) / (1 + deepest))
    terms[:, 2] = _load(app)[edge_unit]
    terms[:, 3] = 1.0 - _leads_exactly(
        app, edge_unit, cells.task[edge_cell], cells.lo[edge_cell], cells.hi[edge_cell]
    )
    w = np.array([weights.portfolio, weights.level, weights.load, weights.change])
    return Instance(n, n_units, edge_cell, edge_unit, terms, terms @ w, peer)


def _load(app: Apparatus) -> FloatArray:
    """Per unit, x / (x + m): x its lead duties per person (headcount at least 1), m the median of x
    over the units that lead something and have staff (0 everywhere without staff data)."""
    n_units = len(app.units)
    leads = np.bincount(app.duties.unit[app.duties.role == LEAD], minlength=n_units)
    per_person = leads / np.maximum(app.headcount, 1)
    typical = per_person[(leads > 0) & (app.headcount > 0)]
    m = float(np.median(typical)) if len(typical) else 0.0
    if m <= 0:
        return np.zeros(n_units)
    out: FloatArray = per_person / (per_person + m)
    return out


def _affinity(app: Apparatus, unit: IntArray, task: IntArray) -> FloatArray:
    """The larger of the shares of ``unit``'s duties on tasks of ``task``'s field and on its siblings."""
    n_units = len(app.units)
    d_unit, d_task = app.duties.unit.astype(np.int64), app.duties.task.astype(np.int64)
    total = np.bincount(d_unit, minlength=n_units).astype(np.float64)
    fields = app.tasks.field.astype(str)
    _, field = np.unique(fields, return_inverse=True)
    field = field.astype(np.int64)
    has_field = fields != ""
    parent = app.tasks.parent.astype(np.int64)
    out = np.zeros(len(unit))
    for group, usable in ((field, has_field), (parent, parent >= 0)):
        width = np.int64(int(group.max(initial=0)) + 1)
        ok = usable[d_task]
        keys, counts = np.unique(d_unit[ok] * width + group[d_task[ok]], return_counts=True)
        share = _lookup(keys, counts.astype(np.float64), unit * width + np.maximum(group[task], 0))
        out = np.maximum(out, np.where(usable[task], share / np.maximum(total[unit], 1.0), 0.0))
    return out


def _leads_exactly(app: Apparatus, unit: IntArray, task: IntArray, lo: IntArray, hi: IntArray) -> FloatArray:
    """1.0 where ``unit`` holds a lead duty on ``task`` whose scope covers exactly leaves ``[lo, hi)``."""
    lead = np.flatnonzero(app.duties.role == LEAD)
    unit_lo, unit_hi = leaf_ranges(app)
    scope = app.jurisdiction[app.duty_scope[lead]].astype(np.int64)
    width = np.int64(len(app.territory_leaves) + 1)
    n_units = np.int64(len(app.units))
    first = app.duties.task[lead].astype(np.int64) * n_units + app.duties.unit[lead]
    second = unit_lo[scope].astype(np.int64) * width + unit_hi[scope]
    order = np.lexsort((second, first))
    which, pos = _slices(first[order], task * n_units + unit)
    hit = second[order[pos]] == lo[which] * width + hi[which]
    return (np.bincount(which[hit], minlength=len(unit)) > 0).astype(np.float64)
