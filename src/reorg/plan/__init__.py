"""Plans: operations as data, applying them, the invariants an apparatus should satisfy, and diffs."""

from reorg.plan.apply import Validation, apply, validate
from reorg.plan.diff import Diff, diff
from reorg.plan.invariants import INVARIANTS, OPTIONAL, REPORTED, STRUCTURAL, Violation, check
from reorg.plan.operations import (
    AbolishLevel,
    Create,
    Dissolve,
    Merge,
    Move,
    MovePeople,
    NewUnit,
    Operation,
    Plan,
    ReleasePeople,
    Rename,
    Split,
    SplitPart,
    Transfer,
)

__all__ = [
    "INVARIANTS",
    "OPTIONAL",
    "REPORTED",
    "STRUCTURAL",
    "AbolishLevel",
    "Create",
    "Diff",
    "Dissolve",
    "Merge",
    "Move",
    "MovePeople",
    "NewUnit",
    "Operation",
    "Plan",
    "ReleasePeople",
    "Rename",
    "Split",
    "SplitPart",
    "Transfer",
    "Validation",
    "Violation",
    "apply",
    "check",
    "diff",
    "validate",
]
