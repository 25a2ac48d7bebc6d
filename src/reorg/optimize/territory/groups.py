"""Solving one nesting group: its atoms as an Instance, its connected pieces, the feasibility check,
the share of the target each piece gets, and the heuristic or exact solve of each feasible piece.

A piece whose total is below a minimum becomes one region and is reported as infeasible: it is never
joined to another piece, because a region must be connected in the neighbour graph.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.territory.exact import solve_exact
from reorg.optimize.territory.explain import GroupReport
from reorg.optimize.territory.extract import SPEC, LevelData, group_features
from reorg.optimize.territory.instance import Instance
from reorg.optimize.territory.solve import allocate, share_target, solve
from reorg.optimize.territory.spec import EXACT_MAX_UNITS, TerritorySpec
from reorg.progress import Progress

__all__ = ["GroupResult", "allocate", "solve_group"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: CP-SAT time limit per connected piece when the spec sets none, seconds
EXACT_TIME_LIMIT_S = 30.0


@dataclasses.dataclass(frozen=True, eq=False)
class GroupResult:
    """A group's regions (lists of level positions), the weighted features of its units (rows in
    the order of ``positions``; ``terms`` names the columns of each objective term), its report."""

    positions: IntArray
    features: FloatArray
    terms: dict[str, slice]
    regions: list[list[int]]
    report: GroupReport
    timed_out: bool


def solve_group(
    app: Apparatus,
    data: LevelData,
    spec: TerritorySpec,
    g: int,
    target: int | None,
    progress: Progress | None = None,
) -> GroupResult:
    """Divide group g (see the module docstring); ``progress`` follows the stages of each solve."""
    positions = np.flatnonzero(data.group == g).astype(np.int64)
    features, terms = group_features(app, data.rows[positions], spec)
    atom_ids, local = np.unique(data.atom[positions], return_inverse=True)
    inst = _instance(data, spec, positions, local, atom_ids, features)
    count, comp = inst.graph.components()
    pieces = [np.flatnonzero(comp == c) for c in range(count)]
    feasible = [bool(np.all(inst.values[p].sum(axis=0) >= inst.lower - 1e-9)) for p in pieces]
    notes = [
        f"{int(flags[positions].sum())} unit(s) lack {name}: counted as 0"
        for name, flags in data.missing.items()
        if flags[positions].any()
    ]
    shares: list[int | None] = [None] * count
    if target is not None:
        shares = list(share_target(target, [inst.subset(p) for p in pieces], feasible))
        if count > target:
            notes.append(f"target {target} is below the {count} connected pieces")
    members = [positions[local == a].tolist() for a in range(len(atom_ids))]
    regions: list[list[int]] = []
    infeasible: list[list[int]] = []
    bound, short, late = 0, 0, False
    for piece, ok, share in zip(pieces, feasible, shares, strict=True):
        if not ok:
            units = sorted(p for a in piece.tolist() for p in members[a])
            infeasible.append(units)
            regions.append(units)
            bound += 1
            continue
        labels, piece_bound, piece_late, note = _solve_piece(inst.subset(piece), spec, share, progress)
        bound += piece_bound
        late = late or piece_late
        notes.extend([note] if note else [])
        for r in range(int(labels.max()) + 1):
            atoms = piece[labels == r]
            totals = inst.values[atoms].sum(axis=0)
            short += bool(np.any(totals < inst.lower - 1e-9) or np.any(totals > inst.upper + 1e-9))
            regions.append(sorted(p for a in atoms.tolist() for p in members[a]))
    if target is not None and target > bound:
        notes.append(f"target {target} exceeds the {bound} regions that can meet the minimums")
    if late:
        notes.append("stopped by the time limit: not reproducible")
    report = GroupReport(
        group=data.group_ids[g],
        units=len(positions),
        components=count,
        regions=len(regions),
        target=target,
        upper_bound=bound,
        infeasible=tuple(tuple(data.ids[p] for p in units) for units in infeasible),
        short=short,
        notes=tuple(notes),
    )
    return GroupResult(positions, features, terms, regions, report, late)


def _solve_piece(
    inst: Instance, spec: TerritorySpec, target: int | None, progress: Progress | None
) -> tuple[IntArray, int, bool, str]:
    """(labels, upper bound, timed out, note) for one feasible connected piece. The exact method
    starts CP-SAT from the heuristic's division and keeps whichever is better."""
    if spec.method == "exact" and inst.size.sum() > EXACT_MAX_UNITS:
        raise InputError(
            SPEC,
            f'connected pieces of at most {EXACT_MAX_UNITS} units for method "exact"',
            column="method",
            value=f"{int(inst.size.sum())} units",
        )
    sol = solve(inst, target=target, seed=spec.seed, effort=spec.effort, progress=progress)
    if spec.method != "exact":
        return sol.labels, sol.upper_bound, sol.timed_out, ""
    limit = spec.effort.time_limit_s or EXACT_TIME_LIMIT_S
    exact = solve_exact(inst, target=target, time_limit_s=limit, seed=spec.seed, hint=sol.labels)
    if exact.score is None:
        note = "exact: no division meets the constraints with that many regions; heuristic kept"
        return sol.labels, sol.upper_bound, sol.timed_out, note
    if (-exact.score.regions, exact.score.total) > (-sol.p, sol.score.total):
        return (
            sol.labels,
            sol.upper_bound,
            sol.timed_out,
            "exact: time limit reached; the heuristic did better",
        )
    note = "" if exact.status == "optimal" else "exact: time limit reached before optimality was proven"
    return exact.labels, inst.upper_bound(), False, note


def _instance(
    data: LevelData,
    spec: TerritorySpec,
    positions: IntArray,
    local: IntArray,
    atom_ids: IntArray,
    features: FloatArray,
) -> Instance:
    """The group's atoms: values, features, squared norms, unit counts and balance summed per atom."""
    n = len(atom_ids)

    def sums(x: FloatArray) -> FloatArray:
        out = np.zeros((n, x.shape[1]))
        np.add.at(out, local, x)
        return out

    names = spec.constrained
    where = {int(a): k for k, a in enumerate(atom_ids.tolist())}
    apart = tuple((where[a], where[b]) for a, b in data.apart if a in where and b in where)
    return Instance(
        graph=data.atom_graph.induced(atom_ids),
        values=sums(data.values[positions]),
        lower=np.asarray([spec.lower_bounds.get(k, 0.0) for k in names], dtype=np.float64),
        upper=np.asarray([spec.maximums.get(k, np.inf) for k in names], dtype=np.float64),
        features=sums(features),
        sumsq=sums((features**2).sum(axis=1)[:, None])[:, 0],
        size=np.bincount(local, minlength=n).astype(np.float64),
        balance=sums(data.balance[positions][:, None])[:, 0],
        balance_weight=spec.weights.balance,
        apart=apart,
    )
