"""The audit log: who did what, when, to which dataset or plan; written in the transaction of the write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from reorg.store.models import DbAudit, DbDataset, DbPlan
from reorg.store.records import AuditRecord, utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["AuditRepository"]


class AuditRepository:
    """The audit entries of the unit of work's database; ``record`` names the unit of work's actor."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def record(self, *, action: str, target: str, detail: dict[str, Any]) -> None:
        """Add one entry (flushed with the write it describes; committed or rolled back with it)."""
        session = self._uow.session
        at = datetime.now(UTC)
        session.add(DbAudit(at=at, actor=self._uow.actor, action=action, target=target, detail=detail))
        session.flush()

    def list(
        self,
        *,
        dataset: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """The newest ``limit`` entries, newest first: about ``dataset`` (its versions and the plans saved
        against it), by ``actor``, at or after ``since`` and before ``until`` (UTC) when given."""
        query = select(DbAudit)
        if dataset is not None:
            plans = select(DbPlan.name).join(DbDataset, DbPlan.baseline_id == DbDataset.id)
            plan_names = self._uow.session.scalars(plans.where(DbDataset.name == dataset).distinct()).all()
            names = [dataset, *plan_names]
            query = query.where(or_(*(DbAudit.target.like(f"{_like(n)}@%", escape="\\") for n in names)))
        if actor is not None:
            query = query.where(DbAudit.actor == actor)
        if since is not None:
            query = query.where(DbAudit.at >= since)
        if until is not None:
            query = query.where(DbAudit.at < until)
        rows = self._uow.session.scalars(query.order_by(DbAudit.id.desc()).limit(limit)).all()
        return [AuditRecord(r.id, utc(r.at), r.actor, r.action, r.target, dict(r.detail)) for r in rows]


def _like(name: str) -> str:
    """``name`` as a LIKE prefix: its wildcards (``_`` may appear in names) taken literally."""
    return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
