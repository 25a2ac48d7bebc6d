"""Bring a database to the schema this version of reorg expects, with the packaged Alembic migrations.

``upgrade(connection)`` creates a fresh database and upgrades an older one in place; the schema is only
ever created this way. A database migrated by a newer reorg is refused with a StoreError.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection

from reorg.errors import StoreError

__all__ = ["MIGRATIONS", "alembic_config", "current_revision", "head_revision", "upgrade"]

#: the folder holding env.py and versions/
MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; ``connection`` is the one env.py migrates."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision among the packaged migrations."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError("the packaged migrations have no head revision")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at (None for a database reorg never touched)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection) -> None:
    """Migrate the database behind ``connection`` to the newest schema and commit."""
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(connection)
    if current is not None and not _known(script, current):
        raise StoreError(
            f"the database schema is at revision {current!r}, which this version of reorg does not know "
            "(was it written by a newer reorg?)"
        )
    if current != script.get_current_head():
        command.upgrade(alembic_config(connection), "head")
    connection.commit()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (RevisionError, CommandError):
        return False
