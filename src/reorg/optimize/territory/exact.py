"""Exact division of a small instance with OR-Tools CP-SAT, to measure the heuristic's gap.

Model (regions k = 0..K-1, K = the target or the upper bound on p):

- x[i,k] atom i in region k, y[k] region k used; each atom in exactly one region; x[i,k] <= y[k].
- Symmetry: region k's root is its smallest atom, roots increase with k, so x[i,k] = 0 for k > i.
- Contiguity (single-commodity flow, Shirabe 2005): on every arc i->j a flow of at most (n-1), only
  between atoms of the same region; the root supplies, every other member consumes one unit.
- Minimums and maximums of every constrained attribute per used region; kept-apart pairs.
- Objective, lexicographic: first the most regions (max-p, skipped when the target fixes K), then the
  least SSD of the weighted features, written exactly as sum(Q) - sum_d S_d² / count with integer
  feature values (scaled), products and integer division, plus the balance term sum B² when weighted.

Deterministic: one search worker and a fixed seed. Meant for up to about 60 atoms.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from reorg.optimize.territory.instance import Instance, Score, score

__all__ = ["ExactSolution", "solve_exact"]

#: integer resolution of the scaled feature values (largest |value| maps to this)
FEATURE_SCALE = 10_000
#: integer resolution of the constrained totals (largest atom value maps to this)
VALUE_SCALE = 1_000_000
#: multiplier of the SSD term so that the balance weight can be a rounded integer beside it
RESOLUTION = 1_000


@dataclasses.dataclass(frozen=True)
class ExactSolution:
    """The CP-SAT result: ``status`` is "optimal" (both stages proven), "feasible" (a time limit cut a
    stage short), or "infeasible" (no division meets the constraints; ``labels`` is then empty).
    ``bound`` is a proven lower bound on SSD + balance for that many regions."""

    labels: npt.NDArray[np.int64]
    score: Score | None
    status: str
    bound: float
    seconds: float


def solve_exact(
    inst: Instance,
    *,
    target: int | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
    hint: npt.ArrayLike | None = None,
) -> ExactSolution:
    """The optimum of ``inst`` (max-p, or exactly ``target`` regions); see the module docstring."""
    if inst.n > 200:
        raise ValueError("the exact model is for small instances (at most ~60 atoms)")
    regions = target if target is not None else inst.upper_bound()
    regions = min(regions, inst.n)
    seconds = 0.0
    p = regions
    proven_p = True
    if target is None:
        model = _Model(inst, regions)
        if hint is not None:
            model.hint(np.asarray(hint))
        model.model.maximize(sum(model.y))
        status, solver = model.run(time_limit_s / 2, seed)
        seconds += solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ExactSolution(np.zeros(0, dtype=np.int64), None, "infeasible", math.inf, seconds)
        p = round(solver.objective_value)
        proven_p = status == cp_model.OPTIMAL
    model = _Model(inst, p)
    model.model.add(sum(model.y) == p)
    if hint is not None:
        model.hint(np.asarray(hint))
    objective, scale, constant = model.objective(p)
    model.model.minimize(objective)
    status, solver = model.run(max(time_limit_s - seconds, 0.1), seed)
    seconds += solver.wall_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactSolution(np.zeros(0, dtype=np.int64), None, "infeasible", math.inf, seconds)
    labels = model.labels(solver)
    bound = solver.best_objective_bound / scale + constant
    done = status == cp_model.OPTIMAL and proven_p
    return ExactSolution(labels, score(inst, labels), "optimal" if done else "feasible", bound, seconds)


class _Model:
    """The CP-SAT model of module docstring for K regions."""

    def __init__(self, inst: Instance, regions: int) -> None:
        self.inst = inst
        self.slots = regions
        n = inst.n
        m = cp_model.CpModel()
        self.model = m
        self.x = {(i, k): m.new_bool_var(f"x{i}_{k}") for i in range(n) for k in range(min(i + 1, regions))}
        self.y = [m.new_bool_var(f"y{k}") for k in range(regions)]
        for i in range(n):
            m.add_exactly_one(self.x[i, k] for k in range(min(i + 1, regions)))
        for (_, k), var in self.x.items():
            m.add_implication(var, self.y[k])
        for k in range(regions - 1):
            m.add_implication(self.y[k + 1], self.y[k])
        self._contiguity()
        self._bounds()
        for a, b in inst.apart:
            for k in range(regions):
                if (a, k) in self.x and (b, k) in self.x:
                    m.add_bool_or([self.x[a, k].negated(), self.x[b, k].negated()])

    def members(self, k: int) -> list[tuple[int, cp_model.IntVar]]:
        return [(i, self.x[i, k]) for i in range(k, self.inst.n) if (i, k) in self.x]

    def _contiguity(self) -> None:
        m, g, n = self.model, self.inst.graph, self.inst.n
        src = np.repeat(np.arange(n), np.diff(g.indptr)).tolist()
        dst = g.indices.tolist()
        first: list[cp_model.IntVar] = []  # index of each region's root
        for k in range(self.slots):
            root = {i: m.new_bool_var(f"r{i}_{k}") for i, _ in self.members(k)}
            m.add(sum(root.values()) == self.y[k])
            first.append(m.new_int_var(0, n, f"o{k}"))
            m.add(first[k] == sum(i * r for i, r in root.items()))
            for i, xi in self.members(k):
                m.add_implication(root[i], xi)
                for j, xj in self.members(k):
                    if j >= i:
                        break
                    m.add_implication(root[i], xj.negated())
            flow_in: dict[int, list[cp_model.IntVar]] = {i: [] for i, _ in self.members(k)}
            flow_out: dict[int, list[cp_model.IntVar]] = {i: [] for i, _ in self.members(k)}
            for i, j in zip(src, dst, strict=True):
                if (i, k) not in self.x or (j, k) not in self.x:
                    continue
                f = m.new_int_var(0, n - 1, f"f{i}_{j}_{k}")
                m.add(f <= (n - 1) * self.x[i, k])
                m.add(f <= (n - 1) * self.x[j, k])
                flow_out[i].append(f)
                flow_in[j].append(f)
            for i, xi in self.members(k):
                supply = m.new_int_var(0, n, f"g{i}_{k}")
                m.add(supply <= n * root[i])
                m.add(sum(flow_in[i]) - sum(flow_out[i]) == xi - supply)
        for k in range(self.slots - 1):
            m.add(first[k] < first[k + 1]).only_enforce_if(self.y[k + 1])

    def _bounds(self) -> None:
        """Minimums and maximums on integer totals: exact for integer values (people); otherwise
        values are scaled to VALUE_SCALE and the bounds loosened by the worst rounding (n/2 units)."""
        inst, m = self.inst, self.model
        for c in range(inst.values.shape[1]):
            col = inst.values[:, c]
            integral = bool(np.all(col == np.round(col))) and float(np.abs(col).sum()) < 2**52
            scale = 1.0 if integral else VALUE_SCALE / max(float(np.abs(col).max()), 1e-12)
            slack = 0.0 if integral else inst.n / 2
            ints = np.round(col * scale).astype(np.int64).tolist()
            lo, hi = float(inst.lower[c]), float(inst.upper[c])
            for k in range(self.slots):
                total = sum(ints[i] * x for i, x in self.members(k))
                if lo > 0:
                    m.add(total >= math.ceil(lo * scale - slack - 1e-9) * self.y[k])
                if math.isfinite(hi):
                    m.add(total <= math.floor(hi * scale + slack + 1e-9))

    def objective(self, p: int) -> tuple[cp_model.LinearExprT, float, float]:
        """(integer objective, scale, constant): the real SSD + balance is value / scale + constant,
        for divisions into exactly p regions. SSD_k = Q_k - |S_k|² / n_k with integer feature
        values: products for the squares and an integer division (floor: error < 1 unit)."""
        inst, m = self.inst, self.model
        feats = inst.features
        top = float(np.abs(feats).max()) if feats.size else 0.0
        s = FEATURE_SCALE / top if top > 0 else 1.0
        fint = np.round(feats * s).astype(np.int64)
        qint = np.round(inst.sumsq * s * s).astype(np.int64).tolist()
        size = np.round(inst.size).astype(np.int64).tolist()
        ssd_terms: list[cp_model.LinearExprT] = []
        for k in range(self.slots):
            mem = self.members(k)
            count = m.new_int_var(1, max(int(sum(size)), 1), f"n{k}")
            m.add(count == sum(size[i] * x for i, x in mem) + (1 - self.y[k]))
            squares, reach_sq = [], 0
            for d in range(fint.shape[1]):
                col = fint[:, d].tolist()
                reach = int(sum(abs(col[i]) for i, _ in mem)) or 1
                total = m.new_int_var(-reach, reach, f"s{k}_{d}")
                m.add(total == sum(col[i] * x for i, x in mem))
                sq = m.new_int_var(0, reach * reach, f"q{k}_{d}")
                m.add_multiplication_equality(sq, [total, total])
                squares.append(sq)
                reach_sq += reach * reach
            if squares:
                centre = m.new_int_var(0, reach_sq, f"c{k}")
                m.add_division_equality(centre, sum(squares), count)
                ssd_terms.append(sum(qint[i] * x for i, x in mem) - centre)
        # integer weights: SSD counts RESOLUTION per 1/s² unit, balance its rounded share of that
        scale = RESOLUTION * s * s
        parts, weights = list(ssd_terms), [RESOLUTION] * len(ssd_terms)
        constant = 0.0
        mean = float(inst.balance.sum()) / p
        if inst.balance_weight > 0 and mean > 0:
            bscale = 1_000 / max(float(np.abs(inst.balance).max()), 1e-12)
            per_sq = inst.balance_weight / (p * mean * mean * bscale * bscale)
            squares_b = self._balance_squares(bscale)
            parts += squares_b
            weights += [round(per_sq * scale)] * len(squares_b)
            constant = -inst.balance_weight
        return cp_model.LinearExpr.weighted_sum(parts, weights), scale, constant

    def _balance_squares(self, bscale: float) -> list[cp_model.IntVar]:
        """B_k² per region with B_k the scaled region total of the balance attribute."""
        m = self.model
        bint = np.round(self.inst.balance * bscale).astype(np.int64).tolist()
        out = []
        for k in range(self.slots):
            reach = int(sum(abs(bint[i]) for i, _ in self.members(k))) or 1
            total = m.new_int_var(-reach, reach, f"b{k}")
            m.add(total == sum(bint[i] * x for i, x in self.members(k)))
            sq = m.new_int_var(0, reach * reach, f"bb{k}")
            m.add_multiplication_equality(sq, [total, total])
            out.append(sq)
        return out

    def hint(self, labels: npt.NDArray[np.int64]) -> None:
        """Suggest a division (any labelling; renumbered to the model's root order)."""
        first: dict[int, int] = {}
        for r in labels.tolist():
            first.setdefault(r, len(first))
        for (i, k), var in self.x.items():
            self.model.add_hint(var, first[int(labels[i])] == k)

    def run(self, seconds: float, seed: int) -> tuple[int, cp_model.CpSolver]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        status = solver.solve(self.model)
        return int(status), solver

    def labels(self, solver: cp_model.CpSolver) -> npt.NDArray[np.int64]:
        out = np.zeros(self.inst.n, dtype=np.int64)
        for (i, k), var in self.x.items():
            if solver.value(var):
                out[i] = k
        _, dense = np.unique(out, return_inverse=True)
        return dense.astype(np.int64)
