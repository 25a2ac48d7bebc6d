"""The state space of an ensemble: the atoms of one level (units, or units locked together) as plain
arrays, with the rules every sampled division must keep, and the check of a division against them.

The arrays come from the territory optimizer's own extraction (``reorg.optimize.territory.extract``):
the same neighbour graph, constrained columns (minimums, maximums, standard fills), nesting groups,
locked atoms and kept-apart pairs as ``propose territory``. A division is valid when every region

- is connected in the neighbour graph (or is a single atom),
- lies inside one nesting group,
- meets every minimum and maximum of the spec (``TerritorySpec.lower_bounds`` / ``maximums``),
- keeps each kept-apart pair apart,
- and, with a population tolerance, has a population within ``tolerance`` of its group's ideal
  (group population / regions in the group).

Regions are labelled 0..p-1 per atom; the number of regions per group never changes along a chain.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.territory.extract import LevelData, column, extract
from reorg.optimize.territory.graph import Graph
from reorg.optimize.territory.spec import TerritorySpec

__all__ = ["Problem", "build_problem", "problems_of"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: relative slack on bounds, so that a total equal to its bound up to rounding counts as meeting it
EPS = 1e-9


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """Atoms 0..n-1 to divide into contiguous regions (see the module docstring).

    ``values`` (atoms x constraints) are additive totals bounded per region by ``lower``/``upper``;
    ``population`` (people) per atom is what ``tolerance`` balances (None: no balance rule); ``group``
    is the nesting group per atom; ``apart`` atom pairs must end in different regions."""

    graph: Graph
    values: FloatArray
    lower: FloatArray
    upper: FloatArray
    group: IntArray
    population: FloatArray
    apart: tuple[tuple[int, int], ...] = ()
    tolerance: float | None = None
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = self.graph.n
        if self.values.shape[0] != n or len(self.group) != n or len(self.population) != n:
            raise ValueError("values, group and population need one row per atom")
        if self.tolerance is not None and not 0 < self.tolerance < 1:
            raise ValueError("tolerance must be a fraction between 0 and 1")

    @property
    def n(self) -> int:
        return self.graph.n

    def edges(self) -> tuple[IntArray, IntArray]:
        """Each undirected edge once (a < b) whose ends share a nesting group: the only edges a region
        may be grown or cut along."""
        g = self.graph
        src = np.repeat(np.arange(g.n, dtype=np.int64), np.diff(g.indptr))
        keep = (src < g.indices) & (self.group[src] == self.group[g.indices])
        return src[keep], g.indices[keep]

    def ideal(self, labels: IntArray) -> FloatArray:
        """Per region: its group's population / the group's number of regions (people)."""
        p = int(labels.max()) + 1
        region_group = np.zeros(p, dtype=np.int64)
        region_group[labels] = self.group
        groups = int(self.group.max()) + 1
        per_group = np.bincount(self.group, weights=self.population, minlength=groups)
        count = np.bincount(region_group, minlength=groups)
        return np.asarray(per_group[region_group] / np.maximum(count[region_group], 1), dtype=np.float64)

    def problems(self, labels: npt.ArrayLike) -> list[str]:
        """What makes ``labels`` (region per atom) an invalid division, one line per kind of fault
        (empty when valid); see ``problems_of``."""
        return problems_of(self, np.asarray(labels, dtype=np.int64))


def problems_of(problem: Problem, lab: IntArray) -> list[str]:
    """The faults of a division, vectorized: disconnected regions, regions across nesting groups,
    bounds broken, kept-apart pairs together, populations outside the tolerance."""
    out: list[str] = []
    if len(lab) != problem.n or (len(lab) and lab.min() < 0):
        return [f"a region for each of the {problem.n} atoms"]
    p = int(lab.max()) + 1
    used = np.bincount(lab, minlength=p) > 0
    if not used.all():
        return [f"regions numbered 0..{p - 1} without gaps"]
    g = problem.graph
    src = np.repeat(np.arange(g.n), np.diff(g.indptr))
    inside = lab[src] == lab[g.indices]
    m = sp.csr_array(
        (np.ones(int(inside.sum()), dtype=np.int8), (src[inside], g.indices[inside])), (g.n, g.n)
    )
    _, comp = connected_components(m, directed=False)
    pieces = np.unique(np.stack([lab, comp]), axis=1)
    broken = np.flatnonzero(np.bincount(pieces[0], minlength=p) > 1)
    if len(broken):
        out.append(f"{len(broken)} region(s) not connected, e.g. region {int(broken[0])}")
    crossing = np.flatnonzero(
        np.bincount(np.unique(np.stack([lab, problem.group]), axis=1)[0], minlength=p) > 1
    )
    if len(crossing):
        out.append(f"{len(crossing)} region(s) across nesting groups, e.g. region {int(crossing[0])}")
    for k, name in enumerate(problem.names or tuple(f"column {k}" for k in range(len(problem.lower)))):
        tot = np.bincount(lab, weights=problem.values[:, k], minlength=p)
        lo, hi = float(problem.lower[k]), float(problem.upper[k])
        low = np.flatnonzero(tot < lo * (1 - EPS))
        high = np.flatnonzero(tot > hi * (1 + EPS))
        if len(low):
            out.append(f"{len(low)} region(s) below the minimum {name} {lo:g}")
        if len(high):
            out.append(f"{len(high)} region(s) above the maximum {name} {hi:g}")
    together = [(a, b) for a, b in problem.apart if lab[a] == lab[b]]
    if together:
        out.append(f"{len(together)} kept-apart pair(s) in one region")
    if problem.tolerance is not None:
        pop = np.bincount(lab, weights=problem.population, minlength=p)
        ideal = problem.ideal(lab)
        off = np.flatnonzero(np.abs(pop - ideal) > problem.tolerance * ideal * (1 + EPS))
        if len(off):
            out.append(f"{len(off)} region(s) off the ideal population by more than {problem.tolerance:.0%}")
    return out


def build_problem(
    app: Apparatus, level: str, spec: TerritorySpec, *, tolerance: float | None = None
) -> tuple[Problem, LevelData]:
    """The atoms of ``level`` under ``spec`` (the extraction of ``propose territory``) and the level
    data that maps units (positions) to atoms."""
    data = extract(app, level, spec)
    atoms = int(data.atom.max()) + 1
    values = np.zeros((atoms, data.values.shape[1]))
    for k in range(data.values.shape[1]):
        values[:, k] = np.bincount(data.atom, weights=data.values[:, k], minlength=atoms)
    group = np.zeros(atoms, dtype=np.int64)
    group[data.atom] = data.group
    population = np.nan_to_num(column(app, "population", data.rows), nan=0.0)
    pop_atoms = np.asarray(np.bincount(data.atom, weights=population, minlength=atoms), dtype=np.float64)
    bounds = spec.lower_bounds
    lower = np.asarray([bounds.get(k, 0.0) for k in spec.constrained], dtype=np.float64)
    upper = np.asarray([spec.maximums.get(k, np.inf) for k in spec.constrained], dtype=np.float64)
    try:
        problem = Problem(
            graph=data.atom_graph,
            values=values,
            lower=lower,
            upper=upper,
            group=group,
            population=pop_atoms,
            apart=tuple(data.apart),
            tolerance=tolerance,
            names=tuple(spec.constrained),
        )
    except ValueError as exc:
        raise InputError("--tolerance", str(exc), value=str(tolerance)) from None
    return problem, data
