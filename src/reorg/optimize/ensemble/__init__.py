"""Ensembles of valid divisions of one level: ReCom Markov chains under a territory spec, the measures
of each sampled division, and mixing diagnostics (docs/ensembles.md).

``problem`` holds the atoms and the validity rules, ``recom`` the chain, ``measures`` what is recorded
per step, ``divisions`` the bridge to plans, ``diagnostics`` R-hat, ESS and percentiles; ``run`` ties
a chain's batches together for any runner (the Dask one lives in ``reorg.io.ensembles``).
"""

from reorg.optimize.ensemble.diagnostics import effective_size, histogram, percentile, split_rhat
from reorg.optimize.ensemble.divisions import labels_after, labels_of_plan, plan_of_labels, start_labels
from reorg.optimize.ensemble.measures import Measurer
from reorg.optimize.ensemble.problem import Problem, build_problem
from reorg.optimize.ensemble.recom import Chain, Step
from reorg.optimize.ensemble.run import Batch, ChainState, chain_seeds, run_batch

__all__ = [
    "Batch",
    "Chain",
    "ChainState",
    "Measurer",
    "Problem",
    "Step",
    "build_problem",
    "chain_seeds",
    "effective_size",
    "histogram",
    "labels_after",
    "labels_of_plan",
    "percentile",
    "plan_of_labels",
    "run_batch",
    "split_rhat",
    "start_labels",
]
