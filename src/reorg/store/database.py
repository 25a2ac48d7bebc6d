"""One database: its engine, created once and migrated once, and the units of work opened on it.

``Database(url)`` parses the URL (SQLite by default, PostgreSQL for servers), creates the engine, and
brings the schema to the packaged Alembic head under a lock (a PostgreSQL advisory lock, an immediate
transaction on SQLite), so that the first uses of an empty database by two processes at once do not
race. A SQLite file it creates is readable by its owner only (the store holds personnel data).

``database.unit_of_work(actor=...)`` opens one transaction (see ``reorg.store.unit_of_work``).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from reorg.errors import InputError, StoreError
from reorg.store import migrate
from reorg.store.bulk import DIALECTS
from reorg.store.errors import store_error
from reorg.store.unit_of_work import UnitOfWork

__all__ = ["DEFAULT_URL", "Database"]

DEFAULT_URL = "sqlite:///reorg.db"
#: seconds a SQLite writer waits for another writer before giving up
SQLITE_BUSY_TIMEOUT_S = 60.0
#: the PostgreSQL advisory lock key that serialises migrations (any constant shared by every reorg)
MIGRATION_LOCK = 0x7265_6F72_6701


class Database:
    """The database at ``url``, opened (and migrated) on creation; close it (or use ``with``)."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        parsed = _parse(url)
        self.url = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite":
            _create_private(parsed)
        try:
            connect_args: dict[str, Any] = {}
            if parsed.get_backend_name() == "sqlite":
                connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S}
            self.engine: Engine = create_engine(parsed, connect_args=connect_args)
        except (ArgumentError, NoSuchModuleError, TypeError) as exc:
            raise InputError("database URL", f"a URL SQLAlchemy can open ({exc})", value=self.url) from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_transactions(self.engine)
        try:
            with self.engine.connect() as conn:
                _migrate_locked(conn)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise store_error(self.url, exc) from exc
        except BaseException:
            self.engine.dispose()
            raise

    def unit_of_work(self, *, actor: str, readonly: bool = False) -> UnitOfWork:
        """One transaction on this database; ``actor`` is who its audit entries name."""
        return UnitOfWork(self, actor=actor, readonly=readonly)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError("database URL", "a URL like sqlite:///reorg.db", value=url) from None
    if parsed.get_backend_name() not in DIALECTS:
        shown = parsed.render_as_string(hide_password=True)
        raise InputError("database URL", "a sqlite:// or postgresql+psycopg:// URL", value=shown)
    return parsed


def _create_private(url: URL) -> None:
    """Create a SQLite database file readable and writable by its owner only (0600) before SQLite does
    (SQLite gives its journal files the permissions of the database file)."""
    name = url.database or ""
    if name in ("", ":memory:") or name.startswith("file:"):
        return
    path = Path(name)
    if path.exists() or not path.parent.is_dir():
        return  # an existing file keeps its mode; a missing folder is reported by SQLite on connect
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create the database file {path}: {exc.strerror}") from None


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions on SQLite: DDL becomes transactional
    (a migration is all or nothing), and a writing unit of work begins IMMEDIATE, so that two writers
    queue instead of both reading the same next version number. Foreign keys are enforced."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("reorg_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _migrate_locked(conn: Connection) -> None:
    """Migrate to head; concurrent openers of an empty database wait for each other."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            migrate.upgrade(conn)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()
    else:
        conn = conn.execution_options(reorg_write=True)
        migrate.upgrade(conn)
