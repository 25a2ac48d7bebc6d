"""A chain run in batches: the state saved between batches (division, generator state, counters) and
one batch as a pure function, so that any runner (one process, a Dask cluster) and a resumed run give
the same chain for the same seed.

Seeds: the run's seed makes a ``numpy.random.SeedSequence``; chain i draws from ``spawn(chains)[i]``
with PCG64, so chains are independent streams and chain i is the same whatever the number of chains.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.optimize.ensemble.measures import Measurer
from reorg.optimize.ensemble.problem import Problem
from reorg.optimize.ensemble.recom import Chain

__all__ = ["Batch", "ChainState", "chain_seeds", "run_batch"]

IntArray = npt.NDArray[np.int64]


def chain_seeds(seed: int, chains: int) -> list[np.random.SeedSequence]:
    """The independent seed of each chain (see the module)."""
    return list(np.random.SeedSequence(seed).spawn(chains))


@dataclasses.dataclass(frozen=True, eq=False)
class ChainState:
    """Where chain ``chain`` stands after ``steps`` steps: its division (region per atom), its
    generator's state and its counts of accepted and rejected proposals."""

    chain: int
    steps: int
    labels: IntArray
    rng_state: Mapping[str, Any]
    accepted: int = 0
    rejected: int = 0

    @classmethod
    def start(cls, chain: int, labels: npt.ArrayLike, seed: np.random.SeedSequence) -> ChainState:
        rng = np.random.Generator(np.random.PCG64(seed))
        return cls(chain, 0, np.array(labels, dtype=np.int64), rng.bit_generator.state)

    def generator(self) -> np.random.Generator:
        bits = np.random.PCG64()
        bits.state = dict(self.rng_state)  # type: ignore[assignment]
        return np.random.Generator(bits)


@dataclasses.dataclass(frozen=True)
class Batch:
    """The measures of the recorded steps of one batch (``rows["step"]`` numbers them, 1-based after
    the start) and the state after it."""

    rows: dict[str, list[float]]
    state: ChainState


def run_batch(problem: Problem, measurer: Measurer, state: ChainState, steps: int, thin: int = 1) -> Batch:
    """``steps`` more steps of the chain from ``state``. Every ``thin``-th step of the chain (counted
    from its start, so thinning does not depend on the batches) is recorded: its number, ``accepted``
    (the share of the ``thin`` steps up to it that were accepted) and the measures of the division
    after it (repeated after a rejection)."""
    if thin < 1:
        raise ValueError("thin must be at least 1")
    rng = state.generator()
    chain = Chain(problem, state.labels, rng)
    chain.accepted, chain.rejected = state.accepted, state.rejected
    rows: dict[str, list[float]] = {name: [] for name in ["step", "accepted", *measurer.names]}
    window = 0
    for k in range(1, steps + 1):
        window += chain.step().accepted
        number = state.steps + k
        if number % thin:
            continue
        rows["step"].append(float(number))
        rows["accepted"].append(window / thin)
        window = 0
        for name, value in measurer.measure(chain.labels).items():
            rows[name].append(value)
    after = ChainState(
        chain=state.chain,
        steps=state.steps + steps,
        labels=chain.labels.copy(),
        rng_state=rng.bit_generator.state,
        accepted=chain.accepted,
        rejected=chain.rejected,
    )
    return Batch(rows, after)
