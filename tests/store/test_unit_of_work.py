"""The unit of work: commits at the end, rolls back on any error, refuses writes when read-only, and turns
database failures into one-line StoreErrors."""

from __future__ import annotations

import sqlite3

import pytest
from store_kit import list_datasets

from reorg.errors import AuthError, StoreError
from reorg.model import Apparatus
from reorg.store import Database
from reorg.store.errors import store_error


def test_commit_at_the_end_rollback_on_error(db_url: str, tiny: Apparatus) -> None:
    """Writes of a block that raises are gone; those of a block that ends are kept."""

    def create_then_fail(db: Database) -> None:
        with db.unit_of_work(actor="t") as uow:
            uow.datasets.create(tiny, name="lost")
            raise RuntimeError("stop")

    with Database(db_url) as db:
        with pytest.raises(RuntimeError, match="stop"):
            create_then_fail(db)
        with db.unit_of_work(actor="t") as uow:
            uow.datasets.create(tiny, name="kept")
        assert [r.name for r in list_datasets(db)] == ["kept"]


def test_an_error_that_keeps_its_writes_commits_them(db_url: str, tiny: Apparatus) -> None:
    """An AuthError with keep_writes (a counted failed sign-in) leaves after a commit; without, a rollback."""

    def create_then_refuse(db: Database, name: str, keep: bool) -> None:
        with db.unit_of_work(actor="t") as uow:
            uow.datasets.create(tiny, name=name)
            raise AuthError("no", reason="wrong_credentials", keep_writes=keep)

    with Database(db_url) as db:
        for name, keep in [("kept", True), ("lost", False)]:
            with pytest.raises(AuthError):
                create_then_refuse(db, name, keep)
        assert [r.name for r in list_datasets(db)] == ["kept"]


def test_readonly_refuses_writes(db_url: str, tiny: Apparatus) -> None:
    """A read-only unit of work refuses to write, naming what was attempted."""
    with (
        Database(db_url) as db,
        pytest.raises(StoreError, match="read-only"),
        db.unit_of_work(actor="t", readonly=True) as uow,
    ):
        uow.datasets.create(tiny, name="x")


def test_actor_required(db_url: str) -> None:
    """A unit of work without an actor for the audit log is a programming error."""
    with Database(db_url) as db, pytest.raises(ValueError, match="actor"):
        db.unit_of_work(actor="")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), "another process was writing"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: datasets.name"), "try again"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (sqlite3.DataError("line one\nline two\n"), "line one"),
    ],
)
def test_database_errors_are_one_line(error: Exception, expected: str) -> None:
    """Driver errors become one line naming the database, with what to do when another writer was in the
    way."""
    message = str(store_error("sqlite:///x.db", error, busy="the import of x"))
    assert expected in message
    assert "\n" not in message
    assert message.startswith("database sqlite:///x.db: ")
