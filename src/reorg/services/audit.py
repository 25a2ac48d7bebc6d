"""Use case: read the audit log, filtered by dataset (with its plans), actor and time."""

from __future__ import annotations

from datetime import UTC, datetime

from reorg.errors import InputError
from reorg.store import AuditRecord, UnitOfWork

__all__ = ["MAX_ENTRIES", "list_audit"]

#: the most entries one call returns
MAX_ENTRIES = 10_000


def _utc(moment: datetime | None, what: str) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def list_audit(
    uow: UnitOfWork,
    *,
    dataset: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditRecord]:
    """The newest ``limit`` entries (1 to MAX_ENTRIES), newest first; naive times are taken as UTC."""
    if not 1 <= limit <= MAX_ENTRIES:
        raise InputError("--limit", f"a whole number from 1 to {MAX_ENTRIES:,}", value=str(limit))
    if dataset is not None and not uow.datasets.exists(name=dataset):
        uow.datasets.get(name=dataset)  # NotFoundError listing the known names
    return uow.audit.list(
        dataset=dataset, actor=actor, since=_utc(since, "--since"), until=_utc(until, "--until"), limit=limit
    )
