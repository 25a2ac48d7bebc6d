"""One lead per task in each place: for every (task, place) led several times or not at all, choose
the lead and make the others supports, at least cost (portfolio fit, peer level, load, change), with
an optional capacity per unit.

Layers: ``cells`` names the cells (from ``reorg.plan.leads``, the one rule); ``instance`` holds the
candidates and cost terms as plain arrays; ``solve`` chooses (per-cell argmin, or a min-cost flow under
capacities); ``propose`` turns the choice into a Plan of transfers with an ``explain.Explanation``.
"""

from reorg.optimize.duties.cells import Cells, find_cells
from reorg.optimize.duties.explain import CellReport, Explanation
from reorg.optimize.duties.instance import TERMS, Instance, build_instance
from reorg.optimize.duties.propose import propose
from reorg.optimize.duties.solve import Assignment, InfeasibleError, assign, assign_flow
from reorg.optimize.duties.spec import LeadsSpec, LeadWeights

__all__ = [
    "TERMS",
    "Assignment",
    "CellReport",
    "Cells",
    "Explanation",
    "InfeasibleError",
    "Instance",
    "LeadWeights",
    "LeadsSpec",
    "assign",
    "assign_flow",
    "build_instance",
    "find_cells",
    "propose",
]
