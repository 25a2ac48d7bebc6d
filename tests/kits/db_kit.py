"""Database fixtures for any test folder: an empty database per backend (``db_url``).

SQLite databases are files in the test's tmp_path. PostgreSQL runs when $REORG_TEST_PG holds a server
URL (CI: postgresql+psycopg://postgres@127.0.0.1:5432/test): each test gets a freshly created schema,
named after this test session (unique per pytest-xdist worker) and dropped afterwards, reached through the
search_path in the URL's connect options. When REORG_TEST_PG is set but the server cannot be reached the
tests fail with the reason; when it is unset they are skipped.

A folder's conftest.py imports the fixtures it wants: ``from db_kit import db_url, pg_server, pg_url``.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from reorg.store import Database

__all__ = ["PG_ENV", "db_url", "pg_server", "pg_url", "store"]

PG_ENV = "REORG_TEST_PG"
SESSION = uuid.uuid4().hex[:10]
_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The PostgreSQL server URL of $REORG_TEST_PG, checked to answer; its test schemas dropped at the end."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set (a postgresql+psycopg:// URL runs the PostgreSQL store tests)")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        pytest.fail(f"{PG_ENV}={url} is set but the server cannot be reached: {exc.orig}", pytrace=False)
    yield url
    with engine.begin() as conn:
        left = conn.scalars(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"reorg_test_{SESSION}_%"}
        ).all()
        for schema in left:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema of the test server."""
    schema = f"reorg_test_{SESSION}_{next(_schemas)}"
    engine = create_engine(pg_server)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_server).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reorg.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Database]:
    """An open store on an empty database, acting as "tester"."""
    with Database(db_url) as opened:
        yield opened
