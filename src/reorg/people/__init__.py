"""People: evaluation on measurable results, and the benefits owed under a policy ruleset (core, pure).

- ``evaluate(app, config)`` scores, rates (with the cap on "excellent" per unit), ranks, screens and
  lists the talent pool of everyone in scope, listing the unrated with the reason (docs/people.md);
- ``load_ruleset(path)`` reads a benefit ruleset (TOML; the default is Decree 178/2024/ND-CP as amended
  by Decree 67/2025/ND-CP), checking every expression of its small, safe language (``reorg.people.expr``);
- ``compute_benefits(app, ruleset, rows, as_of=...)`` gives each person's regime, amount and breakdown,
  and the cost, annual saving and payback per unit and in total;
- ``place(before, after, scores)`` places the people of the units a plan replaced into the new units'
  positions by merit (leaders first, exact per unit by min-cost flow); ``Placement.to_plan()`` gives the
  ``move_people`` and ``release_people`` operations.
"""

from reorg.people.benefits import Benefits, UnitCost, compute_benefits
from reorg.people.candidates import PlacementConfig
from reorg.people.config import LEVELS, EvaluationConfig
from reorg.people.evaluate import Evaluation, check_results, evaluate
from reorg.people.expr import ExpressionError, compile_expression
from reorg.people.placement import Placement, place
from reorg.people.ruleset import DEFAULT_RULESET, INPUTS, Regime, Ruleset, load_ruleset, parse_ruleset

__all__ = [
    "DEFAULT_RULESET",
    "INPUTS",
    "LEVELS",
    "Benefits",
    "Evaluation",
    "EvaluationConfig",
    "ExpressionError",
    "Placement",
    "PlacementConfig",
    "Regime",
    "Ruleset",
    "UnitCost",
    "check_results",
    "compile_expression",
    "compute_benefits",
    "evaluate",
    "load_ruleset",
    "parse_ruleset",
    "place",
]
