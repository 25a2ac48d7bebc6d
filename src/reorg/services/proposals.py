"""Use cases of the web app's proposals page: a territorial, leads, merge, internal-model or abolition
proposal started as a background job (``reorg.services.jobs``) that stores its plan.

The fields of the page's forms (and of the JSON bodies of the API) are mapped here to the optimizers'
specs, each bad field an InputError naming it. Who may propose is decided before the job is queued, so
that a refusal is answered at once: ``propose`` and ``save_plan`` (the plan is always stored). A unit
officer may propose only within their subtree, and no optimizer can be held to a subtree (a
territorial proposal redraws every unit of a level of the whole dataset, a leads proposal every task
in every place, a merge every unit of a level, an internal model every merged unit of a plan, an
abolition a whole level), so unit officers are refused with a ForbiddenError that says so.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from reorg.errors import ForbiddenError, InputError
from reorg.optimize.abolish import AbolishSpec
from reorg.optimize.duties import LeadsSpec
from reorg.optimize.merge import MergeSpec
from reorg.optimize.territory import TerritorySpec, Weights
from reorg.optimize.territory.solve import Effort
from reorg.progress import Progress
from reorg.services import access, jobs
from reorg.services.abolish import propose_abolish_level
from reorg.services.leads import propose_leads
from reorg.services.merge import propose_internal_model, propose_merge
from reorg.services.plans import Proposal
from reorg.services.territory import propose_territory
from reorg.store import UnitOfWork, check_name

__all__ = [
    "SUBTREE_REFUSAL",
    "AbolishFields",
    "InternalFields",
    "LeadsFields",
    "MergeFields",
    "TerritoryFields",
    "abolish_spec",
    "internal_spec",
    "leads_spec",
    "merge_spec",
    "start_abolish",
    "start_internal",
    "start_leads",
    "start_merge",
    "start_territory",
    "territory_spec",
]

#: why a unit officer may not propose from the web app (one sentence, translated as a whole)
SUBTREE_REFUSAL = "a {kind} proposal redraws the whole dataset and cannot be held to a unit officer's subtree"
#: the longest time limit a web proposal may ask for, in seconds per solve
MAX_TIME_LIMIT_S = 3600.0
#: the merged units an internal-model job keeps for its page (the plan holds them all)
SHOWN_UNITS = 50


@dataclasses.dataclass(frozen=True)
class TerritoryFields:
    """The territorial proposal form: group the units of ``level`` of ``dataset`` into ``target`` regions
    (None: as many as the minimums allow) of at least ``min_population`` people and ``min_area_km2`` km²,
    within each unit's ``nest_by`` ("parent", a level name, or "none"); ``cohesion`` weighs keeping the
    members of each former ``cohesion_by`` unit together; ``seed`` fixes the randomness; ``time_limit_s``
    caps each solve (seconds, None: none). The plan is stored as ``save``."""

    dataset: str
    level: str
    save: str
    target: int | None = None
    min_population: float | None = None
    min_area_km2: float | None = None
    nest_by: str = "parent"
    cohesion: float = 0.0
    cohesion_by: str = "parent"
    seed: int = 0
    time_limit_s: float | None = None


@dataclasses.dataclass(frozen=True)
class LeadsFields:
    """The leads proposal form: one lead per task and place in ``dataset``, each unit holding at most
    ``max_per_unit`` lead duties (None: no limit); the plan is stored as ``save``."""

    dataset: str
    save: str
    max_per_unit: int | None = None


@dataclasses.dataclass(frozen=True)
class MergeFields:
    """The merge proposal form: merge the units of ``level`` of ``dataset`` whose work is the same,
    ``target`` units per place (None: every merger the similarity allows), every two merged at least
    ``min_similarity`` alike, a merged unit holding at most ``max_tasks`` tasks and ``max_headcount``
    people (None: no limit); the plan is stored as ``save``."""

    dataset: str
    level: str
    save: str
    target: int | None = None
    min_similarity: float = MergeSpec.min_similarity
    max_tasks: int | None = None
    max_headcount: float | None = None


@dataclasses.dataclass(frozen=True)
class InternalFields:
    """The internal-model form: the departments of the units stored plan ``plan`` (on ``dataset``)
    merges — of ``level`` only, when not blank — consolidated where their tasks overlap, with the merge
    form's ``target`` (departments per merged unit), ``min_similarity``, ``max_tasks`` and
    ``max_headcount``; the plan (``plan`` followed by the department operations) is stored as
    ``save``."""

    dataset: str
    plan: str
    save: str
    level: str = ""
    target: int | None = None
    min_similarity: float = MergeSpec.min_similarity
    max_tasks: int | None = None
    max_headcount: float | None = None


@dataclasses.dataclass(frozen=True)
class AbolishFields:
    """The abolition form: abolish ``level`` of ``dataset``, tasks not led above going ``prefer``
    ("down" or "up"); the plan is stored as ``save``."""

    dataset: str
    level: str
    save: str
    prefer: str = "down"


def _number(value: float | None, field: str, *, low: float = 0.0, high: float = math.inf) -> None:
    if value is not None and (not math.isfinite(value) or not low <= value <= high):
        bounds = f"a number from {low:g}" + (f" to {high:g}" if math.isfinite(high) else " up")
        raise InputError("territory proposal", bounds, field=field, value=str(value))


def territory_spec(fields: TerritoryFields) -> TerritorySpec:
    """The spec the form asks for; InputError naming the field that is wrong."""
    where = "territory proposal"
    if not fields.level.strip():
        raise InputError(where, "a level name, e.g. commune", field="level")
    if fields.target is not None and fields.target < 1:
        raise InputError(where, "a positive number of regions", field="target", value=str(fields.target))
    _number(fields.min_population, "min_population")
    _number(fields.min_area_km2, "min_area_km2")
    _number(fields.cohesion, "cohesion", high=1000.0)
    _number(fields.time_limit_s, "time_limit_s", low=0.1, high=MAX_TIME_LIMIT_S)
    minimums = {
        key: value
        for key, value in (("population", fields.min_population), ("area_km2", fields.min_area_km2))
        if value
    }
    if fields.target is None and not minimums:
        raise InputError(where, "a target number of regions, or a minimum population or area", field="target")
    if fields.cohesion and not fields.cohesion_by.strip():
        raise InputError(where, '"parent", a level name or an attribute', field="cohesion_by")
    nest_by = fields.nest_by.strip()
    try:
        return TerritorySpec(
            minimums=minimums,
            target=fields.target,
            nest_by="" if nest_by == "none" else nest_by,
            weights=Weights(
                cohesion={fields.cohesion_by.strip(): fields.cohesion} if fields.cohesion else {}
            ),
            seed=fields.seed,
            effort=Effort(time_limit_s=fields.time_limit_s),
        )
    except ValueError as exc:
        raise InputError(where, str(exc)) from None


def leads_spec(fields: LeadsFields) -> LeadsSpec:
    """The spec the form asks for; InputError naming the field that is wrong."""
    try:
        return LeadsSpec(max_per_unit=fields.max_per_unit)
    except ValueError as exc:
        raise InputError(
            "leads proposal", str(exc), field="max_per_unit", value=str(fields.max_per_unit)
        ) from None


def merge_spec(fields: MergeFields) -> MergeSpec:
    """The spec the form asks for; InputError naming the field that is wrong."""
    where = "merge proposal"
    if not fields.level.strip():
        raise InputError(where, "a level name, e.g. department", field="level")
    return _merge_spec(where, fields)


def internal_spec(fields: InternalFields) -> MergeSpec:
    """The spec the form asks for (the merge form's fields, for the departments); InputError naming the
    field that is wrong."""
    if not fields.plan.strip():
        raise InputError("internal model", "the name of a stored plan that merges units", field="plan")
    return _merge_spec("internal model", fields)


def _merge_spec(where: str, fields: MergeFields | InternalFields) -> MergeSpec:
    checks = (
        ("target", fields.target, "a positive whole number"),
        ("max_tasks", fields.max_tasks, "a positive whole number"),
        ("max_headcount", fields.max_headcount, "a positive number"),
    )
    for name, value, expected in checks:
        if value is not None and (not math.isfinite(value) or value <= 0):
            raise InputError(where, expected, field=name, value=str(value))
    if not math.isfinite(fields.min_similarity) or not 0 < fields.min_similarity <= 1:
        raise InputError(
            where, "a number above 0 and at most 1", field="min_similarity", value=str(fields.min_similarity)
        )
    try:
        return MergeSpec(
            target=fields.target,
            min_similarity=fields.min_similarity,
            max_tasks=fields.max_tasks,
            max_headcount=fields.max_headcount,
        )
    except ValueError as exc:
        raise InputError(where, str(exc)) from None


def abolish_spec(fields: AbolishFields) -> AbolishSpec:
    """The spec the form asks for; InputError naming the field that is wrong."""
    if not fields.level.strip():
        raise InputError("abolition proposal", "a level name, e.g. district", field="level")
    if fields.prefer not in ("down", "up"):
        raise InputError("abolition proposal", '"down" or "up"', field="prefer", value=fields.prefer[:20])
    return AbolishSpec(prefer="down" if fields.prefer == "down" else "up")


def _may_propose(viewer: access.Principal, kind: str) -> None:
    """ForbiddenError unless ``viewer`` may propose and store a plan from the web app (see the module)."""
    access.require(viewer, "propose")
    if viewer.role == access.SCOPED_ROLE:
        raise ForbiddenError(SUBTREE_REFUSAL.format(kind=kind), action="propose", role=viewer.role)
    access.require(viewer, "save_plan")


def _stored(proposal: Proposal[Any]) -> dict[str, Any]:
    """What a proposal's job shows of it: the plan stored, its baseline and size."""
    record = proposal.saved
    assert record is not None  # the web app always stores the plan
    return {
        "plan": record.name,
        "version": record.version,
        "baseline": record.baseline,
        "operations": len(proposal.plan.operations),
    }


def start_territory(
    runner: jobs.JobRunner, *, viewer: access.Principal, actor: str, fields: TerritoryFields
) -> jobs.Job:
    """Queue a territorial proposal for ``viewer`` (audited as ``actor``) that stores its plan."""
    _may_propose(viewer, "territorial")
    spec = territory_spec(fields)
    save = check_name(fields.save, "plan name")

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        proposal = propose_territory(
            uow, dataset=fields.dataset, level=fields.level.strip(), spec=spec, save=save, progress=progress
        )
        objective = proposal.explanation.objective
        return {
            **_stored(proposal),
            "regions": int(objective["regions"]),
            "below_minimum": int(objective["regions_below_minimum"]),
            "timed_out": proposal.explanation.timed_out,
        }

    title = f"{fields.dataset} · {fields.level} → {save}"
    return runner.submit(owner=viewer, actor=actor, kind="territory", title=title, work=work)


def start_leads(
    runner: jobs.JobRunner, *, viewer: access.Principal, actor: str, fields: LeadsFields
) -> jobs.Job:
    """Queue a leads proposal for ``viewer`` (audited as ``actor``) that stores its plan."""
    _may_propose(viewer, "leads")
    spec = leads_spec(fields)
    save = check_name(fields.save, "plan name")

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        proposal = propose_leads(uow, dataset=fields.dataset, spec=spec, save=save, progress=progress)
        return {**_stored(proposal), "cells": int(proposal.explanation.totals["cells"])}

    return runner.submit(
        owner=viewer, actor=actor, kind="leads", title=f"{fields.dataset} → {save}", work=work
    )


def start_merge(
    runner: jobs.JobRunner, *, viewer: access.Principal, actor: str, fields: MergeFields
) -> jobs.Job:
    """Queue a merge proposal for ``viewer`` (audited as ``actor``) that stores its plan."""
    _may_propose(viewer, "merge")
    spec = merge_spec(fields)
    save = check_name(fields.save, "plan name")

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        proposal = propose_merge(
            uow, dataset=fields.dataset, level=fields.level.strip(), spec=spec, save=save, progress=progress
        )
        totals = proposal.explanation.totals
        return {**_stored(proposal), "units": int(totals["units"]), "units_after": int(totals["units_after"])}

    title = f"{fields.dataset} · {fields.level} → {save}"
    return runner.submit(owner=viewer, actor=actor, kind="merge", title=title, work=work)


def start_internal(
    runner: jobs.JobRunner, *, viewer: access.Principal, actor: str, fields: InternalFields
) -> jobs.Job:
    """Queue an internal-model proposal for ``viewer`` (audited as ``actor``) that stores its plan; the
    job's result holds the totals and the first SHOWN_UNITS merged units for its page."""
    _may_propose(viewer, "post-merger")
    spec = internal_spec(fields)
    save = check_name(fields.save, "plan name")
    level = fields.level.strip() or None

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        proposal = propose_internal_model(
            uow,
            dataset=fields.dataset,
            plan=fields.plan.strip(),
            spec=spec,
            level=level,
            save=save,
            progress=progress,
        )
        ex = proposal.explanation
        rows = [
            {
                "unit": u.unit,
                "name": u.name,
                "predecessors": list(u.predecessors),
                "departments": [u.departments_before, u.departments_merged, u.departments_after],
                "headcount": u.headcount_after,
                "quota": u.quota_after,
                "over_quota": u.over_quota,
                "leaders": [u.leaders_before, u.leaders_merged, u.leaders_after],
                "operations": [
                    {"kind": r.kind, "units": list(r.units), "into": r.into, "shared_tasks": r.shared_tasks}
                    for r in u.operations
                ],
            }
            for u in ex.units[:SHOWN_UNITS]
        ]
        totals = {k: int(v) for k, v in ex.totals.items()}
        return {**_stored(proposal), "merger": ex.merger, "internal": totals, "merged": rows}

    title = f"{fields.dataset} · {fields.plan} → {save}"
    return runner.submit(owner=viewer, actor=actor, kind="internal", title=title, work=work)


def start_abolish(
    runner: jobs.JobRunner, *, viewer: access.Principal, actor: str, fields: AbolishFields
) -> jobs.Job:
    """Queue an abolition proposal for ``viewer`` (audited as ``actor``) that stores its plan."""
    _may_propose(viewer, "abolition")
    spec = abolish_spec(fields)
    save = check_name(fields.save, "plan name")

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        proposal = propose_abolish_level(
            uow, dataset=fields.dataset, level=fields.level.strip(), spec=spec, save=save, progress=progress
        )
        totals = proposal.explanation.totals
        return {
            **_stored(proposal),
            "tasks_up": int(totals["tasks_up"]),
            "tasks_down": int(totals["tasks_down"]),
        }

    title = f"{fields.dataset} · {fields.level} → {save}"
    return runner.submit(owner=viewer, actor=actor, kind="abolish", title=title, work=work)
