"""Proposals the demo makes with the optimizers and compares with the enacted reform.

The territorial proposal keeps every non-commune operation of the enacted plan (ministries, provinces,
the abolition of districts) and replaces the commune mergers with ones the territory optimizer draws
from the data: nested in the same 34 new provinces, with each province's number of new communes as its
target and a minimum commune area. It is then compared with the enacted mapping (adjusted Rand index,
share of enacted mergers reproduced exactly).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from reorg.model import Apparatus, level_rows
from reorg.optimize.territory import TerritorySpec, Weights, nesting_from_plan, propose
from reorg.plan import Merge, Operation, Plan, Rename, Split, apply
from reorg.plan.lineage import adjusted_rand_index, groups_reproduced, successors
from reorg.report.html import Figure

__all__ = ["COMMUNE_MIN_AREA_KM2", "Proposal", "territory_proposal"]

#: the commune area standard of NASC Res. 76/2025 and 112/2025 for communes that are neither
#: mountainous nor islands (km²); see shared reference §2.2
COMMUNE_MIN_AREA_KM2 = 30.0


@dataclasses.dataclass(frozen=True)
class Proposal:
    """A plan an optimizer drew, with its headline figures and a one-line summary."""

    plan: Plan
    description: str
    figures: Sequence[Figure]
    summary: str


def _without(plan: Plan, units: set[str]) -> tuple[Operation, ...]:
    """The operations of ``plan`` that touch none of ``units`` nor what they become (the parts a split
    makes of them, the unit a merge forms of them), in order."""
    reached = set(units)
    kept: list[Operation] = []
    for op in plan.operations:
        if isinstance(op, Merge) and reached.intersection(op.units):
            reached.add(op.into.id)
        elif isinstance(op, Split) and op.unit in reached:
            reached.update(part.id for part in op.parts)
        elif not (isinstance(op, Rename) and op.unit in reached):
            kept.append(op)
    return tuple(kept)


def territory_proposal(baseline: Apparatus, enacted: Plan, seed: int) -> Proposal:
    """Communes regrouped by the territory optimizer inside the enacted provinces (see the module)."""
    rows = level_rows(baseline)["commune"]
    communes = [str(u) for u in baseline.units.id[rows].tolist()]
    after = apply(baseline, enacted)
    enacted_of = successors(after, communes)
    groups = nesting_from_plan(baseline, enacted, "commune", "province")
    reached: dict[str, set[str]] = {}
    for uid in communes:
        reached.setdefault(groups[uid], set()).add(enacted_of[uid])
    targets = {g: len(v) for g, v in reached.items()}
    spec = TerritorySpec(
        minimums={"area_km2": COMMUNE_MIN_AREA_KM2},
        target=targets,
        nest_by=groups,
        weights=Weights(compactness=1.0, balance=1.0, balance_by="population"),
        seed=seed,
    )
    drawn, explanation = propose(baseline, "commune", spec)
    kept = _without(enacted, set(communes))
    plan = Plan(
        baseline=enacted.baseline,
        operations=kept + drawn.operations,
        name="proposed-communes",
        description=f"{enacted.name} with the commune mergers drawn by the territory optimizer",
        require=(),
    )
    region_of = {uid: str(k) for k, region in enumerate(explanation.regions) for uid in region.members}
    proposed = [region_of[u] for u in communes]
    reference = [enacted_of[u] for u in communes]
    ari = adjusted_rand_index(proposed, reference)
    reproduced = groups_reproduced(proposed, reference)
    short = sum(not r.feasible for r in explanation.regions)
    figures = (
        Figure("regions drawn", f"{len(explanation.regions):,}", f"target {sum(targets.values()):,}"),
        Figure("adjusted Rand index vs enacted", f"{ari:.3f}", "1 = the same grouping"),
        Figure("enacted mergers reproduced", f"{reproduced:.1%}", "exactly the same members"),
        Figure(
            f"regions under {COMMUNE_MIN_AREA_KM2:g} km²", f"{short:,}", "where the province allows no better"
        ),
        Figure("optimizer time", f"{explanation.seconds:.1f} s"),
    )
    description = (
        "The enacted reform's provinces, ministries and abolition of districts, with the commune mergers "
        f"drawn from the data by the territory optimizer: contiguous, at least {COMMUNE_MIN_AREA_KM2:g} km² "
        "where the province allows it, compact and balanced in population, each province's target being its "
        "number of new communes in the enacted plan. Commune areas and neighbours are estimates (see the "
        "dataset's README), so this shows the method, not a better map."
    )
    summary = (
        f"{len(explanation.regions):,} regions, ARI {ari:.3f}, {reproduced:.1%} of enacted mergers reproduced"
    )
    return Proposal(plan, description, figures, summary)
