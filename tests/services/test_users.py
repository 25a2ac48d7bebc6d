"""services.users on SQLite and PostgreSQL: users, sign-in throttling, sessions, what is stored."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from store_kit import audit
from users_kit import ACTOR, PASSWORD, add, cheap_hashes, session_of, sign_in

from reorg.errors import AuthError, InputError, NotFoundError, StoreError
from reorg.services import users
from reorg.services.access import Principal
from reorg.store import Database
from reorg.store.models import DbUser, DbWebSession

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """An empty store whose users service hashes cheaply."""
    cheap_hashes(monkeypatch)
    with Database(db_url) as opened:
        yield opened


def stored(db: Database) -> tuple[list[str], list[str], list[str]]:
    """The raw password hashes, session ids and CSRF tokens in the database."""
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        hashes = list(uow.session.scalars(select(DbUser.password_hash)))
        rows = uow.session.execute(select(DbWebSession.id, DbWebSession.csrf)).all()
    return hashes, [r[0] for r in rows], [r[1] for r in rows]


# -- users -------------------------------------------------------------------------------------------------


def test_the_password_is_stored_as_an_argon2_hash(db: Database) -> None:
    """The stored hash is argon2id, verifies the password, and does not contain it."""
    add(db, "anna")
    (hashed,), _, _ = stored(db)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert PasswordHasher().verify(hashed, PASSWORD)


def test_a_user_is_listed_and_read_back_without_the_hash(db: Database) -> None:
    """Logins are kept in lower case, listed by login; to_dict never carries the hash."""
    add(db, "Zoe", role="expert", display_name="Zoë Q", language="uk")
    add(db, "anna", role="unit_officer", scope="p1")
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        listed = users.list_users(uow)
        zoe = users.get_user(uow, login="ZOE")
    assert [u.login for u in listed] == ["anna", "zoe"]
    assert (zoe.display_name, zoe.role, zoe.language, zoe.scope) == ("Zoë Q", "expert", "uk", "")
    assert listed[0].display_name == "anna"
    assert listed[0].scope == "p1"
    assert "password_hash" not in zoe.to_dict()
    assert "argon2" not in str(zoe.to_dict())
    assert zoe.principal.role == "expert"


@pytest.mark.parametrize(
    ("kw", "field", "expected"),
    [
        ({"login": "ab"}, "login", "3 to 64 characters"),
        ({"login": "anna smith"}, "login", "3 to 64 characters"),
        ({"login": "a" * 65}, "login", "3 to 64 characters"),
        ({"role": "boss"}, "role", "one of admin, analyst, reviewer, unit_officer, expert"),
        ({"language": "fr"}, "language", "one of en, vi, uk"),
        ({"role": "unit_officer"}, "scope", "required for unit_officer"),
        ({"scope": "p1"}, "scope", "only a unit_officer"),
        ({"password": "short pw"}, "password", "10 to 1,024 characters"),
        ({"display_name": "x" * 201}, "display name", "at most 200"),
    ],
)
def test_bad_fields_are_refused_by_name(db: Database, kw: dict[str, str], field: str, expected: str) -> None:
    """Each bad field gets an InputError naming it and what was expected; a password is never echoed."""
    args = {"login": "anna", "password": PASSWORD, "role": "analyst", **kw}
    with pytest.raises(InputError) as caught, db.unit_of_work(actor=ACTOR) as uow:
        users.add_user(uow, **args)
    assert str(caught.value).startswith(field)
    assert expected in str(caught.value)
    assert args["password"] not in str(caught.value)


def test_a_login_is_taken_once_whatever_its_case(db: Database) -> None:
    """Adding ANNA after anna is refused."""
    add(db, "anna")
    with pytest.raises(InputError, match="a login no other user has"):
        add(db, "ANNA")


def test_changes_are_audited_and_missing_users_named(db: Database) -> None:
    """set_role, set_language, disable each leave an audit entry; an unknown login is NotFoundError."""
    add(db, "anna")
    with db.unit_of_work(actor="cli:root") as uow:
        users.set_role(uow, login="anna", role="unit_officer", scope="p2")
        assert users.set_language(uow, login="anna", language="vi").language == "vi"
        assert users.disable_user(uow, login="anna").disabled
    actions = [(e.action, e.target, e.actor) for e in audit(db)]
    assert actions[:4] == [
        ("disable_user", "user:anna", "cli:root"),
        ("set_language", "user:anna", "cli:root"),
        ("set_role", "user:anna", "cli:root"),
        ("add_user", "user:anna", ACTOR),
    ]
    with pytest.raises(NotFoundError, match="no user 'bob'"), db.unit_of_work(actor=ACTOR) as uow:
        users.set_role(uow, login="bob", role="expert")


def test_the_only_admin_stays_an_admin(db: Database) -> None:
    """The only enabled admin can be neither demoted nor disabled; with a second one, either can."""
    add(db, "anna", role="admin")
    for change in (
        lambda uow: users.set_role(uow, login="anna", role="analyst"),
        lambda uow: users.disable_user(uow, login="anna"),
    ):
        with (
            pytest.raises(InputError, match="another enabled admin first"),
            db.unit_of_work(actor=ACTOR) as uow,
        ):
            change(uow)
    add(db, "bob", role="admin")
    with db.unit_of_work(actor=ACTOR) as uow:
        assert users.disable_user(uow, login="anna").disabled
        with pytest.raises(InputError, match="another enabled admin first"):
            users.set_role(uow, login="bob", role="expert")


# -- sign-in and sessions -------------------------------------------------------------------------------


def test_a_session_is_found_by_its_token_and_only_its_hash_is_stored(db: Database) -> None:
    """session_of (read-only) finds the user; the store holds SHA-256(token) and never the token."""
    add(db, "anna", role="reviewer")
    signed = sign_in(db, "anna", now=T0)
    assert signed.expires_at == T0 + timedelta(hours=users.SESSION_HOURS)
    found = session_of(db, signed.token, now=T0 + timedelta(hours=1))
    assert found is not None
    assert (found.user.login, found.user.role, found.csrf) == ("anna", "reviewer", signed.csrf)
    _, ids, csrfs = stored(db)
    assert ids == [hashlib.sha256(signed.token.encode()).hexdigest()]
    assert signed.token not in ids
    assert signed.token not in csrfs
    assert signed.csrf != signed.token
    assert len(signed.token) >= 43


def test_unknown_tokens_expired_and_ended_sessions_are_none(db: Database) -> None:
    """No session for a made-up token, after SESSION_HOURS, or after sign_out (a second one is harmless)."""
    add(db, "anna")
    signed = sign_in(db, "anna", now=T0)
    assert session_of(db, "made-up", now=T0) is None
    assert session_of(db, "", now=T0) is None
    assert session_of(db, signed.token, now=T0 + timedelta(hours=12)) is None
    assert session_of(db, signed.token, now=T0 + timedelta(hours=11, minutes=59)) is not None
    with db.unit_of_work(actor=ACTOR) as uow:
        users.sign_out(uow, token=signed.token)
        users.sign_out(uow, token=signed.token)
        users.sign_out(uow, token="made-up")
    assert session_of(db, signed.token, now=T0) is None
    assert [e.action for e in audit(db)].count("sign_out") == 1


def test_session_of_writes_nothing(db: Database) -> None:
    """session_of runs in a read-only unit of work and leaves the audit log as it was."""
    add(db, "anna")
    signed = sign_in(db, "anna")
    before = len(audit(db))
    assert session_of(db, signed.token) is not None
    assert len(audit(db)) == before


def test_a_disabled_user_has_no_session_and_cannot_sign_in(db: Database) -> None:
    """Disabling ends the open sessions; the right password then gets 'disabled'; enabling restores."""
    add(db, "anna")
    signed = sign_in(db, "anna")
    with db.unit_of_work(actor=ACTOR) as uow:
        users.disable_user(uow, login="anna")
    assert session_of(db, signed.token) is None
    with pytest.raises(AuthError, match="this account is disabled") as caught:
        sign_in(db, "anna")
    assert caught.value.reason == "disabled"
    with db.unit_of_work(actor=ACTOR) as uow:
        users.enable_user(uow, login="anna")
    assert session_of(db, sign_in(db, "anna").token) is not None


def test_a_role_change_applies_to_an_open_session(db: Database) -> None:
    """The session reads the user afresh: a new role shows at once."""
    add(db, "anna")
    signed = sign_in(db, "anna")
    with db.unit_of_work(actor=ACTOR) as uow:
        users.set_role(uow, login="anna", role="unit_officer", scope="p1")
    found = session_of(db, signed.token)
    assert found is not None
    assert found.user.principal == Principal("anna", "unit_officer", "p1")


def test_a_wrong_password_and_an_unknown_login_are_refused_alike(db: Database) -> None:
    """Same message for both; both audited, the unknown one without the text typed."""
    add(db, "anna")
    messages = []
    for login, password in [("anna", "wrong password!"), ("nobody", PASSWORD), ("x y", PASSWORD)]:
        with pytest.raises(AuthError) as caught:
            sign_in(db, login, password)
        messages.append(str(caught.value))
    assert messages == ["wrong login or password"] * 3
    entries = [e for e in audit(db) if e.action == "sign_in_failed"]
    assert [e.target for e in entries] == ["user:?", "user:?", "user:anna"]
    assert all("nobody" not in str(e.to_dict()) for e in entries)
    assert all(e.actor == ACTOR for e in entries)


def test_five_failures_lock_for_fifteen_minutes(db: Database) -> None:
    """The fifth wrong password in a row locks; even the right one is refused until the lock ends."""
    add(db, "anna")
    for k in range(4):
        with pytest.raises(AuthError, match="wrong login or password"):
            sign_in(db, "anna", "wrong password!", now=T0 + timedelta(seconds=k))
    with pytest.raises(AuthError, match="locked until 2026-11-30 09:15 UTC") as caught:
        sign_in(db, "anna", "wrong password!", now=T0 + timedelta(seconds=4))
    assert caught.value.reason == "locked"
    assert caught.value.params == {"until": "2026-11-30 09:15 UTC"}
    with pytest.raises(AuthError, match="locked until"):
        sign_in(db, "anna", now=T0 + timedelta(minutes=14))
    signed = sign_in(db, "anna", now=T0 + timedelta(minutes=16))
    assert session_of(db, signed.token, now=T0 + timedelta(minutes=16)) is not None
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        record = uow.users.get(login="anna")
    assert (record.failed_logins, record.locked_until) == (0, None)


def test_a_success_resets_the_count(db: Database) -> None:
    """Three failures, a success, then four failures: still not locked (failures must be in a row)."""
    add(db, "anna")
    for _k in range(3):
        with pytest.raises(AuthError):
            sign_in(db, "anna", "wrong password!", now=T0)
    sign_in(db, "anna", now=T0)
    for _k in range(4):
        with pytest.raises(AuthError, match="wrong login or password"):
            sign_in(db, "anna", "wrong password!", now=T0)
    assert sign_in(db, "anna", now=T0).user.login == "anna"


def test_a_new_password_unlocks_and_ends_sessions(db: Database) -> None:
    """set_password: the old password stops working, the lock goes, open sessions end."""
    add(db, "anna")
    signed = sign_in(db, "anna", now=T0)
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            sign_in(db, "anna", "wrong password!", now=T0)
    with db.unit_of_work(actor=ACTOR) as uow:
        users.set_password(uow, login="anna", password="another long one")
    assert session_of(db, signed.token, now=T0) is None
    with pytest.raises(AuthError, match="wrong login or password"):
        sign_in(db, "anna", now=T0)
    assert sign_in(db, "anna", "another long one", now=T0).user.login == "anna"
    assert "another long one" not in str([e.to_dict() for e in audit(db)])


def test_a_hash_with_old_parameters_is_redone_at_sign_in(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When HASHER's parameters change, the next successful sign-in stores a hash with the new ones."""
    add(db, "anna")
    (old,), _, _ = stored(db)
    stronger = cheap_hashes(monkeypatch, PasswordHasher(time_cost=2, memory_cost=64, parallelism=1))
    assert stronger.check_needs_rehash(old)
    sign_in(db, "anna")
    (new,), _, _ = stored(db)
    assert new != old
    assert not stronger.check_needs_rehash(new)
    assert stronger.verify(new, PASSWORD)
    assert "rehash_password" in [e.action for e in audit(db)]


def test_sign_in_needs_a_writing_unit_of_work(db: Database) -> None:
    """In a read-only unit of work sign_in is refused as a store error, not half done."""
    add(db, "anna")
    with pytest.raises(StoreError, match="read-only"), db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        users.sign_in(uow, login="anna", password=PASSWORD)
