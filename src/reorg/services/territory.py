"""Use case: propose a contiguous consolidation of one level of a stored dataset (the territory optimizer),
optionally nested in the units another stored plan forms, and store the plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reorg.errors import InputError
from reorg.optimize.territory import Explanation, TerritorySpec, nesting_from_plan, propose
from reorg.progress import Progress
from reorg.services.plans import Proposal, keep_proposal
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork, check_name

__all__ = ["TerritoryProposal", "propose_territory"]


#: the plan drawn, its explanation, its stored record and the file written
TerritoryProposal = Proposal[Explanation]


def propose_territory(
    uow: UnitOfWork,
    *,
    dataset: str,
    level: str,
    spec: TerritorySpec,
    nest_in: str | None = None,
    save: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> TerritoryProposal:
    """Group the units of ``level`` of dataset ``dataset`` into contiguous regions under ``spec``. With
    ``nest_in`` (a stored plan), regions nest in the units of the level ``spec.nest_by`` names as that
    plan merges them. ``save`` stores the plan under that name; ``out`` writes its JSON."""
    if save:
        check_name(save, "plan name")  # before the work, not after it
    if nest_in is not None and (not isinstance(spec.nest_by, str) or spec.nest_by in ("", "parent")):
        raise InputError("--nest-in", "a level name in --nest-by too (the level whose merged units nest)")
    apparatus = load_dataset(uow, name=dataset, progress=progress)
    if nest_in is not None and isinstance(spec.nest_by, str):
        groups = nesting_from_plan(apparatus, uow.plans.load(name=nest_in), level, spec.nest_by)
        spec = dataclasses.replace(spec, nest_by=groups)
    plan, explanation = propose(apparatus, level, spec, progress=progress)
    plan, record = keep_proposal(uow, plan, dataset=dataset, save=save, out=out)
    return TerritoryProposal(dataset, plan, explanation, record, out)
