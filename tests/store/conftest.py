"""Store fixtures: every store test runs on SQLite and on PostgreSQL (``db_url``, from tests/kits/db_kit.py,
which says how the PostgreSQL schemas are made and dropped)."""

from __future__ import annotations

from db_kit import db_url, pg_server, pg_url, store

__all__ = ["db_url", "pg_server", "pg_url", "store"]
