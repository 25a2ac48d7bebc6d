"""Placement by merit: the people of the units a plan replaced, placed into the new units' positions.

After a plan, the **placing units** are the units its lineage leads to (merged, split, absorbing or
created units; a rename alone is not one). Their **candidates** are the people of the baseline who are
in a placing unit after the plan: the plan's operations pour the staff of the units they replace along
the lineage (merge, split by share, dissolve to the successor), so these are the people of the
predecessor units, and each is placed in the unit the plan put them in. Each placing unit has **quotas
by position type** (from a file, or derived: see ``derive_quotas``). The fit of candidate i in position
type t, in points, is

    fit = score_weight × score_i + position_weight × [t = i's position now]
          + continuity_weight × [i comes from the unit's seat]

where the score is the evaluation score (0–100; ``unrated_score`` for the unrated) and the seat is the
predecessor whose id the new unit keeps, else the one with most candidates, then the largest population,
then the smaller id.

**Leaders first**: in each unit, a first pass fills the leader positions (``leader_positions``) from all
candidates; a second pass fills the other positions from those left. Each pass places as many people
as its slots allow (nobody is left out while a slot is free) and, among those placements, maximizes the
total fit; both are solved exactly by min-cost flow (``reorg.people.assign``), one unit at a time (a
candidate belongs to one unit, so the problem decomposes per unit). Fits are compared in hundredths of a
point. Everyone not placed is **surplus**; ``with_regimes`` gives each the benefit regime a ruleset makes
them eligible for. ``Placement.to_plan`` turns the result into ``release_people`` operations (the
surplus, one per regime, the regime as reason), and ``move_people`` for placed people whose instance
says they are elsewhere (``Problem.now_in``; never for an instance built by ``problem``, where everyone
is already in the unit they are placed in).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.people.assign import assign
from reorg.people.benefits import Benefits, compute_benefits
from reorg.people.candidates import PlacementConfig, Problem, problem
from reorg.people.ruleset import Ruleset
from reorg.plan.operations import MovePeople, Operation, ReleasePeople
from reorg.progress import Progress, report

__all__ = ["Placement", "place", "solve"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: the release reason of a surplus person no regime covers
SURPLUS = "surplus"
_REPORT_EVERY = 200  # units between progress reports


@dataclasses.dataclass(frozen=True, eq=False)
class Placement:
    """Per candidate of ``problem``: ``slot`` (row of the problem's slots, -1 = surplus), ``leader_pass``
    (placed in the first, leader pass), ``fit`` (hundredths of a point; 0 for the surplus). ``objective``
    is the total fit of each pass (leaders, others). ``benefits`` (after ``with_regimes``) covers the
    surplus, in the order of ``surplus()``."""

    problem: Problem
    slot: IntArray
    leader_pass: BoolArray
    fit: IntArray
    objective: tuple[int, int]
    benefits: Benefits | None = None

    @property
    def placed(self) -> BoolArray:
        return self.slot >= 0

    def surplus(self) -> IntArray:
        """Candidate positions (into the problem's arrays) of the people not placed."""
        return np.flatnonzero(self.slot < 0)

    def position_of(self, i: int) -> str:
        """The position type candidate i is placed in ("" for surplus)."""
        s = int(self.slot[i])
        return self.problem.positions[int(self.problem.slot_position[s])] if s >= 0 else ""

    def regime_of_surplus(self) -> list[str]:
        """Per surplus person (order of ``surplus()``), the regime id they are eligible for ("" none)."""
        if self.benefits is None:
            return [""] * len(self.surplus())
        return [self.benefits.regime_id(i) for i in range(len(self.benefits.person))]

    def filled(self) -> IntArray:
        """People placed per slot row (never above its quota)."""
        return np.bincount(self.slot[self.placed], minlength=len(self.problem.quota)).astype(np.int64)

    def counts(self) -> dict[str, Any]:
        """Candidates, placed (of them in leader positions), surplus, slots, and surplus by regime."""
        by_regime: dict[str, int] = {}
        for r in self.regime_of_surplus():
            by_regime[r or SURPLUS] = by_regime.get(r or SURPLUS, 0) + 1
        leaders = self.problem.leader[self.problem.slot_position[self.slot[self.placed]]]
        return {
            "units": len(self.problem.units),
            "candidates": len(self.slot),
            "slots": int(self.problem.quota.sum()),
            "placed": int(self.placed.sum()),
            "placed_as_leaders": int(leaders.sum()),
            "surplus": len(self.surplus()),
            "surplus_by_regime": by_regime,
        }

    def with_regimes(
        self, before: Apparatus, ruleset: Ruleset, *, as_of: dt.date, decision_date: dt.date | None = None
    ) -> Placement:
        """This placement with the benefits ``ruleset`` gives the surplus leaving on ``as_of``."""
        rows = self.problem.person[self.surplus()]
        b = compute_benefits(before, ruleset, rows, as_of=as_of, decision_date=decision_date)
        return dataclasses.replace(self, benefits=b)

    def to_plan(self) -> tuple[Operation, ...]:
        """The operations that carry it out after the plan: ``move_people`` for the placed people the
        plan left in another unit (one per unit), ``release_people`` for the surplus (one per regime,
        the regime id as reason; ``surplus`` when none applies). Ids in id order."""
        pr = self.problem
        ops: list[Operation] = []
        placed = np.flatnonzero(self.placed)
        away = placed[pr.now_in[placed] != np.array(pr.units, dtype=object)[pr.unit[placed]]]
        for u in np.unique(pr.unit[away]).tolist():
            ids = sorted(pr.person_id[away[pr.unit[away] == u]].tolist())
            ops.append(MovePeople(pr.units[u], people=tuple(ids)))
        surplus = self.surplus()
        regimes = self.regime_of_surplus()
        for reason in sorted({r or SURPLUS for r in regimes}):
            ids = sorted(
                str(pr.person_id[i])
                for i, r in zip(surplus, regimes, strict=True)
                if (r or SURPLUS) == reason
            )
            ops.append(ReleasePeople(tuple(ids), reason=reason))
        return tuple(ops)


def solve(pr: Problem, *, progress: Progress | None = None) -> Placement:
    """Place the candidates of ``pr``: per unit, the leader pass then the others' pass, each exact."""
    n = len(pr.person)
    slot = np.full(n, -1, dtype=np.int64)
    first = np.zeros(n, dtype=bool)
    cand_order = np.argsort(pr.unit, kind="stable")
    cand_start = np.searchsorted(pr.unit[cand_order], np.arange(len(pr.units) + 1))
    slot_order = np.argsort(pr.slot_unit, kind="stable")
    slot_start = np.searchsorted(pr.slot_unit[slot_order], np.arange(len(pr.units) + 1))
    for u in range(len(pr.units)):
        mine = cand_order[cand_start[u] : cand_start[u + 1]]
        slots = slot_order[slot_start[u] : slot_start[u + 1]]
        for leaders in (True, False):
            free = mine[slot[mine] < 0]
            these = slots[pr.leader[pr.slot_position[slots]] == leaders]
            got = assign(pr.merit[free], pr.current[free], pr.slot_position[these], pr.quota[these], pr.bonus)
            slot[free[got >= 0]] = these[got[got >= 0]]
            first[free[got >= 0]] = leaders
        if (u + 1) % _REPORT_EVERY == 0 or u + 1 == len(pr.units):
            report(progress, u + 1, len(pr.units), "placing people")
    placed = slot >= 0
    fit = np.zeros(n, dtype=np.int64)
    fit[placed] = pr.merit[placed] + pr.bonus * (pr.current[placed] == pr.slot_position[slot[placed]])
    return Placement(pr, slot, first, fit, (int(fit[first].sum()), int(fit[placed & ~first].sum())))


def place(
    before: Apparatus,
    after: Apparatus,
    scores: npt.NDArray[np.float64],
    config: PlacementConfig | None = None,
    *,
    quotas: Mapping[str, Mapping[str, int]] | None = None,
    progress: Progress | None = None,
) -> Placement:
    """Place the people of the units the plan that made ``after`` from ``before`` replaced (see the
    module docstring); ``scores`` per baseline person (points, NaN = unrated)."""
    return solve(problem(before, after, scores, config, quotas), progress=progress)
