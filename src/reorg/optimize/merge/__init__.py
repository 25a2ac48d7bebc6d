"""Merging and dissolving units of one level: group the units of each place by how much of their work
is the same (containment of task portfolios and related fields, ``reorg.plan.similarity``), under a
spec (target count or least similarity, largest merged unit, locked and kept-apart pairs, untouchable
units), and dissolve units whose tasks are all held beside them.

Layers: ``spec`` (TOML), ``instance`` (the units and the pairs that may be merged, as arrays), ``solve``
(CP-SAT where small, greedy agglomeration with a bound elsewhere), ``propose`` (the Plan) and
``explain`` (per operation: shared tasks, duplicated leads removed, headcount against quota, what
binds); ``internal`` (the internal model after a merger: the merged units' departments consolidated
by ``propose`` restricted to them, headcount against quota, leadership posts before and after).
"""

from reorg.optimize.merge.explain import Explanation, GroupReport, OperationReport
from reorg.optimize.merge.instance import Instance, build_instance
from reorg.optimize.merge.internal import InternalExplanation, MergedUnit, merged_units, propose_internal
from reorg.optimize.merge.propose import propose
from reorg.optimize.merge.solve import Group, Partition, solve_exact, solve_greedy
from reorg.optimize.merge.spec import METHODS, MergeSpec

__all__ = [
    "METHODS",
    "Explanation",
    "Group",
    "GroupReport",
    "Instance",
    "InternalExplanation",
    "MergeSpec",
    "MergedUnit",
    "OperationReport",
    "Partition",
    "build_instance",
    "merged_units",
    "propose",
    "propose_internal",
    "solve_exact",
    "solve_greedy",
]
