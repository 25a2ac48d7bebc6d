"""Use cases on roadmaps and monitoring: build (or import) a plan's roadmap and store it, check its
continuity, show and export it; store progress reports; the status, deviations and good practices.

Who may do what is decided here (``reorg.services.access``): building needs ``save_plan``, reading
``read`` (a unit officer sees the steps owned in their subtree), reporting ``report_progress`` (a unit
officer only on steps owned in their subtree). Bad input (a file, a report) is refused before
anything is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.plan import Plan
from reorg.progress import Progress
from reorg.roadmap import Continuity, Roadmap, Schedule, build, check_continuity, dependencies, schedule
from reorg.roadmap.fileformat import dumps, loads
from reorg.roadmap.history import premature_pairs, synthetic_history
from reorg.roadmap.monitor import (
    Deviation,
    ProgressReport,
    Rollup,
    Status,
    check_reports,
    done_dates,
    invariant_deviations,
    rollup,
    status,
    subtree,
)
from reorg.services import access
from reorg.services.memo import memo
from reorg.services.resolve import load_dataset
from reorg.store import UnitOfWork
from reorg.store.roadmaps import RoadmapRecord

__all__ = [
    "Built",
    "MonitorView",
    "Reported",
    "RoadmapView",
    "build_roadmap",
    "check_roadmap",
    "export_roadmap",
    "feed_synthetic_history",
    "list_roadmaps",
    "monitor_status",
    "report_progress",
    "show_roadmap",
    "subtree_rollup",
]

#: bars drawn in a Gantt chart at most (the critical ones first when cut)
GANTT_BARS = 400


@dataclasses.dataclass(frozen=True)
class _Loaded:
    record: RoadmapRecord
    roadmap: Roadmap
    plan: Plan
    app: Apparatus
    sched: Schedule


def _plan_and_baseline(uow: UnitOfWork, plan: str, progress: Progress | None) -> tuple[Plan, Apparatus, int]:
    record = uow.plans.get(name=plan)
    app = load_dataset(uow, name=record.baseline, version=record.baseline_version, progress=progress)
    return uow.plans.load(name=plan, version=record.version), app, record.version


def _load(uow: UnitOfWork, plan: str, version: int | None, progress: Progress | None = None) -> _Loaded:
    record = uow.roadmaps.get(plan=plan, version=version)
    roadmap = uow.roadmaps.load(plan=plan, version=record.version)
    plan_record = uow.plans.get(name=plan, version=record.plan_version)
    the_plan = uow.plans.load(name=plan, version=plan_record.version)
    app = load_dataset(
        uow, name=plan_record.baseline, version=plan_record.baseline_version, progress=progress
    )
    key = (uow.database.url, "roadmap", plan, record.version, record.created_at)
    sched = memo.get(key, lambda: schedule(roadmap, dependencies(roadmap, app, the_plan)))
    return _Loaded(record, roadmap, the_plan, app, sched)


def _continuity(uow: UnitOfWork, loaded: _Loaded, progress: Progress | None) -> Continuity:
    key = (
        uow.database.url,
        "continuity",
        loaded.record.plan,
        loaded.record.version,
        loaded.record.created_at,
    )
    return memo.get(key, lambda: check_continuity(loaded.app, loaded.plan, loaded.sched, progress=progress))


@dataclasses.dataclass(frozen=True)
class Built:
    """A roadmap stored: its record, length (days), dependencies and the continuity check."""

    record: RoadmapRecord
    days: int
    dependencies: int
    continuity: Continuity

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.record.to_dict(),
            "days": self.days,
            "dependencies": self.dependencies,
            "continuity": self.continuity.to_dict(),
        }


def build_roadmap(
    uow: UnitOfWork,
    *,
    plan: str,
    start: dt.date,
    text: str | None = None,
    source: str = "roadmap",
    viewer: access.Principal | None = None,
    progress: Progress | None = None,
) -> Built:
    """Build the roadmap of stored plan ``plan`` from ``start`` (or read it from roadmap file ``text``),
    schedule it, check its continuity and store it as the next version. A bad file, a cycle or an
    operation the plan lacks is refused naming ``source``, the step and the field; nothing is stored."""
    if viewer is not None:
        access.require(viewer, "save_plan")
    the_plan, app, plan_version = _plan_and_baseline(uow, plan, progress)
    roadmap = loads(text, source=source) if text is not None else build(app, the_plan, start=start, name=plan)
    deps = dependencies(roadmap, app, the_plan, source=source)
    sched = schedule(roadmap, deps)
    result = check_continuity(app, the_plan, sched, progress=progress)
    record = uow.roadmaps.create(roadmap, plan=plan, plan_version=plan_version)
    # what was just computed is what showing the stored roadmap would compute again: keep it
    stamp = (uow.database.url, plan, record.version, record.created_at)
    memo.get((stamp[0], "roadmap", *stamp[1:]), lambda: sched)
    memo.get((stamp[0], "continuity", *stamp[1:]), lambda: result)
    return Built(record, sched.days, len(deps), result)


@dataclasses.dataclass(frozen=True)
class RoadmapView:
    """A stored roadmap as a viewer may see it: dates, critical path, milestones, Gantt bars and the
    steps (a unit officer: those owned in their subtree), and the continuity check."""

    record: RoadmapRecord
    start: dt.date
    end: dt.date
    days: int
    critical_path: tuple[str, ...]
    milestones: tuple[dict[str, Any], ...]
    gantt: tuple[dict[str, Any], ...]
    steps: int
    continuity: Continuity

    def chart_bars(self) -> list[dict[str, Any]]:
        """The Gantt bars as days from the start: id, name, first day ``s``, days ``d``, critical."""
        out = []
        for b in self.gantt:
            s = (dt.date.fromisoformat(b["start"]) - self.start).days
            d = (dt.date.fromisoformat(b["end"]) - self.start).days - s
            out.append({"id": b["id"], "name": b["name"], "s": s, "d": d, "critical": b["critical"]})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.record.to_dict(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "critical_path": list(self.critical_path),
            "milestones": list(self.milestones),
            "gantt": list(self.gantt),
            "steps_shown": self.steps,
            "continuity": self.continuity.to_dict(),
        }


def _visible_owners(app: Apparatus, viewer: access.Principal | None) -> set[str] | None:
    """The unit ids whose steps ``viewer`` sees (None: all)."""
    if viewer is None:
        return None
    access.require(viewer, "read")
    if viewer.role != access.SCOPED_ROLE:
        return None
    mask = access.subtree(app, viewer)
    return {str(u) for u in app.units.id[mask].tolist()}


def show_roadmap(
    uow: UnitOfWork,
    *,
    plan: str,
    version: int | None = None,
    viewer: access.Principal | None = None,
    bars: int = GANTT_BARS,
    progress: Progress | None = None,
) -> RoadmapView:
    """The stored roadmap of ``plan`` (``version``, else the newest) for ``viewer``."""
    loaded = _load(uow, plan, version, progress)
    owners = _visible_owners(loaded.app, viewer)
    sched = loaded.sched
    gantt = sched.gantt() if owners is not None else sched.gantt(limit=bars)
    if owners is not None:
        gantt = [b for b in gantt if b["owner"] in owners][:bars]
    return RoadmapView(
        loaded.record,
        loaded.roadmap.start,
        sched.end,
        sched.days,
        tuple(sched.critical_path()),
        tuple(m.to_dict() for m in sched.milestones()),
        tuple(gantt),
        len(gantt),
        _continuity(uow, loaded, progress),
    )


def list_roadmaps(uow: UnitOfWork, *, viewer: access.Principal | None = None) -> list[RoadmapRecord]:
    """Every stored roadmap version, by plan, newest first."""
    if viewer is not None:
        access.require(viewer, "read")
    return uow.roadmaps.list()


def check_roadmap(
    uow: UnitOfWork, *, plan: str, version: int | None = None, progress: Progress | None = None
) -> Continuity:
    """The continuity check of the stored roadmap of ``plan``."""
    return _continuity(uow, _load(uow, plan, version, progress), progress)


def export_roadmap(uow: UnitOfWork, *, plan: str, version: int | None = None) -> str:
    """The stored roadmap of ``plan`` as a roadmap file (TOML, docs/roadmap.md)."""
    return dumps(uow.roadmaps.load(plan=plan, version=version))


@dataclasses.dataclass(frozen=True)
class Reported:
    """Progress reports stored on steps of ``plan``'s roadmap."""

    plan: str
    stored: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def report_progress(
    uow: UnitOfWork,
    *,
    plan: str,
    reports: Sequence[ProgressReport],
    source: str = "reports",
    first_row: int = 1,
    viewer: access.Principal | None = None,
) -> Reported:
    """Store ``reports`` on steps of the newest roadmap of ``plan``. A report on an unknown step, a
    share outside 0..1, or (for a unit officer) a step owned outside their subtree is refused with its
    row and field, and nothing is stored."""
    if viewer is not None:
        access.require(viewer, "report_progress")
    loaded = _load(uow, plan, None)
    check_reports(reports, (s.id for s in loaded.roadmap.steps), source=source, first_row=first_row)
    owners = _visible_owners(loaded.app, viewer)
    if owners is not None:
        owner_of = {s.id: s.owner for s in loaded.roadmap.steps}
        for row, r in enumerate(reports, start=first_row):
            if owner_of[r.step] not in owners:
                raise InputError(source, "a step owned in your subtree", row=row, field="step", value=r.step)
    stamped = [r if r.unit or viewer is None else dataclasses.replace(r, unit=viewer.login) for r in reports]
    return Reported(plan, uow.roadmaps.add_reports(stamped, plan=plan))


@dataclasses.dataclass(frozen=True)
class MonitorView:
    """Monitoring of ``plan`` on a date, as a viewer may see it (a unit officer: steps owned in their
    subtree, roll-ups over those), and the roll-up of the viewer's subtree."""

    plan: str
    status: Status
    reports: int

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "reports": self.reports, **self.status.to_dict()}


def monitor_status(
    uow: UnitOfWork,
    *,
    plan: str,
    as_of: dt.date | None = None,
    viewer: access.Principal | None = None,
) -> MonitorView:
    """Status, deviations and good practices of ``plan``'s newest roadmap on ``as_of`` (default today)."""
    loaded = _load(uow, plan, None)
    owners = _visible_owners(loaded.app, viewer)
    day = as_of or dt.date.today()
    reports = uow.roadmaps.reports(plan=plan, until=day)
    known = {s.id for s in loaded.roadmap.steps}
    mine = [r for r in reports if r.step in known]
    found = status(loaded.sched, mine, as_of=day, invariants=_invariants(uow, loaded, mine, day))
    if owners is not None:
        found = _restricted(found, loaded.roadmap, owners)
    return MonitorView(plan, found, len(reports))


def _invariants(
    uow: UnitOfWork, loaded: _Loaded, reports: Sequence[ProgressReport], day: dt.date
) -> tuple[Deviation, ...]:
    """The ``invariant`` deviations of the state reported on ``day`` (kept for the same steps done on
    the same dates: a page reloaded does not check the apparatus again)."""
    done = done_dates(reports, as_of=day)
    key = (
        uow.database.url,
        "reported",
        loaded.record.plan,
        loaded.record.version,
        loaded.record.created_at,
        frozenset(done.items()),
    )
    return memo.get(
        key, lambda: invariant_deviations(loaded.app, loaded.plan, loaded.sched, reports, as_of=day)
    )


def _restricted(found: Status, roadmap: Roadmap, owners: set[str]) -> Status:
    """``found`` cut to the steps of ``owners``, roll-ups recomputed over them."""
    weights = {s.id: s.duration for s in roadmap.steps}
    rows = tuple(r for r in found.steps if r.owner in owners)
    levels: dict[str, list[Any]] = {}
    for r in rows:
        levels.setdefault(r.level, []).append(r)
    return Status(
        found.as_of,
        rows,
        tuple(rollup(lv, group, weights) for lv, group in sorted(levels.items())),
        rollup("", rows, weights),
        tuple(d for d in found.deviations if d.unit in owners),
        tuple(g for g in found.good_practices if g.unit in owners),
    )


def feed_synthetic_history(uow: UnitOfWork, *, plan: str, as_of: dt.date, seed: int) -> Reported:
    """Store a seeded synthetic progress history (notes ``synthetic``) of ``plan``'s newest roadmap up
    to ``as_of``, with planted deviations and good practices (``reorg.roadmap.history``; the steps
    reported done before a step they wait for are drawn from ``premature_pairs``): for the demo and
    trials only."""
    loaded = _load(uow, plan, None)
    pairs = premature_pairs(loaded.app, loaded.plan, loaded.sched)
    history = synthetic_history(loaded.sched, as_of=as_of, seed=seed, premature=pairs)
    return Reported(plan, uow.roadmaps.add_reports(list(history.reports), plan=plan))


def subtree_rollup(uow: UnitOfWork, *, plan: str, unit: str, as_of: dt.date | None = None) -> Rollup:
    """The roll-up of the steps owned by ``unit`` and the units below it."""
    loaded = _load(uow, plan, None)
    if unit not in loaded.app.units.index:
        raise NotFoundError(f"no unit {unit!r}")
    view = monitor_status(uow, plan=plan, as_of=as_of)
    return subtree(view.status, loaded.sched, loaded.app, unit)
