"""Plans: named, versioned plan documents (JSON), each saved against one version of its baseline dataset.

A plan is saved against the newest version of its baseline at the time of saving. Methods are
keyword-only and only flush; the unit of work commits.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from reorg.errors import InputError
from reorg.plan.operations import Plan
from reorg.store.datasets import DatasetRepository, not_found
from reorg.store.models import DbDataset, DbPlan
from reorg.store.names import check_name
from reorg.store.records import PlanRecord, utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["PlanRepository"]


def record_of(plan: DbPlan, base: DbDataset) -> PlanRecord:
    return PlanRecord(plan.name, plan.version, utc(plan.created_at), base.name, base.version, plan.operations)


class PlanRepository:
    """The plans of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _row(self, name: str, version: int | None) -> tuple[DbPlan, DbDataset]:
        query = select(DbPlan, DbDataset).join(DbDataset, DbPlan.baseline_id == DbDataset.id)
        query = query.where(DbPlan.name == name)
        if version is not None:
            query = query.where(DbPlan.version == version)
        found = self._uow.session.execute(query.order_by(DbPlan.version.desc()).limit(1)).first()
        if found is None:
            if version is not None and self.exists(name=name):
                raise not_found(self._uow, f"version {version} of plan", name)
            raise not_found(self._uow, "plan", name)
        return found[0], found[1]

    def exists(self, *, name: str) -> bool:
        query = select(DbPlan.id).where(DbPlan.name == name).limit(1)
        return self._uow.session.scalar(query) is not None

    def get(self, *, name: str, version: int | None = None) -> PlanRecord:
        """The record of a plan version (the newest when ``version`` is None)."""
        return record_of(*self._row(name, version))

    def load(self, *, name: str, version: int | None = None) -> Plan:
        """A plan version (the newest when ``version`` is None)."""
        plan, _ = self._row(name, version)
        return Plan.from_json(plan.document)

    def list(
        self, *, name: str | None = None, baseline: str | None = None, baseline_version: int | None = None
    ) -> builtins.list[PlanRecord]:
        """Every stored version of every plan (or of ``name``, or saved against ``baseline`` and, when
        given, its ``baseline_version``): by name, newest version first."""
        query = select(DbPlan, DbDataset).join(DbDataset, DbPlan.baseline_id == DbDataset.id)
        if name is not None:
            query = query.where(DbPlan.name == name)
        if baseline is not None:
            query = query.where(DbDataset.name == baseline)
        if baseline_version is not None:
            query = query.where(DbDataset.version == baseline_version)
        found = self._uow.session.execute(query.order_by(DbPlan.name, DbPlan.version.desc())).all()
        return [record_of(row[0], row[1]) for row in found]

    def create(self, plan: Plan, *, name: str) -> PlanRecord:
        """Store ``plan`` as the next version of plan ``name``, against the newest version of its
        baseline dataset (which must exist), with its audit entry."""
        check_name(name, "plan name")
        uow, session = self._uow, self._uow.session
        uow.writing(name, f"saving plan {name}")
        if DatasetRepository(uow).exists(name=name):
            raise InputError("name", "a name not already used by a dataset", value=name)
        baseline = DatasetRepository(uow).row(name=plan.baseline)
        latest = session.scalar(select(func.max(DbPlan.version)).where(DbPlan.name == name))
        row = DbPlan(
            name=name,
            version=(latest or 0) + 1,
            created_at=datetime.now(UTC),
            baseline_id=baseline.id,
            operations=len(plan.operations),
            document=plan.to_json(),
        )
        session.add(row)
        session.flush()
        record = record_of(row, baseline)
        detail = {
            "version": record.version,
            "baseline": f"{baseline.name}@{baseline.version}",
            "operations": record.operations,
        }
        uow.audit.record(action="save_plan", target=f"{name}@{record.version}", detail=detail)
        return record

    def delete(self, *, name: str, version: int | None = None) -> builtins.list[PlanRecord]:
        """Delete every version of plan ``name`` (or one ``version``), with an audit entry each."""
        uow, session = self._uow, self._uow.session
        uow.writing(name, f"deleting plan {name}")
        records = [self.get(name=name, version=version)] if version is not None else self.list(name=name)
        if not records:
            raise not_found(uow, "plan", name)
        query = delete(DbPlan).where(DbPlan.name == name)
        if version is not None:
            query = query.where(DbPlan.version == version)
        session.execute(query)
        for r in records:
            detail = {"baseline": f"{r.baseline}@{r.baseline_version}"}
            uow.audit.record(action="delete_plan", target=f"{r.name}@{r.version}", detail=detail)
        return records
