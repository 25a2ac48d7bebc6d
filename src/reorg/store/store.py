"""The Store: named, versioned, immutable datasets and plans in a database, with an audit log.

Importing a name again adds version n+1; nothing stored is ever changed. Plans are saved as their JSON
against the newest version of their baseline dataset at the time of saving. Datasets and plans share
one namespace, so that ``resolve(name)`` is never ambiguous. Every write and its audit entry are one
transaction: after a failure (or a killed process) the database holds exactly what it held before.

SQLite is the default (``sqlite:///reorg.db``); PostgreSQL through ``postgresql+psycopg://...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from reorg.errors import InputError, NotFoundError, StoreError
from reorg.model import Apparatus, DatasetInfo
from reorg.plan.operations import Plan
from reorg.progress import Progress
from reorg.store import migrate
from reorg.store.bulk import DIALECTS
from reorg.store.models import DbAudit, DbDataset, DbPlan
from reorg.store.read import read_apparatus
from reorg.store.records import AuditRecord, DatasetRecord, PlanRecord
from reorg.store.write import write_rows

__all__ = ["NAME_PATTERN", "Store", "check_name"]

#: what a dataset or plan name may be
NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_RULE = "1-64 characters among A-Z a-z 0-9 . _ -"
#: how many known names a NotFoundError lists
SHOWN_NAMES = 8


def check_name(name: str, what: str) -> str:
    """``name`` if it is a valid dataset/plan name, else an InputError about ``what``."""
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(what, NAME_RULE, value=name)
    return name


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive timestamps; everything stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _dataset_record(row: DbDataset) -> DatasetRecord:
    info = DatasetInfo(row.title, row.description, row.source, tuple(row.synthetic))
    return DatasetRecord(row.name, row.version, _utc(row.created_at), dict(row.counts), info)


class Store:
    """Datasets, plans and the audit log in the database at ``url``, opened (and migrated) on creation.

    ``actor`` is who the audit log names for the writes made through this store (a user name, "cli").
    """

    def __init__(self, url: str, *, actor: str = "cli") -> None:
        self.actor = actor
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise InputError("database URL", "a URL like sqlite:///reorg.db", value=url) from None
        self.url = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() not in DIALECTS:
            raise InputError("database URL", "a sqlite:// or postgresql+psycopg:// URL", value=self.url)
        try:
            self._engine: Engine = create_engine(parsed)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise InputError("database URL", f"a URL SQLAlchemy can open ({exc})", value=self.url) from None
        if self._engine.dialect.name == "sqlite":
            event.listen(self._engine, "connect", _sqlite_pragmas)
        try:
            with self._engine.connect() as conn:
                migrate.upgrade(conn)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StoreError(f"database {self.url}: {getattr(exc, 'orig', None) or exc}") from exc
        except BaseException:
            self._engine.dispose()
            raise

    # -- plumbing ---------------------------------------------------------------------------------

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """A session, in a transaction committed at the end when ``write`` (rolled back on any error);
        database errors become StoreError, other errors pass through."""
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                if write:
                    with session.begin():
                        yield session
                else:
                    yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.url}: {getattr(exc, 'orig', None) or exc}") from exc

    def _audit(self, session: Session, action: str, target: str, detail: dict[str, Any]) -> None:
        at = datetime.now(UTC)
        session.add(DbAudit(at=at, actor=self.actor, action=action, target=target, detail=detail))

    def _names(self, session: Session) -> list[str]:
        """Every dataset and plan name, sorted."""
        names = session.scalars(select(DbDataset.name).union(select(DbPlan.name))).all()
        return sorted(names)

    def _not_found(self, session: Session, what: str, name: str) -> NotFoundError:
        known = self._names(session)
        shown = ", ".join(known[:SHOWN_NAMES]) + (", ..." if len(known) > SHOWN_NAMES else "")
        return NotFoundError(f"no {what} {name!r} (known: {shown or 'none yet'})")

    def _dataset_row(self, session: Session, name: str, version: int | None) -> DbDataset:
        query = select(DbDataset).where(DbDataset.name == name)
        if version is not None:
            query = query.where(DbDataset.version == version)
        row = session.scalars(query.order_by(DbDataset.version.desc()).limit(1)).first()
        if row is None:
            exists = version is not None and session.scalar(
                select(DbDataset.id).where(DbDataset.name == name)
            )
            if exists:
                raise NotFoundError(f"dataset {name!r} has no version {version}")
            raise self._not_found(session, "dataset", name)
        return row

    def _plan_row(self, session: Session, name: str, version: int | None = None) -> tuple[DbPlan, DbDataset]:
        query = select(DbPlan, DbDataset).join(DbDataset, DbPlan.baseline_id == DbDataset.id)
        query = query.where(DbPlan.name == name)
        if version is not None:
            query = query.where(DbPlan.version == version)
        found = session.execute(query.order_by(DbPlan.version.desc()).limit(1)).first()
        if found is None:
            raise self._not_found(session, "plan", name)
        plan, base = found
        return plan, base

    def _refuse_taken(self, session: Session, name: str, table: type[DbDataset] | type[DbPlan]) -> None:
        if session.scalar(select(table.id).where(table.name == name).limit(1)) is not None:
            other = "dataset" if table is DbDataset else "plan"
            raise InputError("name", f"a name not already used by a {other}", value=name)

    # -- datasets ---------------------------------------------------------------------------------

    def import_apparatus(
        self, app: Apparatus, *, name: str, progress: Progress | None = None
    ) -> DatasetRecord:
        """Store ``app`` as the next version of dataset ``name``, in one transaction with its audit entry."""
        check_name(name, "dataset name")
        counts = {**app.counts(), "lineage": len(app.lineage)}
        with self._session(write=True) as session:
            self._refuse_taken(session, name, DbPlan)
            latest = session.scalar(select(func.max(DbDataset.version)).where(DbDataset.name == name))
            info = app.info
            row = DbDataset(
                name=name,
                version=(latest or 0) + 1,
                created_at=datetime.now(UTC),
                title=info.name,
                description=info.description,
                source=info.source,
                synthetic=list(info.synthetic),
                counts=counts,
            )
            session.add(row)
            session.flush()
            write_rows(session.connection(), row.id, app, progress)
            self._audit(
                session, "import", f"{name}@{row.version}", {"version": row.version, "counts": counts}
            )
        return DatasetRecord(name, row.version, row.created_at, counts, info)

    def list_datasets(self) -> list[DatasetRecord]:
        """Every stored version of every dataset: by name, newest version first within a name."""
        with self._session() as session:
            rows = session.scalars(select(DbDataset).order_by(DbDataset.name, DbDataset.version.desc())).all()
            return [_dataset_record(r) for r in rows]

    def get_dataset(self, name: str, *, version: int | None = None) -> DatasetRecord:
        """The record of a dataset version (the newest when ``version`` is None)."""
        with self._session() as session:
            return _dataset_record(self._dataset_row(session, name, version))

    def load(self, name: str, *, version: int | None = None, progress: Progress | None = None) -> Apparatus:
        """Dataset ``name`` (its newest version unless ``version`` is given) as an Apparatus."""
        with self._session() as session:
            row = self._dataset_row(session, name, version)
            info = _dataset_record(row).info
            return read_apparatus(session.connection(), row.id, row.counts, info, progress)

    # -- plans ------------------------------------------------------------------------------------

    def save_plan(self, plan: Plan, *, name: str) -> PlanRecord:
        """Store ``plan`` as the next version of plan ``name``, against the newest version of its
        baseline dataset (which must exist)."""
        check_name(name, "plan name")
        with self._session(write=True) as session:
            self._refuse_taken(session, name, DbDataset)
            baseline = self._dataset_row(session, plan.baseline, None)
            latest = session.scalar(select(func.max(DbPlan.version)).where(DbPlan.name == name))
            version, now = (latest or 0) + 1, datetime.now(UTC)
            values = {
                "name": name,
                "version": version,
                "created_at": now,
                "baseline_id": baseline.id,
                "operations": len(plan.operations),
                "document": plan.to_json(),
            }
            session.add(DbPlan(**values))
            record = PlanRecord(name, version, now, baseline.name, baseline.version, len(plan.operations))
            detail = {"version": version, "baseline": f"{baseline.name}@{baseline.version}"}
            self._audit(
                session, "save_plan", f"{name}@{version}", {**detail, "operations": record.operations}
            )
        return record

    def list_plans(self) -> list[PlanRecord]:
        """Every stored version of every plan: by name, newest version first within a name."""
        query = select(DbPlan, DbDataset).join(DbDataset, DbPlan.baseline_id == DbDataset.id)
        with self._session() as session:
            found = session.execute(query.order_by(DbPlan.name, DbPlan.version.desc())).all()
        return [_plan_record(row[0], row[1]) for row in found]

    def get_plan(self, name: str, *, version: int | None = None) -> PlanRecord:
        """The record of a plan version (the newest when ``version`` is None)."""
        with self._session() as session:
            return _plan_record(*self._plan_row(session, name, version))

    def load_plan(self, name: str, *, version: int | None = None) -> Plan:
        """Plan ``name`` (its newest version unless ``version`` is given)."""
        with self._session() as session:
            plan, _ = self._plan_row(session, name, version)
        return Plan.from_json(plan.document)

    def resolve(self, name: str, *, progress: Progress | None = None) -> Apparatus:
        """The apparatus a name stands for: a dataset's newest version, or a plan applied to the
        baseline version it was saved against."""
        with self._session() as session:
            is_dataset = (
                session.scalar(select(DbDataset.id).where(DbDataset.name == name).limit(1)) is not None
            )
            if not is_dataset:
                plan_row, base = self._plan_row(session, name)
        if is_dataset:
            return self.load(name, progress=progress)
        from reorg.plan.apply import apply  # the plan layer does not need the store: imported on use

        baseline = self.load(base.name, version=base.version, progress=progress)
        return apply(baseline, Plan.from_json(plan_row.document))

    # -- audit ------------------------------------------------------------------------------------

    def audit(self, *, limit: int = 100) -> list[AuditRecord]:
        """The newest ``limit`` entries of the audit log, newest first."""
        with self._session() as session:
            rows = session.scalars(select(DbAudit).order_by(DbAudit.id.desc()).limit(limit)).all()
        return [AuditRecord(r.id, _utc(r.at), r.actor, r.action, r.target, dict(r.detail)) for r in rows]

    # -- lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _plan_record(plan: DbPlan, base: DbDataset) -> PlanRecord:
    return PlanRecord(
        plan.name, plan.version, _utc(plan.created_at), base.name, base.version, plan.operations
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys on SQLite (off by default there)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
