"""ReCom ensembles (reorg.optimize.ensemble) against GerryChain's ReCom on the same graph and spec, and
the scaling of a run from one to two Dask workers.

Prints, measured in this run:

1. a 100x100 rook lattice (population U{100..999}, seed 0) in 50 districts of 10x20 cells, population
   within 10% of the ideal: steps per second of GerryChain's ``recom`` (``pair_selection="cut_edges"``,
   always accept, updaters population and cut edges) and of ours (the chain alone, and with the eight
   measures of every step), the ratio, and our acceptance rate (a step whose spanning tree has no
   valid cut repeats the division; GerryChain draws trees until one has);
2. the same on the vietnam-2024 communes of its largest new province (by communes; enacted-2025
   nesting; its largest connected piece), as many regions as the enacted plan makes there, population
   within 30%, both chains started from one GerryChain ``recursive_tree_part`` division (the enacted
   mapping is not connected in the dataset's neighbour graph everywhere, so it cannot start a chain);
3. two chains of the lattice (with measures, Parquet and saved states) on a Dask LocalCluster of one,
   then two worker processes, timed after the cluster started: seconds and the speed-up (the
   machine's cores are shared with other work, so this is a floor).

All runs are single-threaded per process. GerryChain and networkx are benchmark extras
(``pip install -e .[bench]``). Run: ``.venv/bin/python benchmarks/ensembles.py [--steps N]`` (about 2 min).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reorg.io.ensembles import Manifest, execute, save_state, write_manifest
from reorg.optimize.ensemble import Chain, ChainState, Measurer, Problem, chain_seeds, run_batch
from reorg.optimize.territory import Graph

IntArray = npt.NDArray[np.int64]


def lattice(rows: int, cols: int) -> tuple[Graph, npt.NDArray[np.float64], IntArray]:
    """Rook lattice, population U{100..999} (seed 0), and the start: 50 blocks of 10x20 cells."""
    rng = np.random.default_rng(0)
    n = rows * cols
    pop = rng.integers(100, 1000, n).astype(float)
    idx = np.arange(n).reshape(rows, cols)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    r, c = np.divmod(np.arange(n), cols)
    start = (r // 10) * (cols // 20) + c // 20
    return Graph.from_edges(n, a, b), pop, start.astype(np.int64)


def deviation(pop: npt.NDArray[np.float64], labels: IntArray) -> float:
    totals = np.bincount(labels, weights=pop)
    return float(np.abs(totals / totals.mean() - 1).max())


def problem_of(graph: Graph, pop: npt.NDArray[np.float64], tolerance: float) -> Problem:
    n = graph.n
    return Problem(
        graph=graph,
        values=np.zeros((n, 0)),
        lower=np.zeros(0),
        upper=np.zeros(0),
        group=np.zeros(n, dtype=np.int64),
        population=pop,
        tolerance=tolerance,
    )


def ours(problem: Problem, start: IntArray, steps: int) -> tuple[float, float]:
    """(steps per second, acceptance rate) of the chain alone."""
    chain = Chain(problem, start, np.random.default_rng(1))
    t = time.perf_counter()
    for _ in range(steps):
        chain.step()
    return steps / (time.perf_counter() - t), chain.accepted / steps


def ours_measured(problem: Problem, measurer: Measurer, start: IntArray, steps: int) -> float:
    """Steps per second with the measures of every step (what a run records)."""
    state = ChainState.start(0, start, chain_seeds(1, 1)[0])
    t = time.perf_counter()
    run_batch(problem, measurer, state, steps)
    return steps / (time.perf_counter() - t)


def lattice_measurer(graph: Graph, pop: npt.NDArray[np.float64], cols: int) -> Measurer:
    n = graph.n
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.indptr))
    once = src < graph.indices
    r, c = np.divmod(np.arange(n), cols)
    return Measurer(
        atom=np.arange(n, dtype=np.int64),
        edge_a=src[once],
        edge_b=graph.indices[once],
        population=pop,
        xy=np.stack([c, r], axis=1).astype(float),
        located=np.ones(n, dtype=bool),
        former={},
        attributes={},
    )


def gerrychain_rate(
    graph: Graph, pop: npt.NDArray[np.float64], start: IntArray, tol: float, steps: int
) -> float:
    """Steps per second of GerryChain's ReCom on the same graph, start and tolerance."""
    import networkx as nx
    from gerrychain import Graph as GCGraph
    from gerrychain import MarkovChain, Partition
    from gerrychain.accept import always_accept
    from gerrychain.constraints import within_percent_of_ideal_population
    from gerrychain.proposals import recom
    from gerrychain.updaters import Tally, cut_edges

    g = nx.Graph()
    g.add_nodes_from((i, {"pop": float(p)}) for i, p in enumerate(pop.tolist()))
    src = np.repeat(np.arange(graph.n), np.diff(graph.indptr))
    g.add_edges_from(
        (int(a), int(b)) for a, b in zip(src.tolist(), graph.indices.tolist(), strict=True) if a < b
    )
    gc_graph = GCGraph.from_networkx(g)
    assignment = {i: int(x) for i, x in enumerate(start.tolist())}
    part = Partition(
        gc_graph, assignment, {"population": Tally("pop", alias="population"), "cut_edges": cut_edges}
    )
    ideal = float(pop.sum()) / (int(start.max()) + 1)
    proposal = functools.partial(
        recom, pop_col="pop", pop_target=ideal, epsilon=tol, pair_selection="cut_edges", rng=random.Random(1)
    )
    chain = MarkovChain(
        proposal, [within_percent_of_ideal_population(part, tol)], always_accept, part, total_steps=steps
    )
    t = time.perf_counter()
    for _ in chain:
        pass
    return steps / (time.perf_counter() - t)


def compare(
    name: str,
    graph: Graph,
    pop: npt.NDArray[np.float64],
    start: IntArray,
    tol: float,
    measurer: Measurer,
    steps: int,
) -> None:
    problem = problem_of(graph, pop, tol)
    assert problem.problems(start) == [], problem.problems(start)
    rate, acc = ours(problem, start, steps)
    measured = ours_measured(problem, measurer, start, steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc = gerrychain_rate(graph, pop, start, tol, max(20, steps // 4))
    print(
        f"{name}: {graph.n:,} units, {int(start.max()) + 1} regions, tolerance {tol:.0%}\n"
        f"  GerryChain recom      {gc:8.1f} steps/s\n"
        f"  reorg chain           {rate:8.1f} steps/s  ({rate / gc:.1f}x GerryChain; acceptance {acc:.0%}, "
        f"{rate * acc:.1f} accepted moves/s = {rate * acc / gc:.1f}x)\n"
        f"  reorg with measures   {measured:8.1f} steps/s  ({measured / gc:.1f}x)"
    )


def vietnam_province() -> tuple[str, Graph, npt.NDArray[np.float64], IntArray, Measurer]:
    """The communes of the largest new province (its largest connected piece): graph, population,
    a start division (GerryChain's ``recursive_tree_part``, population within 30%, as many regions as
    the enacted plan makes there) and the measures of its units."""
    import networkx as nx
    from gerrychain import Graph as GCGraph
    from gerrychain.partition import recursive_tree_part

    from reorg.datasets import vietnam
    from reorg.optimize.ensemble import build_problem
    from reorg.optimize.territory import TerritorySpec, nesting_from_plan
    from reorg.plan import apply
    from reorg.plan.lineage import successors

    app = vietnam.build(scale=0.005)
    enacted = vietnam.enacted_plan(app)
    groups = nesting_from_plan(app, enacted, "commune", "province")
    problem, data = build_problem(app, "commune", TerritorySpec(nest_by=groups))
    largest = int(np.bincount(problem.group).argmax())
    keep = np.flatnonzero(problem.group == largest)
    _, comp = problem.graph.induced(keep).components()
    keep = keep[comp == np.bincount(comp).argmax()]
    sub = problem.graph.induced(keep)
    held = successors(apply(app, enacted), [data.ids[i] for i in keep.tolist()])
    regions = len(set(held.values()))
    pop = problem.population[keep]
    g = nx.Graph()
    g.add_nodes_from((i, {"pop": float(p)}) for i, p in enumerate(pop.tolist()))
    src = np.repeat(np.arange(sub.n, dtype=np.int64), np.diff(sub.indptr))
    g.add_edges_from(
        (int(a), int(b)) for a, b in zip(src.tolist(), sub.indices.tolist(), strict=True) if a < b
    )
    drawn = recursive_tree_part(
        GCGraph.from_networkx(g), range(regions), float(pop.sum()) / regions, "pop", 0.3, rng=random.Random(0)
    )
    start = np.asarray([drawn[i] for i in range(sub.n)], dtype=np.int64)
    full = Measurer.of(app, data)
    once = src < sub.indices
    measurer = Measurer(
        atom=np.arange(sub.n, dtype=np.int64),
        edge_a=src[once],
        edge_b=sub.indices[once],
        population=full.population[keep],
        xy=full.xy[keep],
        located=full.located[keep],
        former={k: v[keep] for k, v in full.former.items()},
        attributes={},
    )
    return f"vietnam-2024 communes of new province {data.group_ids[largest]}", sub, pop, start, measurer


def scaling(steps: int) -> None:
    """Two chains of the lattice on a LocalCluster of 1, then 2 worker processes (cluster started
    before the clock)."""
    from distributed import LocalCluster

    graph, pop, start = lattice(100, 100)
    tol = max(0.10, np.ceil(deviation(pop, start) * 100) / 100)
    problem = problem_of(graph, pop, tol)
    measurer = lattice_measurer(graph, pop, 100)
    seconds = {}
    for workers in (1, 2):
        folder = Path(tempfile.mkdtemp(prefix="reorg-ens-bench-"))
        try:
            for c, seed in enumerate(chain_seeds(0, 2)):
                save_state(folder, ChainState.start(c, start, seed))
            manifest = Manifest({}, 0, 2, steps, max(1, steps // 4), (0, 0))
            write_manifest(folder, manifest)
            with LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                t = time.perf_counter()
                execute(folder, manifest, problem, measurer, scheduler=cluster.scheduler_address)
                seconds[workers] = time.perf_counter() - t
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"(load average {load} on {os.cpu_count()} cores during the runs)\n"
        f"Dask LocalCluster, 2 chains x {steps} steps of the lattice with measures, Parquet and states:\n"
        f"  1 worker  {seconds[1]:6.1f} s ({2 * steps / seconds[1]:.0f} steps/s)\n"
        f"  2 workers {seconds[2]:6.1f} s ({2 * steps / seconds[2]:.0f} steps/s; "
        f"speed-up {seconds[1] / seconds[2]:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--skip-vietnam", action="store_true")
    args = parser.parse_args()
    graph, pop, start = lattice(100, 100)
    tol = max(0.10, np.ceil(deviation(pop, start) * 100) / 100)
    compare("100x100 lattice", graph, pop, start, tol, lattice_measurer(graph, pop, 100), args.steps)
    if not args.skip_vietnam:
        name, sub, vpop, vstart, measurer = vietnam_province()
        compare(name, sub, vpop, vstart, 0.3, measurer, args.steps)
    scaling(args.steps)


if __name__ == "__main__":
    main()
