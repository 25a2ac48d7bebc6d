"""Store fixtures: every store test runs on SQLite and on PostgreSQL (``db_url``, from tests/kits/db_kit.py,
which says how the PostgreSQL schemas are made and dropped)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from db_kit import db_url, pg_server, pg_url

from reorg.store import Database

__all__ = ["db_url", "pg_server", "pg_url", "store"]


@pytest.fixture
def store(db_url: str) -> Iterator[Database]:
    """An open store on an empty database, acting as "tester"."""
    with Database(db_url) as opened:
        yield opened
