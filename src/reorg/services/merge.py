"""Use cases: propose merged and dissolved units of one level for a stored dataset (the merge
optimizer), and the internal model after a stored merger plan (the merged units' departments
consolidated by the same optimizer, one level down); store the plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reorg.errors import InputError
from reorg.optimize.merge import Explanation, InternalExplanation, MergeSpec, propose, propose_internal
from reorg.progress import Progress
from reorg.services.plans import Proposal, keep_proposal
from reorg.services.resolve import load_dataset, resolve
from reorg.store import UnitOfWork, check_name

__all__ = ["InternalProposal", "MergeProposal", "propose_internal_model", "propose_merge"]


#: the plan drawn, its explanation, its stored record and the file written
MergeProposal = Proposal[Explanation]

#: the merger plan followed by the department operations, the explanation per merged unit, its
#: stored record and the file written
InternalProposal = Proposal[InternalExplanation]


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


def propose_internal_model(
    uow: UnitOfWork,
    *,
    dataset: str,
    plan: str,
    spec: MergeSpec,
    level: str | None = None,
    save: str | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> InternalProposal:
    """The internal model of the units stored plan ``plan`` (on dataset ``dataset``, its baseline)
    merges — of ``level`` only, when given — under ``spec``: their departments consolidated where
    their tasks overlap, headcount against quota, leadership posts before and after
    (``reorg.optimize.merge.internal``). The plan drawn is ``plan`` followed by the department
    operations; ``save`` stores it under that name, ``out`` writes its JSON."""
    if save:
        check_name(save, "plan name")
    found = resolve(uow, plan, progress=progress)
    if found.plan is None:
        raise InputError("PLAN", "a stored plan (not a dataset)", value=plan)
    if found.plan.baseline != dataset:
        raise InputError("PLAN", f"a plan on {dataset} (it is on {found.plan.baseline})", value=plan)
    before = load_dataset(uow, name=dataset, version=found.plan.baseline_version, progress=progress)
    merger = dataclasses.replace(uow.plans.load(name=plan, version=found.plan.version), name=plan)
    drawn, explanation = propose_internal(
        before, merger, spec, after=found.apparatus, level=level, progress=progress
    )
    drawn, record = keep_proposal(uow, drawn, dataset=dataset, save=save, out=out)
    return InternalProposal(dataset, drawn, explanation, record, out)
