"""Monitoring: progress reports on roadmap steps, the roll-up by level and subtree, deviations with
their evidence and good practices.

A report says, for one step on one date, the share done (0 to 1), notes and indicator values
(``headcount`` in people, ``tasks_handed_over`` in tasks, ...). Reports arrive in any order from any
level: a step's state on a date is its latest report by then (ties broken by the report's content,
never by arrival), and every roll-up is computed from the steps' states directly, so it never waits
for a lower level and out-of-order reports give the same figures as in-order ones.

Deviations on a date: ``late`` (past its planned finish and not done), ``delays_end`` (past its latest
finish: the critical path, and the roadmap's end, move), ``headcount`` (reported headcount off the
step's target by more than the tolerance), ``regression`` (an indicator that should only rise —
share done, tasks handed over — fell between two reports), ``silent`` (a unit with steps under way
that has not reported for ``silence_days``), ``invariant`` (the apparatus as reported — the steps
reported done applied in the schedule's order — breaks an invariant at a step: its rule, message,
tasks and places, and the steps it waits for that are not reported done; given the baseline and the
plan, checked by ``reorg.roadmap.continuity.reported_breaks``, the same rule code as ``validate``).
Good practices: steps ahead of plan by at least
``ahead`` (or done before their planned finish) with no deviation of their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.plan.operations import Plan
from reorg.roadmap.continuity import Break, reported_breaks
from reorg.roadmap.schedule import Schedule

__all__ = [
    "RISING",
    "Deviation",
    "GoodPractice",
    "MonitorConfig",
    "ProgressReport",
    "Rollup",
    "Status",
    "StepStatus",
    "check_reports",
    "done_dates",
    "invariant_deviations",
    "rollup",
    "status",
    "subtree",
]

#: indicators that only rise as a step goes on (a fall is a regression)
RISING = ("share", "tasks_handed_over")


@dataclasses.dataclass(frozen=True)
class ProgressReport:
    """``unit`` reports on ``date`` that step ``step`` is ``share`` done (0..1), with ``notes`` and
    indicator values."""

    step: str
    date: dt.date
    share: float
    unit: str = ""
    notes: str = ""
    indicators: tuple[tuple[str, float], ...] = ()

    def key(self) -> tuple[Any, ...]:
        """The order of reports of one step: by date, then content (never by arrival)."""
        return (self.date, self.share, self.indicators, self.notes, self.unit)

    def value(self, name: str) -> float | None:
        if name == "share":
            return self.share
        return dict(self.indicators).get(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "date": self.date.isoformat(),
            "share": self.share,
            "unit": self.unit,
            "notes": self.notes,
            "indicators": dict(self.indicators),
        }


def check_reports(
    reports: Iterable[ProgressReport], steps: Iterable[str], *, source: str = "reports", first_row: int = 1
) -> None:
    """Refuse a report for an unknown step, a share outside 0..1 or an indicator that is not a finite
    number: an InputError naming ``source``, the report (row: ``first_row`` for the first; 2 for a CSV
    file with a header) and the field."""
    known = set(steps)
    for row, r in enumerate(reports, start=first_row):
        if r.step not in known:
            raise InputError(source, "the id of a step of the roadmap", row=row, field="step", value=r.step)
        if not (isinstance(r.share, int | float) and 0.0 <= r.share <= 1.0):
            raise InputError(source, "a share done from 0 to 1", row=row, field="share", value=str(r.share))
        for name, v in r.indicators:
            if not name or not math.isfinite(v):
                raise InputError(source, "a finite number", row=row, field=f"indicators.{name}", value=str(v))


@dataclasses.dataclass(frozen=True)
class MonitorConfig:
    """Tolerances: headcount off target by more than ``headcount_tolerance`` (a share of the target);
    silent after ``silence_days`` days without a report; ahead of plan by at least ``ahead``."""

    headcount_tolerance: float = 0.1
    silence_days: int = 30
    ahead: float = 0.2


@dataclasses.dataclass(frozen=True)
class StepStatus:
    """A step on the status date: share done and last report date (None: no report yet), the share
    expected by the schedule, planned dates, slack (days) and whether it is critical."""

    step: str
    level: str
    owner: str
    share: float
    expected: float
    last: dt.date | None
    start: dt.date
    end: dt.date
    slack: int
    critical: bool

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for k in ("last", "start", "end"):
            out[k] = out[k].isoformat() if out[k] else None
        return out


@dataclasses.dataclass(frozen=True)
class Rollup:
    """Steps of one group (a level, or a subtree named by its unit): how many, how many done, the
    share done and the share expected, both weighted by duration."""

    group: str
    steps: int
    done: int
    share: float
    expected: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Deviation:
    """A deviation of kind ``kind`` (see the module docstring) of step ``step`` (empty for a silent
    unit) owned by ``unit``, with the figures that show it."""

    kind: str
    step: str
    unit: str
    evidence: tuple[tuple[str, str | float], ...]
    template: str = ""  # an ``invariant`` deviation: the refusal's template and params, to translate
    params: Mapping[str, str | int | float] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "step": self.step, "unit": self.unit, "evidence": dict(self.evidence)}


@dataclasses.dataclass(frozen=True)
class GoodPractice:
    """Step ``step`` of ``unit``: ``share`` done where ``expected`` was planned, ``days`` ahead."""

    step: str
    unit: str
    share: float
    expected: float
    days: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Status:
    """Monitoring on ``as_of``: each step, the roll-up by level and overall, deviations, good practices."""

    as_of: dt.date
    steps: tuple[StepStatus, ...]
    by_level: tuple[Rollup, ...]
    overall: Rollup
    deviations: tuple[Deviation, ...]
    good_practices: tuple[GoodPractice, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "overall": self.overall.to_dict(),
            "by_level": [r.to_dict() for r in self.by_level],
            "deviations": [d.to_dict() for d in self.deviations],
            "good_practices": [g.to_dict() for g in self.good_practices],
            "steps": [s.to_dict() for s in self.steps],
        }


def rollup(group: str, rows: Sequence[StepStatus], weights: dict[str, int]) -> Rollup:
    """The roll-up of ``rows`` as group ``group``, weighted by ``weights`` (step id -> days)."""
    w = np.array([weights[s.step] for s in rows], dtype=float)
    total = float(w.sum())
    share = float(np.dot(w, [s.share for s in rows]) / total) if total else 0.0
    expected = float(np.dot(w, [s.expected for s in rows]) / total) if total else 0.0
    done = sum(1 for s in rows if s.share >= 1.0)
    return Rollup(group, len(rows), done, round(share, 6), round(expected, 6))


def status(
    sched: Schedule,
    reports: Iterable[ProgressReport],
    *,
    as_of: dt.date,
    config: MonitorConfig | None = None,
    invariants: Sequence[Deviation] = (),
) -> Status:
    """The state of every step on ``as_of`` from the reports dated by then (see the module docstring),
    with the ``invariant`` deviations of the reported state (``invariant_deviations``) added."""
    config = config or MonitorConfig()
    steps = sched.roadmap.steps
    day = sched.day(as_of)
    by_step: dict[str, list[ProgressReport]] = {}
    for r in reports:
        if r.date <= as_of:
            by_step.setdefault(r.step, []).append(r)
    for rows in by_step.values():
        rows.sort(key=ProgressReport.key)
    out: list[StepStatus] = []
    for i, s in enumerate(steps):
        es, ef = int(sched.es[i]), int(sched.ef[i])
        expected = min(1.0, max(0.0, (day - es) / (ef - es)))
        rows = by_step.get(s.id, [])
        last = rows[-1] if rows else None
        out.append(
            StepStatus(
                s.id,
                s.level,
                s.owner,
                last.share if last else 0.0,
                round(expected, 6),
                last.date if last else None,
                sched.date(es),
                sched.date(ef),
                int(sched.ls[i] - es),
                bool(sched.ls[i] == es),
            )
        )
    weights = {s.id: s.duration for s in steps}
    levels: dict[str, list[StepStatus]] = {}
    for row in out:
        levels.setdefault(row.level, []).append(row)
    by_level = tuple(rollup(lv, rows, weights) for lv, rows in sorted(levels.items()))
    deviations = _deviations(sched, out, by_step, day, config) + tuple(invariants)
    flagged = {d.step for d in deviations}
    good = tuple(
        GoodPractice(r.step, r.owner, r.share, r.expected, _days_ahead(sched, i, r, day))
        for i, r in enumerate(out)
        if (r.step not in flagged and r.share < 1.0 and r.share - r.expected >= config.ahead)
        or (r.step not in flagged and r.share >= 1.0 and r.last is not None and r.last < r.end)
    )
    return Status(as_of, tuple(out), by_level, rollup("", out, weights), deviations, good)


def done_dates(reports: Iterable[ProgressReport], *, as_of: dt.date) -> dict[str, dt.date]:
    """Step id -> the date since which its reports by ``as_of`` say it is done (the first of the last
    run of reports with share 1); steps whose latest report says otherwise are left out. Reports are
    taken in their own order (``ProgressReport.key``), never by arrival."""
    by_step: dict[str, list[ProgressReport]] = {}
    for r in reports:
        if r.date <= as_of:
            by_step.setdefault(r.step, []).append(r)
    out: dict[str, dt.date] = {}
    for step, rows in by_step.items():
        since: dt.date | None = None
        for r in sorted(rows, key=ProgressReport.key):
            since = (since or r.date) if r.share >= 1.0 else None
        if since is not None:
            out[step] = since
    return out


def invariant_deviations(
    app: Apparatus, plan: Plan, sched: Schedule, reports: Iterable[ProgressReport], *, as_of: dt.date
) -> tuple[Deviation, ...]:
    """An ``invariant`` deviation for each step at which the apparatus as reported on ``as_of`` breaks
    an invariant (``reorg.roadmap.continuity.reported_breaks``), with its evidence: the rule, the
    sentence, the tasks and places, when it was reported done and the steps it waits for that are
    not."""
    done = done_dates(reports, as_of=as_of)
    owner = {s.id: s.owner for s in sched.roadmap.steps}
    waits: dict[str, list[str]] = {}
    for d in sched.dependencies:
        if d.after not in done:
            waits.setdefault(d.step, []).append(d.after)
    return tuple(
        _invariant(b, owner[b.step], sorted(set(waits.get(b.step, []))))
        for b in reported_breaks(app, plan, sched, done)
    )


def _invariant(b: Break, unit: str, waits: list[str]) -> Deviation:
    evidence: tuple[tuple[str, str | float], ...] = (
        ("invariant", b.invariant),
        ("message", b.message),
        ("ids", ", ".join(b.ids)),
        ("reported_done", b.date.isoformat()),
        *((("waits_for", ", ".join(waits)),) if waits else ()),
    )
    return Deviation("invariant", b.step, unit, evidence, b.template, dict(b.params))


def _days_ahead(sched: Schedule, i: int, r: StepStatus, day: int) -> int:
    """How many days ahead of the schedule the step's share done puts it."""
    es, dur = int(sched.es[i]), int(sched.ef[i] - sched.es[i])
    if r.share >= 1.0 and r.last is not None:
        return (r.end - r.last).days
    return round(es + r.share * dur) - day


def _deviations(
    sched: Schedule,
    rows: Sequence[StepStatus],
    by_step: dict[str, list[ProgressReport]],
    day: int,
    config: MonitorConfig,
) -> tuple[Deviation, ...]:
    steps = sched.roadmap.steps
    out: list[Deviation] = []
    last_report: dict[str, dt.date] = {}
    open_steps: dict[str, list[StepStatus]] = {}
    for i, r in enumerate(rows):
        reports = by_step.get(r.step, [])
        for rep in reports:
            unit = r.owner
            if unit not in last_report or rep.date > last_report[unit]:
                last_report[unit] = rep.date
        if r.share < 1.0 and day > int(sched.ef[i]):
            kind = "delays_end" if day > int(sched.lf[i]) else "late"
            out.append(
                Deviation(
                    kind,
                    r.step,
                    r.owner,
                    (
                        ("planned_end", r.end.isoformat()),
                        ("share", r.share),
                        ("days_late", day - int(sched.ef[i])),
                        ("slack", r.slack),
                    ),
                )
            )
        target = dict(steps[i].targets).get("headcount")
        latest = reports[-1] if reports else None
        headcount = latest.value("headcount") if latest else None
        if (
            target is not None
            and headcount is not None
            and abs(headcount - target) > config.headcount_tolerance * target
        ):
            out.append(Deviation("headcount", r.step, r.owner, (("target", target), ("reported", headcount))))
        for name in RISING:
            fell = _fall(reports, name)
            if fell is not None:
                out.append(Deviation("regression", r.step, r.owner, (("indicator", name), *fell)))
                break
        if r.share < 1.0 and int(sched.es[i]) <= day:
            open_steps.setdefault(r.owner, []).append(r)
    for unit, open_rows in sorted(open_steps.items()):
        since = last_report.get(unit)
        began = min(x.start for x in open_rows)
        quiet_from = since if since is not None else began
        if sched.date(day) - quiet_from > dt.timedelta(days=config.silence_days):
            out.append(
                Deviation(
                    "silent",
                    "",
                    unit,
                    (("last_report", since.isoformat() if since else ""), ("open_steps", len(open_rows))),
                )
            )
    return tuple(out)


def _fall(reports: Sequence[ProgressReport], name: str) -> tuple[tuple[str, str | float], ...] | None:
    """The first fall of indicator ``name`` between two reports in date order, as evidence."""
    prev: ProgressReport | None = None
    for rep in reports:
        v = rep.value(name)
        if v is None:
            continue
        if prev is not None:
            pv = prev.value(name)
            if pv is not None and v < pv and rep.date > prev.date:
                return (("from", pv), ("to", v), ("on", rep.date.isoformat()))
        prev = rep
    return None


def subtree(status_: Status, sched: Schedule, app: Apparatus, unit: str) -> Rollup:
    """The roll-up of the steps owned by ``unit`` or a unit below it in the baseline ``app``."""
    u = app.units.index.get(unit)
    if u is None:
        raise InputError("monitor", "a unit of the baseline", field="unit", value=unit)
    tin, tout = app.euler
    lo, hi = int(tin[u]), int(tout[u])
    index = app.units.index

    def inside(owner: str) -> bool:
        v = index.get(owner)
        return v is not None and lo <= int(tin[v]) < hi

    rows = [r for r in status_.steps if inside(r.owner)]
    return rollup(unit, rows, {s.id: s.duration for s in sched.roadmap.steps})
