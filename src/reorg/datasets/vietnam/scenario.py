"""Proposals the demo makes with the optimizers and compares with the enacted reform.

The territorial proposal keeps every non-commune operation of the enacted plan (ministries, provinces,
the abolition of districts) and replaces the commune mergers with ones the territory optimizer draws
from the data: nested in the same 34 new provinces, with each province's number of new communes as its
target and a minimum commune area. The Party and Front committees of the communes follow the drawn
mergers (the optimizer merges the agencies of merged territories that lead a common task,
``reorg.plan.follow``), as they follow the enacted ones. It is then compared with the
enacted mapping (adjusted Rand index, share of enacted mergers reproduced exactly), with and without
the cohesion term.

The spec (``commune_spec``) is fixed from the reform's rules and the optimizer's conventions, never
tuned toward the enacted answer:

- each commune's minimum area and population are the standards of its kind (NASC Res. 112/2025,
  shared reference §2.2: 5.5 km² and 21,000 people for a ward, 15 km² and 2,500 for an island
  commune, 30 km² and 16,000 for other communes), which a region must fill (``standard_minimums``; a
  region with a ward becomes a ward, docs/territory.md), unless it merges three former communes or
  more: NASC Res. 76/2025, the rule of the 2025 arrangement, judges a new commune by both standards
  and waives them for a merger of three units or more (shared reference §2.2), so the spec does the
  same (``standard_waiver = 3``). Until issue 13 the spec had the area standard only and no waiver,
  which is a stricter rule than the one the planners applied (a region of three small communes had to
  reach the area anyway) and a looser one for pairs and single communes (no population minimum).
  Commune populations are estimates (each commune has its new province's mean, dataset README), so
  the population standard says how many former communes a pair or single commune must stand for in
  each province, nothing finer;
- compactness 1 and population balance 1 (a weight of 1 is "as important as compactness");
- cohesion 1 with the former districts: the district was the frame a commune's records, staff and
  services came from, and new communes may be named after their former district (shared reference
  §2.2), so a new commune that stays inside one former district hands over to one former district
  office. The weight is the neutral 1, the same as compactness; crossing a district border stays
  allowed (the area minimum forces it where a district's communes are too small together).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from reorg.model import Apparatus, level_rows
from reorg.optimize import merge
from reorg.optimize.territory import Explanation, TerritorySpec, Weights, nesting_from_plan, propose
from reorg.plan import Merge, Operation, Plan, Rename, Split, Transfer, apply
from reorg.plan.lineage import adjusted_rand_index, groups_reproduced, successors
from reorg.report.html import Figure

__all__ = [
    "CENTRAL_MERGE_SPEC",
    "COMMUNE_COHESION",
    "COMMUNE_MIN_AREA_KM2",
    "ENACTED_CENTRAL_MERGERS",
    "STANDARD_WAIVER",
    "Proposal",
    "central_merge_proposal",
    "commune_spec",
    "territory_proposal",
]

#: the commune area standard of NASC Res. 76/2025 and 112/2025 for communes that are neither
#: mountainous nor islands (km²); see shared reference §2.2. The spec takes each unit's own standard
#: (the dataset's standards.csv, by kind and class); this is the one most communes have
COMMUNE_MIN_AREA_KM2 = 30.0
#: NASC Res. 76/2025 waives the standards for a merger of at least this many communes (see the module)
STANDARD_WAIVER = 3
#: keep the communes of a former district together, as important as compactness (see the module)
COMMUNE_COHESION = {"district": 1.0}


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
        elif isinstance(op, Transfer) and reached.intersection((op.from_unit, op.to_unit)):
            continue
        elif not (isinstance(op, Rename) and op.unit in reached):
            kept.append(op)
    return tuple(kept)


def commune_spec(
    targets: dict[str, int], groups: dict[str, str], seed: int, *, cohesion: bool = True
) -> TerritorySpec:
    """The demo's commune spec (see the module): each new province's target, nested in the new
    provinces, the area and population standards of each commune's kind (waived for three communes or
    more), compactness, population balance and (unless
    ``cohesion`` is False, the comparison run) cohesion with the former districts."""
    return TerritorySpec(
        standard_minimums=("area_km2", "population"),
        standard_waiver=STANDARD_WAIVER,
        target=targets,
        nest_by=groups,
        weights=Weights(
            compactness=1.0,
            balance=1.0,
            balance_by="population",
            cohesion=COMMUNE_COHESION if cohesion else {},
        ),
        seed=seed,
    )


def territory_proposal(baseline: Apparatus, enacted: Plan, seed: int) -> Proposal:
    """Communes regrouped by the territory optimizer inside the enacted provinces (see the module)."""
    rows = level_rows(baseline)["commune"]
    communes = [str(u) for u in baseline.units.id[rows].tolist()]
    committees = baseline.units.id[np.isin(baseline.units.parent, rows)].tolist()
    after = apply(baseline, enacted)
    enacted_of = successors(after, communes)
    groups = nesting_from_plan(baseline, enacted, "commune", "province")
    reached: dict[str, set[str]] = {}
    for uid in communes:
        reached.setdefault(groups[uid], set()).add(enacted_of[uid])
    targets = {g: len(v) for g, v in reached.items()}
    drawn, explanation = propose(baseline, "commune", commune_spec(targets, groups, seed))
    kept = _without(enacted, {*communes, *committees})
    plan = Plan(
        baseline=enacted.baseline,
        operations=kept + drawn.operations,
        name="proposed-communes",
        description=f"{enacted.name} with the commune mergers drawn by the territory optimizer",
        require=(),
    )
    reference = [enacted_of[u] for u in communes]
    ari, reproduced = _resemblance(explanation, communes, reference)
    _, plain = propose(baseline, "commune", commune_spec(targets, groups, seed, cohesion=False))
    ari_plain, reproduced_plain = _resemblance(plain, communes, reference)
    crossing = sum(len(r.spans.get("district", ())) > 1 for r in explanation.regions)
    short = sum(not r.feasible for r in explanation.regions)
    figures = (
        Figure("regions drawn", f"{len(explanation.regions):,}", f"target {sum(targets.values()):,}"),
        Figure(
            "adjusted Rand index vs enacted",
            f"{ari:.3f}",
            f"1 = the same grouping; {ari_plain:.3f} without the cohesion term",
        ),
        Figure(
            "enacted mergers reproduced",
            f"{reproduced:.1%}",
            f"exactly the same members; {reproduced_plain:.1%} without the cohesion term",
        ),
        Figure("regions across a former district", f"{crossing:,}", "cohesion is soft"),
        Figure(
            "regions short of their standards",
            f"{short:,}",
            "by kind: 5.5 km² and 21,000 people for wards, 30 km² and 16,000 for communes, waived for "
            "three communes or more; where the province allows no better",
        ),
        Figure("optimizer time", f"{explanation.seconds:.1f} s"),
    )
    description = (
        "The enacted reform's provinces, ministries and abolition of districts, with the commune mergers "
        "drawn from the data by the territory optimizer: contiguous, filling the area and population "
        f"standards of each commune's kind (5.5 km² for a ward, {COMMUNE_MIN_AREA_KM2:g} km² for other "
        "communes), waived as in 2025 for a merger of three communes or more, where the province allows "
        "it, compact, balanced in population and, where the area allows, inside "
        "one former district, each province's target being its number of new communes in the enacted "
        "plan. Commune areas and neighbours are estimates (see the dataset's README), so this shows the "
        "method, not a better map."
    )
    summary = (
        f"{len(explanation.regions):,} regions, ARI {ari:.3f}, {reproduced:.1%} of enacted mergers reproduced"
    )
    return Proposal(plan, description, figures, summary)


#: the spec of docs/specs/merge-central.toml, fixed before any merge proposal was drawn (a test keeps
#: the two equal): the optimizer's defaults
CENTRAL_MERGE_SPEC = merge.MergeSpec(min_similarity=0.5, field_weight=0.8)
#: the 2025 central mergers, as the issue lists them (CEMA with the religious affairs of MOHA)
ENACTED_CENTRAL_MERGERS = (
    ("mpi", "mof"),
    ("mot", "moc"),
    ("mard", "monre"),
    ("mic", "most"),
    ("molisa", "moha"),
    ("cema", "moha"),
)


def central_merge_proposal(baseline: Apparatus, enacted: Plan, seed: int) -> Proposal:
    """The central bodies merged by the merge optimizer under ``CENTRAL_MERGE_SPEC``, and how many of
    the enacted 2025 central mergers it reproduces (a pair is reproduced when one proposed operation
    holds both bodies). ``enacted`` and ``seed`` are not used: the spec was fixed without them."""
    drawn, why = merge.propose(baseline, "ministry", CENTRAL_MERGE_SPEC)
    plan = dataclasses.replace(drawn, baseline=enacted.baseline, name="proposed-central-mergers")
    groups = [set(r.units) for r in why.operations]
    hit = [p for p in ENACTED_CENTRAL_MERGERS if any(set(p) <= g for g in groups)]
    missed = [p for p in ENACTED_CENTRAL_MERGERS if p not in hit]
    shown = "; ".join(" + ".join(r.units) for r in why.operations)
    figures = (
        Figure(
            "enacted central mergers reproduced",
            f"{len(hit)} of {len(ENACTED_CENTRAL_MERGERS)}",
            f"reproduced: {', '.join('+'.join(p).upper() for p in hit) or 'none'}; "
            f"not: {', '.join('+'.join(p).upper() for p in missed) or 'none'}",
        ),
        Figure("central bodies", f"{int(why.totals['units'])} -> {int(why.totals['units_after'])}", shown),
        Figure("optimizer time", f"{why.seconds:.1f} s"),
    )
    description = (
        "The 30 central bodies merged by the merge optimizer where their work is the same: the share of "
        "one body's tasks another also holds, or related state-management fields (fields the same "
        "local agencies work in together), with the spec fixed before the comparison (least "
        "similarity 0.5, field weight 0.8). Shown beside the enacted 2025 mergers, honestly: the data "
        "give several merged ministries no shared task and no agency working in both fields."
    )
    summary = f"{len(why.operations)} mergers proposed; {len(hit)} of 6 enacted central mergers reproduced"
    return Proposal(plan, description, figures, summary)


def _resemblance(explanation: Explanation, communes: list[str], reference: list[str]) -> tuple[float, float]:
    """(adjusted Rand index, share of enacted merges reproduced) of a proposal's regions."""
    region_of = {uid: str(k) for k, region in enumerate(explanation.regions) for uid in region.members}
    proposed = [region_of[u] for u in communes]
    return adjusted_rand_index(proposed, reference), groups_reproduced(proposed, reference)
