"""A unit of work: one transaction, its repositories, and the actor its audit entries name.

::

    with database.unit_of_work(actor="cli:anna") as uow:
        record = uow.datasets.create(app, name="ministry-2024")
        uow.plans.create(plan, name="merge-2025")
    # committed here; an exception anywhere inside rolls everything back

Repositories only flush; the unit of work commits when its block ends without an exception and rolls
back otherwise, so that one command or one web request is one transaction, all or nothing. Every
database failure inside the block (SQLAlchemy's or a driver's) leaves as a one-line StoreError.
An error that says the writes before it must stand (``keep_writes``, as an AuthError after a failed
sign-in has counted the attempt) is raised after the commit instead of rolling back.
A read-only unit of work refuses writes; a writing one on SQLite begins IMMEDIATE (writers queue), and
on PostgreSQL takes an advisory lock per name written, so that version numbers never collide.
"""

from __future__ import annotations

import zlib
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from reorg.errors import ReorgError, StoreError
from reorg.store.approvals import ApprovalRepository
from reorg.store.audit import AuditRepository
from reorg.store.consultations import ConsultationRepository
from reorg.store.datasets import DatasetRepository
from reorg.store.errors import DATABASE_ERRORS, store_error
from reorg.store.plans import PlanRepository
from reorg.store.roadmaps import RoadmapRepository
from reorg.store.users import UserRepository

if TYPE_CHECKING:
    from reorg.store.database import Database

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """One transaction on ``database``; ``datasets``, ``plans``, ``approvals``, ``users``, ``consultations``
    and ``audit`` are its repositories."""

    def __init__(self, database: Database, *, actor: str, readonly: bool = False) -> None:
        if not actor:
            raise ValueError("a unit of work needs an actor for the audit log")
        self.database = database
        self.actor = actor
        self.readonly = readonly
        self._session: Session | None = None
        self._busy = ""

    # -- the transaction ----------------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("a unit of work is entered once")
        engine = self.database.engine
        if not self.readonly:
            engine = engine.execution_options(reorg_write=True)
        self._session = Session(engine, expire_on_commit=False, autoflush=False)
        self._session.begin()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        self._session = None
        try:
            if error is None or getattr(error, "keep_writes", False) is True:
                try:
                    session.commit()
                except DATABASE_ERRORS as exc:
                    raise store_error(self.database.url, exc, busy=self._busy) from exc
            else:
                session.rollback()
        finally:
            session.close()
        if isinstance(error, DATABASE_ERRORS) and not isinstance(error, ReorgError):
            raise store_error(self.database.url, error, busy=self._busy) from error

    @property
    def session(self) -> Session:
        """The open session (repositories use it; callers outside the store never need it)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._session

    def writing(self, name: str, what: str) -> None:
        """Called by a repository before it writes ``name``: refuses in a read-only unit of work, and on
        PostgreSQL waits for any other transaction writing the same name (an advisory lock held until
        this transaction ends), so that version numbers are read and written by one writer at a time."""
        if self.readonly:
            raise StoreError(f"{what}: this unit of work is read-only")
        self._busy = what
        if self.database.dialect == "postgresql":
            key = zlib.crc32(f"reorg-name:{name}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    # -- repositories ---------------------------------------------------------------------------------

    @property
    def approvals(self) -> ApprovalRepository:
        return ApprovalRepository(self)

    @property
    def audit(self) -> AuditRepository:
        return AuditRepository(self)

    @property
    def consultations(self) -> ConsultationRepository:
        return ConsultationRepository(self)

    @property
    def datasets(self) -> DatasetRepository:
        return DatasetRepository(self)

    @property
    def plans(self) -> PlanRepository:
        return PlanRepository(self)

    @property
    def roadmaps(self) -> RoadmapRepository:
        return RoadmapRepository(self)

    @property
    def users(self) -> UserRepository:
        return UserRepository(self)
