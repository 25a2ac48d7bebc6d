"""Use case: propose merged and dissolved units of one level for a stored dataset (the merge
optimizer), and store the plan."""

from __future__ import annotations

from pathlib import Path

from reorg.optimize.merge import Explanation, MergeSpec, propose
from reorg.progress import Progress
from reorg.services.plans import Proposal, keep_proposal
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork, check_name

__all__ = ["MergeProposal", "propose_merge"]


#: the plan drawn, its explanation, its stored record and the file written
MergeProposal = Proposal[Explanation]


def propose_merge(
    uow: UnitOfWork,
    *,
    dataset: str,
    level: str,
    spec: MergeSpec,
    save: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> MergeProposal:
    """Group the units of ``level`` of dataset ``dataset`` by how much of their work is the same, under
    ``spec``. ``save`` stores the plan under that name; ``out`` writes its JSON."""
    if save:
        check_name(save, "plan name")  # before the work, not after it
    apparatus = load_dataset(uow, name=dataset, progress=progress)
    plan, explanation = propose(apparatus, level, spec, progress=progress)
    plan, record = keep_proposal(uow, plan, dataset=dataset, save=save, out=out)
    return MergeProposal(dataset, plan, explanation, record, out)
