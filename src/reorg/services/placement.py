"""Use case: place the people of a stored plan's replaced units into its new units by merit, list the
surplus with the regime a benefit ruleset gives each, and optionally store the plan extended with the
placement's ``move_people`` and ``release_people`` operations (docs/people.md, "Placement").

The scores come from evaluating the baseline's people (``reorg.people.evaluate``); the quotas from a CSV
file (``reorg.io.quotas``) or derived. Per person, salary-derived figures (amount, saving) and personal
data (birth date, salary coefficient) appear only with ``personal=True``; the aggregates always do.
A ``viewer`` (the web app) must be allowed ``read_national`` (a plan's effect across units) and, for
``personal``, ``read_personal``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.people import EvaluationConfig, Placement, PlacementConfig, load_ruleset, place
from reorg.people import evaluate as evaluate_people
from reorg.progress import Progress
from reorg.report.people import write_placement_xlsx
from reorg.services import access
from reorg.services.plans import keep_proposal
from reorg.services.resolve import load_dataset, resolve
from reorg.store import PlanRecord, UnitOfWork

__all__ = ["Placed", "place_people", "placement_view"]


@dataclasses.dataclass(frozen=True, eq=False)
class Placed:
    """A placement on a stored plan, with what the caller may see (``personal``)."""

    dataset: str
    plan: str
    synthetic: tuple[str, ...]
    placement: Placement
    baseline: Apparatus
    score: np.ndarray[Any, Any]
    personal: bool
    currency: str
    ruleset: str
    illustrative: bool
    saved: PlanRecord | None = None
    xlsx: Path | None = None
    #: may the caller see who is placed and who is surplus (False: counts only)
    lists: bool = True

    def _person(self, i: int) -> dict[str, Any]:
        pr = self.placement.problem
        score = float(self.score[i])
        row: dict[str, Any] = {
            "id": str(pr.person_id[i]),
            "unit": pr.units[int(pr.unit[i])],
            "from": str(pr.came_from[i]),
            "was": pr.positions[int(pr.current[i])] if pr.current[i] >= 0 else "",
            "score": round(score, 2) if np.isfinite(score) else None,
        }
        if self.personal:
            p = self.baseline.people
            birth = p.birth_date[pr.person[i]]
            coefficient = float(p.salary_coefficient[pr.person[i]])
            row["birth_date"] = None if np.isnat(birth) else str(birth)
            row["salary_coefficient"] = coefficient if np.isfinite(coefficient) else None
        return row

    def placed_rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The people placed, by unit, leaders first, then position: who, where from, the post now."""
        pl = self.placement
        at = np.flatnonzero(pl.placed)
        pr = pl.problem
        at = at[
            np.lexsort(
                (
                    pr.person_id[at].astype(str),
                    pr.slot_position[pl.slot[at]],
                    ~pl.leader_pass[at],
                    pr.unit[at],
                )
            )
        ]
        out = []
        for i in at[:limit].tolist():
            row = self._person(i)
            row.update(
                position=pl.position_of(i),
                leader=bool(pl.leader_pass[i]),
                fit=round(int(pl.fit[i]) / 100, 2),
            )
            out.append(row)
        return out

    def surplus_rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The surplus, by regime then unit: who, the regime (and, with ``personal``, the amount)."""
        pl = self.placement
        surplus = pl.surplus()
        regimes = pl.regime_of_surplus()
        order = sorted(
            range(len(surplus)), key=lambda j: (regimes[j], pl.problem.units[pl.problem.unit[surplus[j]]])
        )
        out = []
        for j in order[:limit]:
            row = self._person(int(surplus[j]))
            row["regime"] = regimes[j] or None
            if self.personal and pl.benefits is not None:
                row["amount"] = float(pl.benefits.amount[j])
                row["annual_saving"] = float(pl.benefits.saving[j])
            out.append(row)
        return out

    def by_unit(self) -> list[dict[str, Any]]:
        """Per new unit: candidates, posts, placed, surplus, and the posts per position type."""
        pr = self.placement.problem
        n = len(pr.units)
        candidates = np.bincount(pr.unit, minlength=n)
        placed = np.bincount(pr.unit[self.placement.placed], minlength=n)
        slots = np.bincount(pr.slot_unit, weights=pr.quota, minlength=n)
        filled = self.placement.filled()
        out = []
        for u, uid in enumerate(pr.units):
            mine = np.flatnonzero(pr.slot_unit == u)
            posts = {pr.positions[int(pr.slot_position[s])]: [int(filled[s]), int(pr.quota[s])] for s in mine}
            out.append(
                {
                    "unit": uid,
                    "candidates": int(candidates[u]),
                    "posts": int(slots[u]),
                    "placed": int(placed[u]),
                    "surplus": int(candidates[u] - placed[u]),
                    "filled_of_posts": posts,
                }
            )
        return out

    def totals(self) -> dict[str, Any]:
        """Counts, and the benefit cost, annual payroll saved and payback of the surplus."""
        b = self.placement.benefits
        total = b.total if b is not None else None
        return {
            **self.placement.counts(),
            "objective": {
                "leaders": self.placement.objective[0] / 100,
                "others": self.placement.objective[1] / 100,
            },
            "cost": total.cost if total else 0.0,
            "annual_saving": total.annual_saving if total else 0.0,
            "payback_years": total.payback_years if total else None,
        }

    def to_dict(self) -> dict[str, Any]:
        if not self.lists:
            return {
                "dataset": self.dataset,
                "plan": self.plan,
                "synthetic": list(self.synthetic),
                "ruleset": {
                    "name": self.ruleset,
                    "currency": self.currency,
                    "illustrative": self.illustrative,
                },
                "personal": False,
                "totals": self.totals(),
                "units": self.by_unit(),
            }
        return {
            "dataset": self.dataset,
            "plan": self.plan,
            "synthetic": list(self.synthetic),
            "ruleset": {"name": self.ruleset, "currency": self.currency, "illustrative": self.illustrative},
            "personal": self.personal,
            "totals": self.totals(),
            "units": self.by_unit(),
            "placed": self.placed_rows(),
            "surplus": self.surplus_rows(),
            "operations": [op.to_dict() for op in self.placement.to_plan()],
            "saved": self.saved.to_dict() if self.saved else None,
        }


def place_people(
    uow: UnitOfWork,
    *,
    dataset: str,
    plan: str,
    quotas: dict[str, dict[str, int]] | None = None,
    config: PlacementConfig | None = None,
    evaluation: EvaluationConfig | None = None,
    ruleset: Path | None = None,
    as_of: dt.date,
    decision_date: dt.date | None = None,
    personal: bool = False,
    save: str | None = None,
    xlsx: Path | None = None,
    viewer: access.Principal | None = None,
    progress: Progress | None = None,
) -> Placed:
    """Place the people of stored plan ``plan`` (on dataset ``dataset``, its baseline) by merit, the
    surplus leaving on ``as_of`` under ``ruleset`` (None: Decree 178 as amended); with ``save``, store
    the plan followed by the placement's operations as plan ``save``; with ``xlsx``, write the lists."""
    if viewer is not None:
        access.require(viewer, "read_national")
        if personal:
            access.require(viewer, "read_personal")
        if save:
            access.require(viewer, "save_plan")
    rules = load_ruleset(ruleset)
    found = resolve(uow, plan, progress=progress)
    if found.plan is None:
        raise InputError("PLAN", "a stored plan (not a dataset)", value=plan)
    if found.plan.baseline != dataset:
        raise InputError("PLAN", f"a plan on {dataset} (it is on {found.plan.baseline})", value=plan)
    before = load_dataset(uow, name=dataset, version=found.plan.baseline_version, progress=progress)
    ev = evaluate_people(before, evaluation, progress=progress)
    scores = np.full(len(before.people), np.nan)
    scores[ev.person] = ev.score
    placement = place(before, found.apparatus, scores, config, quotas=quotas, progress=progress)
    placement = placement.with_regimes(before, rules, as_of=as_of, decision_date=decision_date)
    saved = None
    if save:
        stored = uow.plans.load(name=plan, version=found.plan.version)
        extended = dataclasses.replace(stored, operations=stored.operations + placement.to_plan(), name=save)
        _, saved = keep_proposal(uow, extended, dataset=dataset, save=save, out=None)
    result = Placed(
        dataset,
        plan,
        tuple(found.info.synthetic),
        placement,
        before,
        scores[placement.problem.person],
        personal,
        rules.currency,
        rules.name,
        rules.illustrative,
        saved,
    )
    if xlsx is not None:
        write_placement_xlsx(xlsx, result.to_dict())
        result = dataclasses.replace(result, xlsx=xlsx)
    return result


def placement_view(
    uow: UnitOfWork, *, plan: str, viewer: access.Principal, as_of: dt.date | None = None
) -> Placed:
    """The placement of stored plan ``plan`` on its baseline, computed in the request (milliseconds on
    Examplia), as ``viewer`` may see it: everyone with ``read_national`` sees the totals and the new
    units; who is placed and who is surplus, with amounts, only with ``read_personal``. The surplus
    leaves on ``as_of`` (default: today) under Decree 178 as amended."""
    access.require(viewer, "read_national")
    personal = access.may(viewer, "read_personal")
    if not uow.plans.exists(name=plan):
        raise NotFoundError(f"no stored plan {plan!r}")
    baseline = uow.plans.get(name=plan).baseline
    placed = place_people(
        uow, dataset=baseline, plan=plan, as_of=as_of or dt.date.today(), personal=personal, viewer=viewer
    )
    return dataclasses.replace(placed, lists=personal)
