"""Approvals of plan versions: the steering committee's decision that a plan version is the reform.

At most one approval of a plan version is live (not withdrawn); withdrawing keeps the row with its
``withdrawn_at``, so that the history of decisions stays. Each approval and withdrawal writes its audit
entry (target ``<plan>@<version>``). Methods are keyword-only and only flush; the unit of work commits.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from reorg.errors import InputError, NotFoundError
from reorg.store.models import DbApproval
from reorg.store.records import ApprovalRecord, utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["ApprovalRepository"]


def _record(row: DbApproval) -> ApprovalRecord:
    withdrawn = None if row.withdrawn_at is None else utc(row.withdrawn_at)
    return ApprovalRecord(row.plan_name, row.plan_version, row.approved_by, utc(row.approved_at), withdrawn)


class ApprovalRepository:
    """The approvals of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _live(self, name: str, version: int | None = None) -> builtins.list[DbApproval]:
        query = select(DbApproval).where(DbApproval.plan_name == name, DbApproval.withdrawn_at.is_(None))
        if version is not None:
            query = query.where(DbApproval.plan_version == version)
        return list(self._uow.session.scalars(query.order_by(DbApproval.plan_version.desc())).all())

    def approve(self, *, name: str, version: int) -> ApprovalRecord:
        """Approve version ``version`` of plan ``name`` (which the caller has checked exists) in the name
        of the unit of work's actor; InputError when that version is already approved."""
        target = f"{name}@{version}"
        self._uow.writing(name, f"approving plan {target}")
        if self._live(name, version):
            raise InputError("plan", "a plan version that is not approved yet", value=target)
        row = DbApproval(
            plan_name=name, plan_version=version, approved_by=self._uow.actor, approved_at=datetime.now(UTC)
        )
        self._uow.session.add(row)
        self._uow.session.flush()
        self._uow.audit.record(action="approve_plan", target=target, detail={"version": version})
        return _record(row)

    def withdraw(self, *, name: str, version: int) -> ApprovalRecord:
        """Withdraw the live approval of version ``version`` of plan ``name`` (NotFoundError when none)."""
        target = f"{name}@{version}"
        self._uow.writing(name, f"withdrawing the approval of plan {target}")
        rows = self._live(name, version)
        if not rows:
            raise NotFoundError(f"no approval of plan {target} to withdraw")
        for row in rows:
            row.withdrawn_at = datetime.now(UTC)
        self._uow.session.flush()
        self._uow.audit.record(action="withdraw_approval", target=target, detail={"version": version})
        return _record(rows[0])

    def current(self, *, name: str) -> ApprovalRecord | None:
        """The live approval of plan ``name`` of its newest approved version (None when none stands)."""
        rows = self._live(name)
        return _record(rows[0]) if rows else None

    def list(self) -> builtins.list[ApprovalRecord]:
        """The live approval of each approved plan (its newest approved version), by plan name."""
        query = select(DbApproval).where(DbApproval.withdrawn_at.is_(None))
        rows = self._uow.session.scalars(query.order_by(DbApproval.plan_name, DbApproval.plan_version.desc()))
        newest: dict[str, ApprovalRecord] = {}
        for row in rows:
            newest.setdefault(row.plan_name, _record(row))
        return builtins.list(newest.values())
