"""Database errors as one line a person can act on: every failure below the store becomes a StoreError.

SQLAlchemy wraps driver errors; the bulk writer talks to the drivers directly (``executemany``, COPY),
so raw ``sqlite3`` and ``psycopg`` errors are translated too. Lock waits that ran out and unique
violations in the version numbers mean another process was writing: the message says to try again.
"""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import SQLAlchemyError

from reorg.errors import StoreError

__all__ = ["DATABASE_ERRORS", "store_error"]

#: errors of SQLAlchemy and of the database drivers themselves
DATABASE_ERRORS = (SQLAlchemyError, sqlite3.Error, psycopg.Error)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"


def store_error(url: str, exc: BaseException, *, busy: str = "") -> StoreError:
    """The StoreError for a database failure on ``url``; ``busy`` says what the caller was writing (e.g.
    "an import of NAME"), for the message when another writer was in the way."""
    cause = getattr(exc, "orig", None) if isinstance(exc, SQLAlchemyError) else exc
    cause = cause if cause is not None else exc
    text = _first_line(str(cause))
    lowered = text.lower()
    contended = (
        "database is locked" in lowered
        or "deadlock detected" in lowered
        or isinstance(cause, psycopg.errors.UniqueViolation | psycopg.errors.SerializationFailure)
        or (isinstance(cause, sqlite3.IntegrityError) and "unique" in lowered)
    )
    if contended:
        what = busy or "this write"
        return StoreError(
            f"database {url}: another process was writing at the same time as {what}; try again"
        )
    if "disk is full" in lowered or "no space left" in lowered:
        return StoreError(f"database {url}: the disk is full ({text})")
    return StoreError(f"database {url}: {text}")
