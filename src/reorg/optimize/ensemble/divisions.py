"""Between divisions (a region per atom) and plans: the start state read from a plan, and a sampled
division written as a plan, so that ``apply``/``validate`` and ``reorg.plan.invariants.check`` judge it
exactly as they judge any plan."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.ensemble.problem import Problem
from reorg.optimize.territory.extract import LevelData, column
from reorg.plan import Plan, apply
from reorg.plan.follow import territorial_merge
from reorg.plan.lineage import successors
from reorg.plan.operations import NewUnit, Operation

__all__ = ["labels_after", "labels_of_plan", "plan_of_labels", "start_labels"]

IntArray = npt.NDArray[np.int64]


def labels_of_plan(app: Apparatus, data: LevelData, plan: Plan) -> IntArray:
    """Region per unit of the level: the unit of ``apply(app, plan)`` that holds it (regions numbered
    in order of first unit). A unit the plan dissolves is refused."""
    return labels_after(apply(app, plan), data, f"plan {plan.name or '(unnamed)'}")


def labels_after(after: Apparatus, data: LevelData, what: str) -> IntArray:
    """Region per unit of the level: the unit of ``after`` (a plan applied to the baseline of
    ``data``) that holds it, regions numbered in order of first unit; a unit without one is refused."""
    held = successors(after, data.ids)
    lost = [uid for uid in data.ids if uid not in held]
    if lost:
        raise InputError(what, "a successor for every unit of the level", value=lost[0])
    _, first, codes = np.unique(
        np.asarray([held[u] for u in data.ids]), return_index=True, return_inverse=True
    )
    rank = np.argsort(np.argsort(first))
    return rank[codes].astype(np.int64)


def start_labels(problem: Problem, data: LevelData, unit_labels: npt.ArrayLike, what: str) -> IntArray:
    """Region per atom from a region per unit; refused (naming ``what``) when locked units are split
    or the division breaks a rule of the problem (``Problem.problems``)."""
    lab = np.asarray(unit_labels, dtype=np.int64)
    atoms = np.zeros(problem.n, dtype=np.int64)
    atoms[data.atom] = lab
    if np.any(atoms[data.atom] != lab):
        raise InputError(what, "locked units in one region")
    faults = problem.problems(atoms)
    if faults:
        raise InputError(what, "a valid division to start from: " + "; ".join(faults))
    return atoms


def plan_of_labels(
    app: Apparatus,
    data: LevelData,
    atom_labels: npt.ArrayLike,
    *,
    before: tuple[Operation, ...] = (),
    name: str = "ensemble-draw",
    require: tuple[str, ...] = ("contiguity",),
) -> Plan:
    """The plan that merges the units of each region of two or more into its most populous member
    (whose id and name the region keeps, as ``propose territory`` does), their agencies that lead a
    common task with them (``reorg.plan.follow.territorial_merge``), after ``before`` (e.g. the other
    operations of a plan the regions nest in)."""
    lab = np.asarray(atom_labels, dtype=np.int64)[data.atom]
    pop = np.nan_to_num(column(app, "population", data.rows), nan=-1.0)
    ops: list[Operation] = []
    order = np.argsort(lab, kind="stable")
    bounds = np.flatnonzero(np.r_[True, lab[order][1:] != lab[order][:-1], True])
    for s, e in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        members = order[s:e]
        if len(members) < 2:
            continue
        head = int(members[int(np.argmax(pop[members]))])
        units = tuple(data.ids[m] for m in members)
        ops.extend(territorial_merge(app, units, NewUnit(id=data.ids[head], name=data.names[head])))
    return Plan(baseline=app.info.name, operations=(*before, *ops), name=name, require=require)
