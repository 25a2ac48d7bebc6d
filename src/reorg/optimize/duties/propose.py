"""``propose(apparatus, spec) -> (Plan, Explanation)``: one lead per task in each place.

Finds the cells (task, place) led several times or not at all (``cells``), builds each cell's
candidates and costs (``instance``), chooses a lead per cell (``solve``) and writes the choice as
``transfer`` operations, in an order ``apply`` accepts (it refuses an operation that introduces a gap or
a duplication, docs/invariants.md):

1. leads added by units that give up nothing on that task (a duplicate cell stays duplicated, a gap
   cell gets covered: nothing new is broken);
2. for each unit giving up lead duties on a task (units also chosen somewhere first): one transfer
   from the unit to itself that drops every lead it holds on the task and re-adds the one it keeps
   (else, first, a place it was chosen for that contains a lead it gives up, so that place stays
   duplicated instead of being momentarily led once), then its other new leads, then a support duty
   for each place it gave up.

A transfer drops all of a unit's lead duties on the task at once, so a unit that would keep two or
more of its current places while giving up another cannot be written this way; that only happens with
several explicit scopes on one task, and raises ReorgError naming the task and unit.
"""

from __future__ import annotations

import collections
import time

import numpy as np
import numpy.typing as npt

from reorg.errors import ReorgError
from reorg.model import LEAD, Apparatus
from reorg.optimize.duties.cells import Cells, find_cells
from reorg.optimize.duties.explain import CellReport, Explanation
from reorg.optimize.duties.instance import TERMS, Instance, build_instance
from reorg.optimize.duties.solve import Assignment, assign
from reorg.optimize.duties.spec import LeadsSpec
from reorg.plan.leads import lead_ranges
from reorg.plan.operations import Operation, Plan, Transfer
from reorg.progress import Progress, report

__all__ = ["propose"]

IntArray = npt.NDArray[np.int64]


def capacities(app: Apparatus, max_per_unit: int) -> IntArray:
    """Per unit, how many new lead duties it may take: ``max_per_unit`` minus the lead duties it holds
    in the baseline (never below 0). Keeping a lead it already holds in a cell needs no room."""
    held = np.bincount(app.duties.unit[app.duties.role == LEAD], minlength=len(app.units))
    room: IntArray = np.maximum(max_per_unit - held, 0).astype(np.int64)
    return room


def propose(
    apparatus: Apparatus, spec: LeadsSpec | None = None, *, progress: Progress | None = None
) -> tuple[Plan, Explanation]:
    """One lead per task in each place, at least cost under ``spec`` (see the module)."""
    spec = spec or LeadsSpec()
    start = time.perf_counter()
    report(progress, 0, 4, "cells")
    cells = find_cells(apparatus)
    report(progress, 1, 4, "candidates")
    inst = build_instance(apparatus, cells, spec.weights)
    report(progress, 2, 4, "assignment")
    cap = None if spec.max_per_unit is None else capacities(apparatus, spec.max_per_unit)
    free = inst.terms[:, TERMS.index("change")] == 0
    result = assign(inst.edge_cell, inst.edge_unit, inst.cost, len(cells), cap, free)
    report(progress, 3, 4, "transfers")
    chosen = inst.edge_unit[result.edge]
    operations, per_cell = _operations(apparatus, cells, chosen)
    report(progress, 4, 4, "transfers")
    plan = Plan(
        baseline=apparatus.info.name,
        operations=tuple(operations),
        name="leads",
        description=_describe(cells, spec),
        require=(),
    )
    reports = _reports(apparatus, cells, inst, result, per_cell)
    chosen_terms = inst.terms[result.edge]
    totals: dict[str, float] = {
        "cells": len(cells),
        "duplicates": int(cells.duplicate.sum()),
        "gaps": int((~cells.duplicate).sum()),
        "tasks": len(np.unique(cells.task)),
        "operations": len(operations),
        "cost": result.cost,
        **{name: float(chosen_terms[:, k].sum()) for k, name in enumerate(TERMS)},
    }
    bound = int(np.count_nonzero(result.edge != result.best))
    return plan, Explanation(tuple(reports), totals, spec.max_per_unit, bound, time.perf_counter() - start)


def _describe(cells: Cells, spec: LeadsSpec) -> str:
    cap = "" if spec.max_per_unit is None else f", at most {spec.max_per_unit} lead duties per unit"
    return (
        f"One lead per task in each place: {int(cells.duplicate.sum())} duplicated and "
        f"{int((~cells.duplicate).sum())} unled (task, place) cells{cap}"
    )


def _operations(app: Apparatus, cells: Cells, chosen: IntArray) -> tuple[list[Operation], list[list[int]]]:
    """The transfers carrying out ``chosen`` (a unit row per cell), and per cell the positions of the
    operations that serve it (see the module for the order)."""
    uid, tid = app.units.id, app.tasks.id
    adds: dict[tuple[int, int], list[tuple[int, int]]] = collections.defaultdict(list)  # (t, u): (cell, S)
    drops: dict[tuple[int, int], list[tuple[int, int]]] = collections.defaultdict(list)
    duty_unit = app.duties.unit
    for c in range(len(cells)):
        t, place, w = int(cells.task[c]), int(cells.place[c]), int(chosen[c])
        rows = range(int(cells.ptr[c]), int(cells.ptr[c + 1]))
        kept = next(
            (
                r
                for r in rows
                if duty_unit[cells.lead_duty[r]] == w
                and cells.lead_lo[r] == cells.lo[c]
                and cells.lead_hi[r] == cells.hi[c]
            ),
            -1,
        )
        if kept < 0:
            adds[(t, w)].append((c, place))
        for r in rows:
            if r != kept:
                drops[(t, int(duty_unit[cells.lead_duty[r]]))].append((c, int(cells.lead_scope[r])))
    held = _held_scopes(app, set(drops))
    ops: list[Operation] = []
    per_cell: list[list[int]] = [[] for _ in range(len(cells))]

    def emit(op: Operation, served: list[int]) -> None:
        for c in served:
            per_cell[c].append(len(ops))
        ops.append(op)

    for (t, w), placed in sorted(adds.items()):
        if (t, w) not in drops:
            for c, place in placed:
                emit(Transfer(task=str(tid[t]), to_unit=str(uid[w]), role="lead", scope=str(uid[place])), [c])
    # units also chosen somewhere go first, so the places others give up to them are led already
    for (t, x), dropped in sorted(drops.items(), key=lambda kv: ((kv[0][0], (kv[0] not in adds), kv[0][1]))):
        gone = {scope for _, scope in dropped}
        keep = [s for s in held[(t, x)] if s not in gone]
        if len(keep) > 1:
            raise ReorgError(
                f"{uid[x]} leads task {tid[t]} in {len(keep) + len(gone)} explicit scopes and would keep "
                f"{len(keep)} while giving up {len(gone)}: a transfer cannot express that; give it one "
                "scope per task, or fix it by hand"
            )
        served = [c for c, _ in dropped]
        # a place it gave up a lead inside stays duplicated only if its new lead comes in the same step
        new = sorted(adds.get((t, x), []), key=lambda cp: cp[0] not in served)
        final = [(-1, s) for s in keep] + new
        task, unit = str(tid[t]), str(uid[x])
        if final:
            first_cell, first_place = final[0]
            emit(
                Transfer(task=task, from_unit=unit, to_unit=unit, role="lead", scope=str(uid[first_place])),
                served + ([first_cell] if first_cell >= 0 and first_cell not in served else []),
            )
            for c, place in final[1:]:
                emit(Transfer(task=task, to_unit=unit, role="lead", scope=str(uid[place])), [c])
        else:
            emit(Transfer(task=task, from_unit=unit, role="lead"), served)
        for scope in sorted(gone):
            emit(
                Transfer(task=task, to_unit=unit, role="support", scope=str(uid[scope])),
                [c for c, s in dropped if s == scope],
            )
    return ops, per_cell


def _held_scopes(app: Apparatus, keys: set[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """For each (task, unit) in ``keys``, the resolved scopes of its lead duties on the task."""
    ranges = lead_ranges(app)
    out: dict[tuple[int, int], list[int]] = {k: [] for k in keys}
    if not keys:
        return out
    n = len(app.units)
    task = app.duties.task[ranges.duty].astype(np.int64)
    unit = app.duties.unit[ranges.duty].astype(np.int64)
    wanted = np.array(sorted(t * n + u for t, u in keys), dtype=np.int64)
    rows = np.flatnonzero(np.isin(task * n + unit, wanted))
    for r in rows.tolist():
        out[(int(task[r]), int(unit[r]))].append(int(ranges.scope[r]))
    return out


def _reports(
    app: Apparatus, cells: Cells, inst: Instance, result: Assignment, per_cell: list[list[int]]
) -> list[CellReport]:
    """One report per cell: leads before, the lead chosen, its terms, the runner-up, what binds."""
    uid, tid = app.units.id, app.tasks.id
    order = np.lexsort((inst.edge_unit, inst.cost, inst.edge_cell))
    starts = np.searchsorted(inst.edge_cell[order], np.arange(len(cells)))
    counts = np.bincount(inst.edge_cell, minlength=len(cells))
    duty_unit = app.duties.unit
    out = []
    for c in range(len(cells)):
        e, best = int(result.edge[c]), int(result.best[c])
        ranked = order[starts[c] : starts[c] + counts[c]]
        others = [int(x) for x in ranked if x != e]
        runner = others[0] if others else -1
        if e != best:
            binds = f"capacity of {uid[inst.edge_unit[best]]}"
        elif counts[c] == 1:
            binds = "only candidate"
        elif inst.terms[e, TERMS.index("change")] == 0:
            binds = "kept"
        else:
            binds = "cost"
        before = duty_unit[cells.lead_duty[cells.ptr[c] : cells.ptr[c + 1]]]
        out.append(
            CellReport(
                task=str(tid[cells.task[c]]),
                place=str(uid[cells.place[c]]),
                kind="duplicate" if cells.duplicate[c] else "gap",
                leads_before=tuple(dict.fromkeys(str(uid[u]) for u in before.tolist())),
                lead=str(uid[inst.edge_unit[e]]),
                cost=float(inst.cost[e]),
                terms={name: float(inst.terms[e, k]) for k, name in enumerate(TERMS)},
                candidates=int(counts[c]),
                runner_up=str(uid[inst.edge_unit[runner]]) if runner >= 0 else "",
                runner_up_cost=float(inst.cost[runner]) if runner >= 0 else None,
                binds=binds,
                operations=tuple(per_cell[c]),
            )
        )
    return out
