"""The schema comes from the migrations, matches the models, and is upgraded on open."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from store_kit import create_dataset

from reorg.errors import InputError, StoreError
from reorg.model import Apparatus
from reorg.store import Database
from reorg.store.migrate import alembic_config, current_revision, head_revision
from reorg.store.models import Base


def test_migrated_schema_matches_models(db_url: str) -> None:
    """A fresh database is migrated to head, and autogenerate finds nothing to change."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_sqlite_row_tables_without_rowid(tmp_path: Path) -> None:
    """On SQLite the row tables keep rows in (dataset_id, idx) order: they are WITHOUT ROWID tables."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    Database(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'people'"))
    engine.dispose()
    assert sql is not None
    assert "WITHOUT ROWID" in sql


def test_old_database_upgraded(db_url: str, tiny: Apparatus) -> None:
    """A database whose schema is older than head (here: emptied back to base) is brought up to head."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
        assert current_revision(conn) is None
        assert "datasets" not in inspect(conn).get_table_names()
    with Database(db_url) as store:
        create_dataset(store, tiny, name="tiny")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()


def test_newer_database_refused(db_url: str) -> None:
    """A database at a revision this reorg does not know is refused with a StoreError."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"'f00dfeed'.*newer reorg"):
        Database(db_url)


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db", "oracle://h/db"])
def test_bad_url(url: str) -> None:
    """A URL that is not SQLite or PostgreSQL is an InputError."""
    with pytest.raises(InputError, match="database URL"):
        Database(url)


def test_unopenable_database(tmp_path: Path) -> None:
    """A database that cannot be opened is a StoreError naming it."""
    with pytest.raises(StoreError, match="missing"):
        Database(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
