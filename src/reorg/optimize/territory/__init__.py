"""Contiguous territorial consolidation: group the units of one level into regions that meet
minimums (area, population, any additive attribute), optionally a target count and maximums, nested
in parents, with compactness, homogeneity and balance as the objective.

Layers: ``graph``/``instance``/``state`` hold plain arrays; ``construct``, ``target``,
``local_search``, ``pairs`` and ``solve`` are the heuristic; ``exact`` the CP-SAT model;
``extract``, ``groups``, ``regions`` and ``propose`` connect them to an Apparatus and a Plan.
"""

from reorg.optimize.territory.exact import ExactSolution, solve_exact
from reorg.optimize.territory.explain import Explanation, GroupReport, RegionReport
from reorg.optimize.territory.extract import nesting_from_plan
from reorg.optimize.territory.graph import Graph
from reorg.optimize.territory.instance import Instance, Score, score
from reorg.optimize.territory.propose import propose
from reorg.optimize.territory.solve import Effort, Solution, solve
from reorg.optimize.territory.spec import TerritorySpec, Weights

__all__ = [
    "Effort",
    "ExactSolution",
    "Explanation",
    "Graph",
    "GroupReport",
    "Instance",
    "RegionReport",
    "Score",
    "Solution",
    "TerritorySpec",
    "Weights",
    "nesting_from_plan",
    "propose",
    "score",
    "solve",
    "solve_exact",
]
