"""Use case: propose abolishing a level of a stored dataset (every task it led goes up or down so that
none is left without a lead in any place), and store the plan."""

from __future__ import annotations

from pathlib import Path

from reorg.optimize.abolish import AbolishSpec, Explanation, propose_abolish
from reorg.progress import Progress
from reorg.services.plans import Proposal, keep_proposal
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork, check_name

__all__ = ["AbolishProposal", "propose_abolish_level"]


#: the plan drawn, its explanation, its stored record and the file written
AbolishProposal = Proposal[Explanation]


def propose_abolish_level(
    uow: UnitOfWork,
    *,
    dataset: str,
    level: str,
    spec: AbolishSpec,
    save: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> AbolishProposal:
    """Abolish ``level`` of dataset ``dataset`` under ``spec``. ``save`` stores the plan under that
    name; ``out`` writes its JSON."""
    if save:
        check_name(save, "plan name")  # before the work, not after it
    apparatus = load_dataset(uow, name=dataset, progress=progress)
    plan, explanation = propose_abolish(apparatus, level, spec, progress=progress)
    plan, record = keep_proposal(uow, plan, dataset=dataset, save=save, out=out)
    return AbolishProposal(dataset, plan, explanation, record, out)
