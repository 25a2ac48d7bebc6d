"""Use cases on the web app's users: add and change them, sign in and out, find who a session is.

Passwords are hashed with argon2id (``HASHER``, RFC 9106 low-memory parameters) and rehashed on the
next sign-in when those parameters change; the password itself is never stored, logged or audited.
A session is a random token (``secrets.token_urlsafe(32)``) held by the browser; the store keeps its
SHA-256 only, with a CSRF token and a fixed end (SESSION_HOURS after sign-in).

Guessing is throttled per account: an unknown login and a wrong password get the same refusal (and
cost the same argon2 work), and after MAX_FAILURES failures in a row the account is locked for
LOCK_MINUTES. A failed sign-in is counted and audited even though it raises: its AuthError carries
``keep_writes``, so the unit of work commits the count before the error leaves.

``session_of`` only reads, so that the web app can call it on every request in a read-only unit of work.
Logins are case-insensitive: they are stored and looked up in lower case.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from reorg.errors import AuthError, InputError
from reorg.services.access import ROLES, SCOPED_ROLE, Principal, require
from reorg.store import UnitOfWork, UserRecord
from reorg.store.users import UserFields, user_target

__all__ = [
    "HASHER",
    "LANGUAGES",
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "ROLES",
    "SESSION_HOURS",
    "Session",
    "SignedIn",
    "User",
    "add_user",
    "disable_user",
    "enable_user",
    "get_user",
    "list_users",
    "session_of",
    "set_language",
    "set_password",
    "set_role",
    "sign_in",
    "sign_out",
    "token_hash",
]

#: the interface languages
LANGUAGES = ("en", "vi", "uk")
#: how long a session lasts after sign-in, whatever is done with it
SESSION_HOURS = 12
#: failed sign-ins in a row that lock an account
MAX_FAILURES = 5
#: how long a lock lasts
LOCK_MINUTES = 15
#: the parameters of new password hashes (argon2id); hashes made with others are redone at sign-in
HASHER = PasswordHasher()

LOGIN_PATTERN = re.compile(r"[a-z0-9._-]{3,64}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 200
MAX_SCOPE = 200

#: what a refused sign-in says, by reason (one sentence each, translated as a whole)
AUTH_MESSAGES = {
    "wrong_credentials": "wrong login or password",
    "locked": "too many failed sign-ins: the account is locked until {until}",
    "disabled": "this account is disabled",
}


@dataclasses.dataclass(frozen=True)
class User:
    """A user of the web app as the interfaces see it (never their password hash); ``scope`` is the
    unit id a unit officer works on, ``language`` the interface language (en, vi, uk)."""

    id: int
    login: str
    display_name: str
    role: str
    scope: str
    language: str
    disabled: bool
    created_at: datetime

    @property
    def principal(self) -> Principal:
        """Who this user is to ``reorg.services.access``."""
        return Principal(self.login, self.role, self.scope)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


@dataclasses.dataclass(frozen=True)
class SignedIn:
    """A new session: ``token`` goes into the browser's cookie (it is not stored anywhere else),
    ``csrf`` into its forms; both are void after ``expires_at`` (UTC) or sign-out."""

    token: str
    csrf: str
    user: User
    expires_at: datetime


@dataclasses.dataclass(frozen=True)
class Session:
    """Who an open session belongs to, the CSRF token its forms must echo, and when it ends (UTC)."""

    user: User
    csrf: str
    expires_at: datetime


def _user(record: UserRecord) -> User:
    return User(
        record.id,
        record.login,
        record.display_name,
        record.role,
        record.scope,
        record.language,
        record.disabled,
        record.created_at,
    )


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# -- checks ---------------------------------------------------------------------------------------------


def _login(login: str) -> str:
    normal = login.strip().lower()
    if not LOGIN_PATTERN.fullmatch(normal):
        raise InputError("login", "3 to 64 characters among letters, digits, '.', '_' and '-'", value=login)
    return normal


def _password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError("password", f"{MIN_PASSWORD} to {MAX_PASSWORD:,} characters")  # never the value
    return password


def _role(role: str, scope: str) -> tuple[str, str]:
    if role not in ROLES:
        raise InputError("role", f"one of {', '.join(ROLES)}", value=role)
    scope = scope.strip()
    if role == SCOPED_ROLE and not scope:
        raise InputError("scope", "the id of the unit a unit officer works on (required for unit_officer)")
    if role != SCOPED_ROLE and scope:
        raise InputError("scope", "no scope: only a unit_officer works on one unit's subtree", value=scope)
    if len(scope) > MAX_SCOPE or not scope.isprintable():
        raise InputError("scope", f"a unit id of at most {MAX_SCOPE} printable characters", value=scope)
    return role, scope


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise InputError("language", f"one of {', '.join(LANGUAGES)}", value=language)
    return language


def _display_name(name: str, login: str) -> str:
    name = name.strip() or login
    if len(name) > MAX_NAME or not name.isprintable():
        raise InputError("display name", f"at most {MAX_NAME} printable characters", value=name)
    return name


# -- users ----------------------------------------------------------------------------------------------


def _manage(viewer: Principal | None) -> None:
    """ForbiddenError unless ``viewer`` may manage users (None: the command line, whose user owns the
    store)."""
    if viewer is not None:
        require(viewer, "manage_users")


def add_user(
    uow: UnitOfWork,
    *,
    viewer: Principal | None = None,
    login: str,
    password: str,
    role: str,
    display_name: str = "",
    scope: str = "",
    language: str = "en",
) -> User:
    """Add a user (InputError for a taken login or a bad field); the display name defaults to the login."""
    _manage(viewer)
    login = _login(login)
    role, scope = _role(role, scope)
    record = uow.users.create(
        login=login,
        display_name=_display_name(display_name, login),
        role=role,
        scope=scope,
        language=_language(language),
        password_hash=HASHER.hash(_password(password)),
    )
    return _user(record)


def list_users(uow: UnitOfWork, *, viewer: Principal | None = None) -> list[User]:
    """Every user, by login."""
    _manage(viewer)
    return [_user(r) for r in uow.users.list()]


def get_user(uow: UnitOfWork, *, login: str) -> User:
    """The user ``login`` (NotFoundError when there is none)."""
    return _user(uow.users.get(login=login.strip().lower()))


def _keep_an_admin(uow: UnitOfWork, login: str, what: str) -> None:
    """InputError when ``login`` is the only enabled admin: nobody would be left to manage users in the
    web app. (One lock for every such check, so that two admins cannot demote each other at once.)"""
    uow.writing(user_target("*"), f"changing user {login}")
    admins = [u.login for u in uow.users.list() if u.role == "admin" and not u.disabled]
    if admins == [login]:
        raise InputError(what, "another enabled admin first: this is the only one", value=login)


def set_role(
    uow: UnitOfWork, *, viewer: Principal | None = None, login: str, role: str, scope: str = ""
) -> User:
    """Give user ``login`` a role (a unit officer needs the id of their unit as ``scope``); it applies
    to their open sessions at once. The only enabled admin keeps their role."""
    _manage(viewer)
    role, scope = _role(role, scope)
    login = login.strip().lower()
    if role != "admin":
        _keep_an_admin(uow, login, "role")
    record = uow.users.update(
        login=login,
        action="set_role",
        detail={"role": role, "scope": scope},
        role=role,
        scope=scope,
    )
    return _user(record)


def set_password(uow: UnitOfWork, *, viewer: Principal | None = None, login: str, password: str) -> User:
    """Give user ``login`` a new password: it unlocks the account and ends their open sessions."""
    _manage(viewer)
    login = login.strip().lower()
    hashed = HASHER.hash(_password(password))
    record = uow.users.update(
        login=login, action="set_password", password_hash=hashed, failed_logins=0, locked_until=None
    )
    uow.users.end_sessions(login=login, now=_now(None))
    return _user(record)


def set_language(uow: UnitOfWork, *, login: str, language: str, viewer: Principal | None = None) -> User:
    """Set the interface language of user ``login`` (a viewer may set their own, an admin anyone's)."""
    if viewer is not None and viewer.login != login.strip().lower():
        _manage(viewer)
    language = _language(language)
    record = uow.users.update(
        login=login.strip().lower(), action="set_language", detail={"language": language}, language=language
    )
    return _user(record)


def disable_user(uow: UnitOfWork, *, viewer: Principal | None = None, login: str) -> User:
    """Disable user ``login``: they can no longer sign in, and their open sessions end now. The only
    enabled admin cannot be disabled."""
    _manage(viewer)
    login = login.strip().lower()
    _keep_an_admin(uow, login, "login")
    record = uow.users.update(login=login, action="disable_user", disabled=True)
    uow.users.end_sessions(login=login, now=_now(None))
    return _user(record)


def enable_user(uow: UnitOfWork, *, viewer: Principal | None = None, login: str) -> User:
    """Let a disabled user ``login`` sign in again."""
    _manage(viewer)
    record = uow.users.update(login=login.strip().lower(), action="enable_user", disabled=False)
    return _user(record)


# -- sessions -------------------------------------------------------------------------------------------


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown logins, so that they cost what a wrong password costs."""
    return HASHER.hash(secrets.token_urlsafe(16))


def _refuse(reason: str, **params: str) -> AuthError:
    message = AUTH_MESSAGES[reason].format(**params)
    return AuthError(message, reason=reason, params=params, keep_writes=True)


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(uow: UnitOfWork, *, login: str, password: str, now: datetime | None = None) -> SignedIn:
    """Check a login and password and open a session; AuthError otherwise (a wrong password and an
    unknown login alike, a locked or a disabled account). Every refusal is counted and audited (and
    committed with the unit of work, though it raises)."""
    now = _now(now)
    login = login.strip().lower()
    users = uow.users
    record = None
    if LOGIN_PATTERN.fullmatch(login):
        users.lock(login=login, what=f"signing in {login}")
        record = users.find(login=login)
    if record is None:
        _verify(_dummy_hash(), password)
        uow.writing(user_target("?"), "recording a failed sign-in")
        # the text typed is not audited: it may be a password typed into the wrong field
        detail = {"reason": "unknown login"}
        uow.audit.record(action="sign_in_failed", target=user_target("?"), detail=detail)
        raise _refuse("wrong_credentials")
    if record.locked_until is not None and record.locked_until > now:
        users.update(login=login, action="sign_in_refused", detail={"reason": "locked"})
        raise _refuse("locked", until=_when(record.locked_until))
    if not _verify(record.password_hash, password):
        _count_failure(uow, record, now)
    if record.disabled:
        users.update(login=login, action="sign_in_refused", detail={"reason": "disabled"})
        raise _refuse("disabled")
    stale = HASHER.check_needs_rehash(record.password_hash)
    if record.failed_logins or record.locked_until is not None or stale:
        fields: UserFields = {"failed_logins": 0, "locked_until": None}
        if stale:
            fields["password_hash"] = HASHER.hash(password)
        action = "reset_failures" if record.failed_logins or record.locked_until else "rehash_password"
        users.update(login=login, action=action, detail={"rehashed": stale}, **fields)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    opened = users.create_session(
        login=login, token_hash=token_hash(token), csrf=csrf, now=now, expires_at=expires
    )
    return SignedIn(token, csrf, _user(opened.user), expires)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _count_failure(uow: UnitOfWork, record: UserRecord, now: datetime) -> NoReturn:
    """Count a wrong password for ``record`` and refuse: the MAX_FAILURES-th in a row locks the account
    for LOCK_MINUTES (and starts the count again, so that each lock allows MAX_FAILURES more guesses)."""
    failures = record.failed_logins + 1
    detail: dict[str, str | int] = {"reason": "wrong password", "failures": failures}
    if failures < MAX_FAILURES:
        uow.users.update(login=record.login, action="sign_in_failed", detail=detail, failed_logins=failures)
        raise _refuse("wrong_credentials")
    until = now + timedelta(minutes=LOCK_MINUTES)
    detail["locked_until"] = until.isoformat()
    uow.users.update(
        login=record.login, action="sign_in_failed", detail=detail, failed_logins=0, locked_until=until
    )
    raise _refuse("locked", until=_when(until))


def session_of(uow: UnitOfWork, *, token: str, now: datetime | None = None) -> Session | None:
    """Who holds ``token``: None when no session has it, or it ended or expired, or its user is
    disabled. Reads only (works in a read-only unit of work)."""
    if not token or len(token) > 200:
        return None
    found = uow.users.find_session(token_hash=token_hash(token))
    if found is None or found.ended_at is not None or found.expires_at <= _now(now) or found.user.disabled:
        return None
    return Session(_user(found.user), found.csrf, found.expires_at)


def sign_out(uow: UnitOfWork, *, token: str) -> None:
    """End the session of ``token`` (nothing happens for an unknown or already ended one)."""
    if token and len(token) <= 200:
        uow.users.end_session(token_hash=token_hash(token), now=_now(None))
