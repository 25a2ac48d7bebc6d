"""Use case of the people page: a dataset's evaluation as a viewer may see it.

Everyone who may read sees the rating counts per level of unit and per unit (a unit officer: of their
subtree only) and how many people are on the screening list and in the talent pool; only roles with
``read_personal`` see who is on those lists (ids, units, scores). The plans stored on the dataset are
listed, for their placement (``reorg.services.placement.placement_view``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from reorg.people import EvaluationConfig
from reorg.people import evaluate as evaluate_people
from reorg.services import access
from reorg.services.resolve import resolve
from reorg.store import UnitOfWork

__all__ = ["PeopleOverview", "people_overview"]

#: rows of each list shown on the page (the API and the CLI list everyone)
SHOWN = 50


@dataclasses.dataclass(frozen=True)
class PeopleOverview:
    """Rating counts (``columns``: the level names, then unrated) per level of unit and per unit, the
    lists' sizes, and (``personal``) their first rows."""

    dataset: str
    synthetic: tuple[str, ...]
    period: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    totals: dict[str, int]
    by_level: tuple[dict[str, Any], ...]
    by_unit: tuple[dict[str, Any], ...]
    personal: bool
    screening: tuple[dict[str, Any], ...]
    talent: tuple[dict[str, Any], ...]
    plans: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for key in ("columns", "labels", "synthetic", "by_level", "by_unit", "screening", "talent", "plans"):
            out[key] = list(out[key])
        if not self.personal:
            del out["screening"], out["talent"]
        return out


def people_overview(
    uow: UnitOfWork, *, name: str, viewer: access.Principal, config: EvaluationConfig | None = None
) -> PeopleOverview:
    """The evaluation of dataset (or plan result) ``name``'s people that ``viewer`` may see."""
    access.require(viewer, "read")
    personal = access.may(viewer, "read_personal")
    found = resolve(uow, name)
    app = found.apparatus
    ev = evaluate_people(app, config)
    seen = access.subtree(app, viewer)[ev.unit]
    columns = (*ev.config.names, "unrated")
    code_all = np.where(ev.rating < 0, 4, ev.rating).astype(np.int64)
    code = code_all[seen]

    def grouped(keys: np.ndarray[Any, Any], labels: list[str], first: str) -> tuple[dict[str, Any], ...]:
        table = np.bincount(keys * 5 + code, minlength=len(labels) * 5).reshape(len(labels), 5)
        return tuple(
            {first: labels[g], **{c: int(n) for c, n in zip(columns, table[g], strict=True)}}
            for g in np.flatnonzero(table.sum(axis=1)).tolist()
        )

    by_level = grouped(ev.level[seen].astype(np.int64), app.levels.name.tolist(), "level")
    by_unit = grouped(ev.unit[seen].astype(np.int64), app.units.id.tolist(), "unit")
    totals = {c: int(n) for c, n in zip(columns, np.bincount(code, minlength=5), strict=True)}
    totals.update(
        people=int(seen.sum()),
        screened=int(((ev.screen > 0) & seen).sum()),
        talent=int((ev.talent & seen).sum()),
    )

    def listed(mask: np.ndarray[Any, Any]) -> tuple[dict[str, Any], ...]:
        if not personal:
            return ()
        at = np.flatnonzero(mask & seen)
        at = at[np.argsort(ev.rank_level[at], kind="stable")][:SHOWN]
        return tuple(
            {
                "id": str(app.people.id[ev.person[i]]),
                "unit": str(app.units.id[ev.unit[i]]),
                "rating": columns[int(code_all[i])],
                "score": round(float(ev.score[i]), 2) if np.isfinite(ev.score[i]) else None,
                "rank_level": int(ev.rank_level[i]) or None,
            }
            for i in at.tolist()
        )

    plans = (
        tuple(dict.fromkeys(r.name for r in uow.plans.list(baseline=found.name)))
        if found.plan is None
        else ()
    )
    return PeopleOverview(
        found.name,
        tuple(found.info.synthetic),
        ev.period,
        columns,
        (*ev.config.labels, ""),
        totals,
        by_level,
        by_unit,
        personal,
        listed(ev.screen > 0),
        listed(ev.talent),
        plans,
    )
