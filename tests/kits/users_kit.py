"""Test helpers for users: cheap password hashes, and one unit of work per service call."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from reorg.services import users
from reorg.store import Database

ACTOR = "tester"
PASSWORD = "correct horse battery"


def cheap_hashes(monkeypatch: pytest.MonkeyPatch, hasher: PasswordHasher | None = None) -> PasswordHasher:
    """Make the users service hash with the cheapest argon2 parameters (or ``hasher``) for this test:
    the real ones cost 64 MiB and tens of milliseconds per hash."""
    chosen = hasher or PasswordHasher.from_parameters(CHEAPEST)
    monkeypatch.setattr(users, "HASHER", chosen)
    users._dummy_hash.cache_clear()
    return chosen


def add(db: Database, login: str, role: str = "analyst", **kw: Any) -> users.User:
    """Add user ``login`` with PASSWORD (unless given) in its own unit of work."""
    kw.setdefault("password", PASSWORD)
    with db.unit_of_work(actor=ACTOR) as uow:
        return users.add_user(uow, login=login, role=role, **kw)


def sign_in(db: Database, login: str, password: str = PASSWORD, **kw: Any) -> users.SignedIn:
    """Sign in, in its own unit of work (committed even when it raises AuthError)."""
    with db.unit_of_work(actor=ACTOR) as uow:
        return users.sign_in(uow, login=login, password=password, **kw)


def session_of(db: Database, token: str, **kw: Any) -> users.Session | None:
    """Who holds ``token``, asked in a read-only unit of work as the web app asks."""
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return users.session_of(uow, token=token, **kw)
