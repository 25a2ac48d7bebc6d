"""Use case: propose one lead per task in each place for a stored dataset (the lead optimizer), and
store the plan."""

from __future__ import annotations

from pathlib import Path

from reorg.optimize.duties import Explanation, LeadsSpec, propose
from reorg.progress import Progress
from reorg.services.plans import Proposal, keep_proposal
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork, check_name

__all__ = ["LeadsProposal", "propose_leads"]


#: the plan drawn, its explanation, its stored record and the file written
LeadsProposal = Proposal[Explanation]


def propose_leads(
    uow: UnitOfWork,
    *,
    dataset: str,
    spec: LeadsSpec,
    save: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> LeadsProposal:
    """Choose one lead for every (task, place) of dataset ``dataset`` led several times or not at all,
    under ``spec``. ``save`` stores the plan under that name; ``out`` writes its JSON."""
    if save:
        check_name(save, "plan name")  # before the work, not after it
    apparatus = load_dataset(uow, name=dataset, progress=progress)
    plan, explanation = propose(apparatus, spec, progress=progress)
    plan, record = keep_proposal(uow, plan, dataset=dataset, save=save, out=out)
    return LeadsProposal(dataset, plan, explanation, record, out)
