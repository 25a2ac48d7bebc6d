"""Service fixtures: ``db_url`` gives an empty database on SQLite and on PostgreSQL (see db_kit)."""

from __future__ import annotations

from db_kit import db_url, pg_server, pg_url, store

__all__ = ["db_url", "pg_server", "pg_url", "store"]
