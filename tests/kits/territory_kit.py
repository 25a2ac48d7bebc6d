"""Small territories drawn as ASCII for the territory tests.

A picture is rows of cells: a digit 1-9 is a unit with that population (thousands), ``.`` is sea (no
unit). Units are rook neighbours (left/right/up/down) when both cells are land; unit ids are
``r<row>c<col>``. ``homogeneity`` features default to a deterministic function of the position.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus, DatasetInfo, LevelRow, NeighbourRow, UnitRow, build_apparatus
from reorg.optimize.territory import Graph, Instance


def cells(picture: str) -> list[tuple[int, int, int]]:
    """(row, column, population in thousands) of every land cell, row by row."""
    lines = [line.strip() for line in picture.strip().splitlines()]
    return [(r, c, int(ch)) for r, line in enumerate(lines) for c, ch in enumerate(line) if ch != "."]


def grid_graph(picture: str) -> Graph:
    """The rook graph of the land cells (node k = k-th land cell)."""
    land = cells(picture)
    index = {(r, c): k for k, (r, c, _) in enumerate(land)}
    a, b = [], []
    for (r, c), k in index.items():
        for other in ((r, c + 1), (r + 1, c)):
            if other in index:
                a.append(k)
                b.append(index[other])
    return Graph.from_edges(len(land), a, b)


def grid_instance(
    picture: str, minimum: float, *, features: npt.ArrayLike | None = None, maximum: float | None = None
) -> Instance:
    """Population in thousands per cell, one minimum (and maximum), features (default: none)."""
    land = cells(picture)
    pops = [float(p) for _, _, p in land]
    upper = None if maximum is None else [maximum]
    return Instance.simple(grid_graph(picture), pops, [minimum], features=features, upper=upper)


def lattice_instance(rows: int, cols: int, seed: int, threshold: float = 3000.0) -> Instance:
    """The benchmark's rook lattice: population U{100..999}, one standard-normal feature."""
    rng = np.random.default_rng(seed)
    n = rows * cols
    pop = rng.integers(100, 1000, n).astype(float)
    x = rng.standard_normal(n)
    idx = np.arange(n).reshape(rows, cols)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    return Instance.simple(Graph.from_edges(n, a, b), pop, [threshold], features=x)


def _letters(picture: str | None) -> dict[tuple[int, int], str]:
    if picture is None:
        return {}
    return {
        (r, c): ch for r, line in enumerate(picture.strip().splitlines()) for c, ch in enumerate(line.strip())
    }


def grid_apparatus(
    picture: str, parents: str | None = None, *, incomes: str | None = None, name: str = "grid"
) -> Apparatus:
    """An apparatus: nation ``vn`` > provinces > communes, one commune per land cell.

    ``parents`` is a picture of the same shape whose letters name each cell's province (default: one
    province ``pA``). Population = digit x 1000 people, area = 10 km² per cell, lat/lon on a 0.05°
    grid, attribute ``income`` = the digit of ``incomes`` at the cell (default (row - col) / 2)."""
    land = cells(picture)
    owner = _letters(parents)
    income = {k: float(v) for k, v in _letters(incomes).items()}
    provinces = sorted({owner.get((r, c), "A") for r, c, _ in land})
    units = [UnitRow("vn", "Nation", "nation")]
    units += [UnitRow(f"p{p}", f"Province {p}", "province", parent_id="vn") for p in provinces]
    for r, c, pop in land:
        units.append(
            UnitRow(
                f"r{r}c{c}",
                f"Commune {r}-{c}",
                "commune",
                parent_id=f"p{owner.get((r, c), 'A')}",
                area_km2=10.0,
                population=pop * 1000.0,
                lat=10.0 + 0.05 * r,
                lon=105.0 + 0.05 * c,
                attributes=(("income", income.get((r, c), (r - c) / 2)),),
            )
        )
    graph = grid_graph(picture)
    ids = [f"r{r}c{c}" for r, c, _ in land]
    src = np.repeat(np.arange(graph.n), np.diff(graph.indptr))
    neighbours = [
        NeighbourRow(ids[i], ids[j])
        for i, j in zip(src.tolist(), graph.indices.tolist(), strict=True)
        if i < j
    ]
    levels = [LevelRow("nation", 0, True), LevelRow("province", 1, True), LevelRow("commune", 2, True)]
    return build_apparatus(levels=levels, units=units, neighbours=neighbours, info=DatasetInfo(name=name))


def is_connected(graph: Graph, nodes: list[int]) -> bool:
    """Whether ``nodes`` induce a connected subgraph of ``graph``."""
    inside = set(nodes)
    seen = {nodes[0]}
    stack = [nodes[0]]
    while stack:
        v = stack.pop()
        for w in graph.neighbours(v).tolist():
            if w in inside and w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen) == len(inside)


def regions_of(labels: npt.ArrayLike) -> list[list[int]]:
    """Node lists per region label 0..p-1."""
    lab = np.asarray(labels)
    return [np.flatnonzero(lab == r).tolist() for r in range(int(lab.max()) + 1)]


def skewed_instance(
    graph: Graph, seed: int, *, minimum: float = 100.0, big: int = 1, scale: float = 1.0
) -> Instance:
    """Skewed values on ``graph``: ``big`` units at or above ``minimum`` (80-150% of it), the rest far
    below (1-25% of it); one feature ~ N(0, scale²), raw (not normalized), so that its SSD can dwarf
    any fixed penalty."""
    rng = np.random.default_rng(seed)
    n = graph.n
    values = np.round(rng.uniform(0.01, 0.25, n) * minimum)
    heavy = rng.choice(n, size=min(big, n), replace=False)
    values[heavy] = np.round(rng.uniform(0.8, 1.5, len(heavy)) * minimum)
    return Instance.simple(graph, values, [minimum], features=rng.standard_normal(n) * scale)


def holey_graph(rows: int, cols: int, mask: list[bool]) -> Graph:
    """The rook lattice of the cells whose ``mask`` entry (row-major) is True."""
    picture = "\n".join("".join("1" if mask[r * cols + c] else "." for c in range(cols)) for r in range(rows))
    return grid_graph(picture)
