"""Store fixtures: every store test runs on SQLite and on PostgreSQL (see tests/kits/db_fixtures.py)."""

from db_fixtures import db_url, pg_server, pg_url, store

__all__ = ["db_url", "pg_server", "pg_url", "store"]
