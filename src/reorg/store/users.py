"""Users of the web app and their signed-in sessions.

The repository stores what the service decided: it checks no password and no role (that is
``reorg.services.users`` and ``reorg.services.access``). Methods are keyword-only and only flush; the
unit of work commits. Every write names the user it writes (``uow.writing("user:<login>", ...)``, so
that two sign-ins of one login on PostgreSQL queue instead of losing a failed-attempt count) and adds
an audit entry whose target is ``user:<login>``; a session's token is never stored, only its SHA-256.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, cast

from sqlalchemy import CursorResult, delete, or_, select, update

from reorg.errors import InputError, NotFoundError
from reorg.store.models import DbUser, DbWebSession
from reorg.store.records import SessionRecord, UserRecord, utc

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["UserFields", "UserRepository", "user_target"]


class UserFields(TypedDict, total=False):
    """The fields of a user that ``update`` may change."""

    display_name: str
    role: str
    scope: str
    language: str
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None


def user_target(login: str) -> str:
    """The audit target and the write lock name of a user (``:`` never occurs in dataset names)."""
    return f"user:{login}"


def _record(row: DbUser) -> UserRecord:
    locked = utc(row.locked_until) if row.locked_until is not None else None
    return UserRecord(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=row.role,
        scope=row.scope,
        language=row.language,
        disabled=row.disabled,
        failed_logins=row.failed_logins,
        locked_until=locked,
        created_at=utc(row.created_at),
        password_hash=row.password_hash,
    )


class UserRepository:
    """The users and web sessions of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    # -- users ----------------------------------------------------------------------------------------

    def _row(self, login: str) -> DbUser | None:
        return self._uow.session.scalars(select(DbUser).where(DbUser.login == login)).first()

    def lock(self, *, login: str, what: str) -> None:
        """Announce a write of user ``login`` before reading it (see ``UnitOfWork.writing``), so that a
        read-then-write (a failed-attempt count) is not interleaved with another writer of that user."""
        self._uow.writing(user_target(login), what)

    def find(self, *, login: str) -> UserRecord | None:
        """The user ``login``, or None."""
        row = self._row(login)
        return _record(row) if row is not None else None

    def get(self, *, login: str) -> UserRecord:
        """The user ``login`` (NotFoundError when there is none)."""
        row = self._row(login)
        if row is None:
            raise NotFoundError(f"no user {login!r}")
        return _record(row)

    def list(self) -> builtins.list[UserRecord]:
        """Every user, by login."""
        rows = self._uow.session.scalars(select(DbUser).order_by(DbUser.login)).all()
        return [_record(r) for r in rows]

    def create(
        self,
        *,
        login: str,
        display_name: str,
        role: str,
        scope: str,
        language: str,
        password_hash: str,
        created_at: datetime | None = None,
    ) -> UserRecord:
        """Store a new user (InputError when the login is taken), with its audit entry."""
        uow, session = self._uow, self._uow.session
        self.lock(login=login, what=f"adding user {login}")
        if self._row(login) is not None:
            raise InputError("login", "a login no other user has", value=login)
        row = DbUser(
            login=login,
            display_name=display_name,
            role=role,
            scope=scope,
            language=language,
            password_hash=password_hash,
            disabled=False,
            failed_logins=0,
            locked_until=None,
            created_at=created_at or datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        detail = {"role": role, "scope": scope, "language": language}
        uow.audit.record(action="add_user", target=user_target(login), detail=detail)
        return _record(row)

    def update(
        self, *, login: str, action: str, detail: dict[str, Any] | None = None, **fields: Unpack[UserFields]
    ) -> UserRecord:
        """Change ``fields`` of user ``login`` and audit it as ``action`` with ``detail`` (which must not
        hold secrets: a password hash is never audited)."""
        uow = self._uow
        self.lock(login=login, what=f"changing user {login}")
        row = self._row(login)
        if row is None:
            raise NotFoundError(f"no user {login!r}")
        for key, value in fields.items():
            setattr(row, key, value)
        uow.session.flush()
        uow.audit.record(action=action, target=user_target(login), detail=detail or {})
        return _record(row)

    # -- sessions -------------------------------------------------------------------------------------

    def create_session(
        self, *, login: str, token_hash: str, csrf: str, now: datetime, expires_at: datetime
    ) -> SessionRecord:
        """Store a session of user ``login`` (its token's SHA-256, never the token), with its audit entry.
        The user's sessions that ended or expired before ``now`` are deleted (the audit log keeps them)."""
        uow, session = self._uow, self._uow.session
        self.lock(login=login, what=f"signing in {login}")
        row = self._row(login)
        if row is None:
            raise NotFoundError(f"no user {login!r}")
        over = or_(DbWebSession.ended_at.is_not(None), DbWebSession.expires_at <= now)
        session.execute(delete(DbWebSession).where(DbWebSession.user_id == row.id, over))
        web = DbWebSession(
            id=token_hash, user_id=row.id, csrf=csrf, created_at=now, seen_at=now, expires_at=expires_at
        )
        session.add(web)
        session.flush()
        detail = {"expires_at": expires_at.isoformat()}
        uow.audit.record(action="sign_in", target=user_target(login), detail=detail)
        return SessionRecord(token_hash, _record(row), csrf, now, expires_at, None)

    def find_session(self, *, token_hash: str) -> SessionRecord | None:
        """The session whose token hashes to ``token_hash`` and its user (one query; reads only), or
        None. Ended and expired sessions are returned too: the caller judges them."""
        query = select(DbWebSession, DbUser).join(DbUser, DbWebSession.user_id == DbUser.id)
        found = self._uow.session.execute(query.where(DbWebSession.id == token_hash)).first()
        if found is None:
            return None
        web, user = found[0], found[1]
        ended = utc(web.ended_at) if web.ended_at is not None else None
        return SessionRecord(web.id, _record(user), web.csrf, utc(web.created_at), utc(web.expires_at), ended)

    def end_session(self, *, token_hash: str, now: datetime) -> bool:
        """End the session ``token_hash`` if it is still open (audited as ``sign_out``); False when
        there was no such open session."""
        found = self.find_session(token_hash=token_hash)
        if found is None or found.ended_at is not None:
            return False
        login = found.user.login
        self.lock(login=login, what=f"signing out {login}")
        query = update(DbWebSession).where(DbWebSession.id == token_hash, DbWebSession.ended_at.is_(None))
        self._uow.session.execute(query.values(ended_at=now))
        self._uow.session.flush()
        self._uow.audit.record(action="sign_out", target=user_target(login), detail={})
        return True

    def end_sessions(self, *, login: str, now: datetime) -> int:
        """End every open session of user ``login``; how many were open (audited when any)."""
        self.lock(login=login, what=f"signing out {login}")
        row = self._row(login)
        if row is None:
            raise NotFoundError(f"no user {login!r}")
        query = update(DbWebSession).where(DbWebSession.user_id == row.id, DbWebSession.ended_at.is_(None))
        ended = cast("CursorResult[Any]", self._uow.session.execute(query.values(ended_at=now))).rowcount
        self._uow.session.flush()
        if ended:
            detail = {"sessions": ended}
            self._uow.audit.record(action="end_sessions", target=user_target(login), detail=detail)
        return int(ended)
