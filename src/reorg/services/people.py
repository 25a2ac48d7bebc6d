"""Use cases on people: evaluate a stored dataset's staff on their results, and compute the benefits owed
to people who leave under a ruleset (docs/people.md).

Who leaves is given by person ids, by units (with their subunits), or, for a stored plan, as the people
the plan releases (its person event log), each attributed to the operation that released them.
Salary-derived figures per person (amount, breakdown, annual saving) appear only with ``personal=True``;
by default a person is shown by id, unit and regime, with the aggregates per unit and in total.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reorg.errors import InputError
from reorg.model import RELEASED, Apparatus
from reorg.people import Benefits, Evaluation, EvaluationConfig, compute_benefits, load_ruleset
from reorg.people import evaluate as evaluate_people
from reorg.people.evaluate import SCREEN_BOTTOM, SCREEN_REPEATED
from reorg.progress import Progress
from reorg.report.people import write_benefits_xlsx, write_evaluation_xlsx
from reorg.services.resolve import Resolved, load_dataset, resolve
from reorg.store import UnitOfWork

__all__ = ["BenefitsReport", "Evaluated", "benefits", "evaluate"]


def _unit_rows(app: Apparatus, units: Sequence[str], source: str = "--units") -> list[int]:
    rows = []
    for i, u in enumerate(units):
        if u not in app.units.index:
            raise InputError(source, "the id of a unit of the dataset", row=i + 1, value=u)
        rows.append(app.units.index[u])
    return rows


@dataclasses.dataclass(frozen=True, eq=False)
class Evaluated:
    """The evaluation of a dataset's people (dataset name, version, what in it is synthetic)."""

    dataset: str
    version: int
    synthetic: tuple[str, ...]
    evaluation: Evaluation
    person_id: np.ndarray[Any, Any]
    unit_id: np.ndarray[Any, Any]
    level_name: np.ndarray[Any, Any]
    unit_ids: tuple[str, ...]
    xlsx: Path | None = None

    def _level(self, r: int) -> str:
        return self.evaluation.config.names[r] if r >= 0 else "unrated"

    def row(self, i: int) -> dict[str, Any]:
        """Person i (0-based in scope): id, unit, level, score (points), rating, ranks, lists."""
        ev = self.evaluation
        r = int(ev.rating[i])
        score = float(ev.score[i])
        return {
            "id": str(self.person_id[i]),
            "unit": str(self.unit_id[i]),
            "level": str(self.level_name[i]),
            "score": round(score, 2) if np.isfinite(score) else None,
            "rating": self._level(r),
            "label": ev.config.labels[r] if r >= 0 else "",
            "capped": bool(ev.capped[i]),
            "rank_unit": int(ev.rank_unit[i]) or None,
            "rank_level": int(ev.rank_level[i]) or None,
            "history": [self._level(int(h)) for h in ev.history[i]],
            "unrated": ["", "no results", "weights sum to 0"][int(ev.unrated[i])],
            "screened": _reasons(int(ev.screen[i]), ev),
            "talent": bool(ev.talent[i]),
        }

    def listed(self, name: str) -> np.ndarray[Any, Any]:
        """Positions (in scope) on list ``name``: "people" (everyone), "unrated", "screening" (by level,
        worst first) or "talent" (by level, best first)."""
        ev = self.evaluation
        if name == "people":
            return np.arange(len(ev.person))
        if name == "unrated":
            return np.flatnonzero(ev.rating < 0)
        mask = ev.screen > 0 if name == "screening" else ev.talent
        at = np.flatnonzero(mask)
        rank = -ev.rank_level[at] if name == "screening" else ev.rank_level[at]
        return at[np.lexsort((rank, ev.level[at]))]

    def rows(self, name: str = "people", limit: int | None = None) -> list[dict[str, Any]]:
        """The rows of list ``name`` (see ``listed``), the first ``limit`` of them (None = all)."""
        return [self.row(i) for i in self.listed(name)[:limit].tolist()]

    def by_unit(self) -> list[dict[str, Any]]:
        """Counts per level in each unit that has people in scope."""
        counts = self.evaluation.by_unit(len(self.unit_ids))
        names = [*self.evaluation.config.names, "unrated"]
        return [
            {"unit": self.unit_ids[u], **{n: int(c) for n, c in zip(names, counts[u], strict=True)}}
            for u in np.flatnonzero(counts.sum(axis=1)).tolist()
        ]

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        return {
            "dataset": self.dataset,
            "version": self.version,
            "synthetic": list(self.synthetic),
            "period": ev.period,
            "periods": list(ev.periods),
            "config": dataclasses.asdict(ev.config),
            "counts": ev.counts(),
            "units": self.by_unit(),
            **{name: self.rows(name) for name in ("people", "unrated", "screening", "talent")},
        }


def _reasons(bits: int, ev: Evaluation) -> list[str]:
    out = []
    if bits & SCREEN_REPEATED:
        out.append(f"{ev.config.names[3]} in the last {ev.config.screen_consecutive} periods")
    if bits & SCREEN_BOTTOM:
        out.append(f"bottom {ev.config.screen_bottom_share:.0%} of the level")
    return out


def evaluate(
    uow: UnitOfWork,
    *,
    dataset: str,
    config: EvaluationConfig | None = None,
    units: Sequence[str] | None = None,
    xlsx: Path | None = None,
    progress: Progress | None = None,
) -> Evaluated:
    """Evaluate the people of dataset (or plan) ``dataset`` (those of ``units`` and their subunits, or
    everyone); with ``xlsx``, also write the lists as a workbook."""
    found = resolve(uow, dataset, progress=progress)
    app = found.apparatus
    rows = _unit_rows(app, units) if units else None
    ev = evaluate_people(app, config, units=rows, progress=progress)
    unit = app.people.unit[ev.person]
    result = Evaluated(
        found.name,
        found.version,
        tuple(found.info.synthetic),
        ev,
        app.people.id[ev.person],
        app.units.id[unit],
        app.levels.name[app.units.level[unit]] if len(unit) else np.array([], dtype=object),
        tuple(app.units.id.tolist()),
    )
    if xlsx is not None:
        write_evaluation_xlsx(xlsx, result.to_dict(), result.evaluation.config.names)
        result = dataclasses.replace(result, xlsx=xlsx)
    return result


# -- benefits --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class BenefitsReport:
    """The benefits of the people chosen in a dataset; ``personal`` says whether per-person amounts
    are shown."""

    dataset: str
    version: int
    synthetic: tuple[str, ...]
    benefits: Benefits
    person_id: np.ndarray[Any, Any]
    unit_id: np.ndarray[Any, Any]
    personal: bool
    xlsx: Path | None = None
    #: per person, the operation of the plan that released them and its kind (``released`` only)
    operation: np.ndarray[Any, Any] | None = None
    op: np.ndarray[Any, Any] | None = None

    def by_operation(self) -> list[dict[str, Any]]:
        """The people a plan releases, their regimes, cost and annual saving per releasing operation."""
        if self.operation is None or self.op is None:
            return []
        b = self.benefits
        ids = [r.id for r in b.ruleset.regimes]
        out = []
        for k in np.unique(self.operation).tolist():
            at = self.operation == k
            regimes = b.regime[at]
            by_regime = {
                name: int(np.sum(regimes == j)) for j, name in enumerate(ids) if np.any(regimes == j)
            }
            if np.any(regimes < 0):
                by_regime["none"] = int(np.sum(regimes < 0))
            out.append(
                {
                    "operation": int(k),
                    "op": str(self.op[at][0]),
                    "people": int(at.sum()),
                    "by_regime": by_regime,
                    "cost": float(b.amount[at].sum()),
                    "annual_saving": float(b.saving[at].sum()),
                }
            )
        return out

    def rows(self) -> list[dict[str, Any]]:
        """Per person: id, unit, regime (and with ``personal`` the amount, saving and breakdown)."""
        b = self.benefits
        out = []
        for i in range(len(b.person)):
            row: dict[str, Any] = {
                "id": str(self.person_id[i]),
                "unit": str(self.unit_id[i]),
                "regime": b.regime_id(i) or None,
                "missing": list(b.missing[i]),
            }
            if self.operation is not None:
                row["operation"] = int(self.operation[i])
            if self.personal:
                row.update(
                    amount=float(b.amount[i]), annual_saving=float(b.saving[i]), breakdown=b.breakdown(i)
                )
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        rs = self.benefits.ruleset
        return {
            "dataset": self.dataset,
            "version": self.version,
            "synthetic": list(self.synthetic),
            "ruleset": {
                "name": rs.name,
                "currency": rs.currency,
                "file": rs.source,
                "sources": list(rs.sources),
                "illustrative": rs.illustrative,
                "regimes": {r.id: r.name for r in rs.regimes},
            },
            "as_of": self.benefits.as_of.isoformat(),
            "decision_date": self.benefits.decision_date.isoformat(),
            "personal": self.personal,
            "total": self.benefits.total.to_dict(),
            "units": [u.to_dict() for u in self.benefits.units],
            "by_operation": self.by_operation(),
            "people": self.rows(),
        }


def _people_rows(app: Apparatus, ids: Sequence[str], source: str) -> list[int]:
    index = app.people.index
    rows = []
    for i, pid in enumerate(ids):
        if pid not in index:
            raise InputError(source, "the id of a person of the dataset", row=i + 1, value=pid)
        rows.append(index[pid])
    return rows


def benefits(
    uow: UnitOfWork,
    *,
    dataset: str,
    as_of: dt.date,
    ruleset: Path | None = None,
    people: Sequence[str] | None = None,
    people_source: str = "--people",
    units: Sequence[str] | None = None,
    transferred: Sequence[str] = (),
    decision_date: dt.date | None = None,
    personal: bool = False,
    released: bool = False,
    xlsx: Path | None = None,
    progress: Progress | None = None,
) -> BenefitsReport:
    """What ``ruleset`` (a TOML file; None = Decree 178 as amended) owes the people leaving on ``as_of``:
    ``people`` (ids; ``people_source`` names where they came from in errors) and the people of ``units``
    (and their subunits); ``transferred`` ids are moved to another post instead. With ``released``,
    ``dataset`` must be a stored plan: the people it releases (its person event log) are added, taken
    from its baseline, each attributed to the operation that released them (``by_operation``). Unknown
    ids are an InputError naming the source and position; naming nobody is an InputError too."""
    if not people and not units and not released:
        raise InputError(
            "benefits", "the people who leave: person ids, units (with their subunits), or a plan's releases"
        )
    rules = load_ruleset(ruleset)
    found = resolve(uow, dataset, progress=progress)
    app = found.apparatus
    operation = op = None
    release_of: dict[str, tuple[int, str]] = {}
    if released:
        app, release_of = _plan_releases(uow, found, progress)
        people = [*(people or ()), *release_of]
    chosen = np.zeros(len(app.people), dtype=bool)
    if people:
        chosen[_people_rows(app, people, people_source)] = True
    if units:
        tin, tout = app.euler
        at = tin[app.people.unit]
        for u in _unit_rows(app, units):
            chosen |= (at >= tin[u]) & (at < tout[u])
    moved = _people_rows(app, transferred, "transferred") if transferred else []
    rows = np.flatnonzero(chosen)
    if released:
        ids = app.people.id[rows].tolist()
        operation = np.array([release_of.get(p, (-1, ""))[0] for p in ids], dtype=np.int64)
        op = np.array([release_of.get(p, (-1, ""))[1] for p in ids], dtype=object)
    b = compute_benefits(
        app, rules, rows, as_of=as_of, decision_date=decision_date, transferred=moved, progress=progress
    )
    result = BenefitsReport(
        found.name,
        found.version,
        tuple(found.info.synthetic),
        b,
        app.people.id[rows],
        app.units.id[app.people.unit[rows]],
        personal,
        operation=operation,
        op=op,
    )
    if xlsx is not None:
        terms = [f"{r.id}.{t}" for r in result.benefits.ruleset.regimes for t, _ in r.terms]
        write_benefits_xlsx(xlsx, result.to_dict(), terms)
        result = dataclasses.replace(result, xlsx=xlsx)
    return result


def _plan_releases(
    uow: UnitOfWork, found: Resolved, progress: Progress | None
) -> tuple[Apparatus, dict[str, tuple[int, str]]]:
    """The baseline of plan ``found`` and the people the plan releases, each with the operation
    (position, kind) that released them, from the plan's person event log."""
    if found.plan is None:
        raise InputError("--released", "a stored plan (the people it releases)", value=found.name)
    base = load_dataset(uow, name=found.plan.baseline, version=found.plan.baseline_version, progress=progress)
    log = found.apparatus.people_events
    at = np.flatnonzero((np.arange(len(log)) >= len(base.people_events)) & (log.kind == RELEASED))
    return base, {
        str(p): (int(o), str(k))
        for p, o, k in zip(
            log.person[at].tolist(), log.operation[at].tolist(), log.op[at].tolist(), strict=True
        )
    }
