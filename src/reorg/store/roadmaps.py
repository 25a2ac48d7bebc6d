"""Roadmaps and progress reports: a plan's roadmap in versions (JSON), and the reports on its steps.

A roadmap is saved under its plan's name, against the newest version of that plan; each save is the
next version. Reports are only ever added, each with who sent it and when; both are audited. Methods
are keyword-only and only flush; the unit of work commits.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from reorg.roadmap import Roadmap
from reorg.roadmap.monitor import ProgressReport
from reorg.store.datasets import not_found
from reorg.store.models import DbProgressReport, DbRoadmap
from reorg.store.records import utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["RoadmapRecord", "RoadmapRepository"]


@dataclasses.dataclass(frozen=True)
class RoadmapRecord:
    """One stored version of a plan's roadmap."""

    plan: str
    plan_version: int
    version: int
    created_at: datetime
    steps: int

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


def _record(row: DbRoadmap) -> RoadmapRecord:
    return RoadmapRecord(row.plan_name, row.plan_version, row.version, utc(row.created_at), row.steps)


class RoadmapRepository:
    """The roadmaps and progress reports of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _row(self, plan: str, version: int | None) -> DbRoadmap:
        query = select(DbRoadmap).where(DbRoadmap.plan_name == plan)
        if version is not None:
            query = query.where(DbRoadmap.version == version)
        row = self._uow.session.scalar(query.order_by(DbRoadmap.version.desc()).limit(1))
        if row is None:
            raise not_found(self._uow, "roadmap of plan", plan)
        return row

    def exists(self, *, plan: str) -> bool:
        query = select(DbRoadmap.id).where(DbRoadmap.plan_name == plan).limit(1)
        return self._uow.session.scalar(query) is not None

    def get(self, *, plan: str, version: int | None = None) -> RoadmapRecord:
        """The record of a roadmap version (the newest when ``version`` is None)."""
        return _record(self._row(plan, version))

    def load(self, *, plan: str, version: int | None = None) -> Roadmap:
        """A roadmap version (the newest when ``version`` is None)."""
        return Roadmap.from_dict(json.loads(self._row(plan, version).document), source=f"roadmap of {plan}")

    def list(self, *, plan: str | None = None) -> builtins.list[RoadmapRecord]:
        """Every stored roadmap version (of ``plan``): by plan, newest first."""
        query = select(DbRoadmap)
        if plan is not None:
            query = query.where(DbRoadmap.plan_name == plan)
        rows = self._uow.session.scalars(query.order_by(DbRoadmap.plan_name, DbRoadmap.version.desc()))
        return [_record(r) for r in rows]

    def create(self, roadmap: Roadmap, *, plan: str, plan_version: int) -> RoadmapRecord:
        """Store ``roadmap`` as the next version of the roadmap of ``plan``, with its audit entry."""
        uow, session = self._uow, self._uow.session
        uow.writing(f"roadmap:{plan}", f"saving the roadmap of plan {plan}")
        latest = session.scalar(select(func.max(DbRoadmap.version)).where(DbRoadmap.plan_name == plan))
        row = DbRoadmap(
            plan_name=plan,
            plan_version=plan_version,
            version=(latest or 0) + 1,
            created_at=datetime.now(UTC),
            steps=len(roadmap.steps),
            document=json.dumps(roadmap.to_dict(), ensure_ascii=False),
        )
        session.add(row)
        session.flush()
        record = _record(row)
        detail = {"version": record.version, "plan_version": plan_version, "steps": record.steps}
        uow.audit.record(action="save_roadmap", target=f"{plan}@{record.version}", detail=detail)
        return record

    def add_reports(self, reports: builtins.list[ProgressReport], *, plan: str) -> int:
        """Store progress reports on steps of ``plan``'s roadmap (checked by the caller), one audit
        entry for the batch; returns how many."""
        uow, session = self._uow, self._uow.session
        uow.writing(f"roadmap:{plan}", f"storing progress reports on plan {plan}")
        now = datetime.now(UTC)
        for r in reports:
            session.add(
                DbProgressReport(
                    plan_name=plan,
                    step=r.step,
                    unit=r.unit,
                    on=r.date,
                    share=float(r.share),
                    notes=r.notes,
                    indicators=dict(r.indicators),
                    actor=uow.actor,
                    created_at=now,
                )
            )
        session.flush()
        steps = sorted({r.step for r in reports})
        detail = {"reports": len(reports), "steps": steps[:20], "more_steps": max(0, len(steps) - 20)}
        uow.audit.record(action="report_progress", target=plan, detail=detail)
        return len(reports)

    def reports(self, *, plan: str, until: dt.date | None = None) -> builtins.list[ProgressReport]:
        """Every report on ``plan``'s steps (dated ``until`` or before), in the order they were stored."""
        query = select(DbProgressReport).where(DbProgressReport.plan_name == plan)
        if until is not None:
            query = query.where(DbProgressReport.on <= until)
        rows = self._uow.session.scalars(query.order_by(DbProgressReport.id))
        return [
            ProgressReport(
                r.step,
                r.on,
                r.share,
                r.unit,
                r.notes,
                tuple(sorted((str(k), float(v)) for k, v in (r.indicators or {}).items())),
            )
            for r in rows
        ]
