"""Use case: propose one lead per task in each place for a stored dataset (the lead optimizer), and
store the plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from reorg.optimize.duties import Explanation, LeadsSpec, propose
from reorg.plan import Plan
from reorg.progress import Progress
from reorg.services.plans import keep_proposal
from reorg.store import PlanRecord, UnitOfWork, check_name

__all__ = ["LeadsProposal", "propose_leads"]


@dataclasses.dataclass(frozen=True)
class LeadsProposal:
    """The plan drawn, its explanation, its stored record (when saved) and the file written (when asked)."""

    dataset: str
    plan: Plan
    explanation: Explanation
    saved: PlanRecord | None
    out: Path | None

    def to_dict(self) -> dict[str, Any]:
        saved = self.saved.to_dict() if self.saved else None
        return {"plan": self.plan.to_dict(), "explanation": self.explanation.to_dict(), "saved": saved}


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
    apparatus = uow.datasets.load(name=dataset, progress=progress)
    plan, explanation = propose(apparatus, spec, progress=progress)
    plan, record = keep_proposal(uow, plan, dataset=dataset, save=save, out=out)
    return LeadsProposal(dataset, plan, explanation, record, out)
