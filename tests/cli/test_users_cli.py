"""``reorg users``: add (password from a file or typed twice), list, set-role, password, disable."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from typer.testing import CliRunner, Result
from users_kit import PASSWORD, cheap_hashes, session_of, sign_in

from reorg.cli import app
from reorg.errors import AuthError
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of an empty SQLite database; passwords are hashed cheaply."""
    cheap_hashes(monkeypatch)
    return f"sqlite:///{tmp_path / 'users.db'}"


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "pw.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def typed(db: str, *args: str, text: str) -> Result:
    """Run ``reorg --db DB ARGS`` with ``text`` typed at the prompts."""
    return CliRunner().invoke(app, ["--db", db, *args], input=text)


def test_add_with_a_password_file_then_list(db: str, password_file: Path) -> None:
    """users add stores the user (its password works), users list --json shows it without a hash."""
    pw = str(password_file)
    run_json(db, "users", "add", "Anna", "--role", "admin", "--name", "Anna N", "--password-file", pw)
    run_json(db, "users", "add", "bob", "--role", "unit_officer", "--scope", "p1", "--password-file", pw)
    listed = run_json(db, "users", "list")
    assert [(u["login"], u["role"], u["scope"]) for u in listed] == [
        ("anna", "admin", ""),
        ("bob", "unit_officer", "p1"),
    ]
    assert listed[0]["display_name"] == "Anna N"
    assert "password_hash" not in listed[0]
    with Database(db) as store:
        assert sign_in(store, "anna").user.role == "admin"
    table = run(db, "users", "list")
    assert table.exit_code == 0
    assert "unit_officer" in table.stdout
    assert "argon2" not in table.stdout


def test_the_password_can_be_typed_twice(db: str) -> None:
    """Typed twice and hidden; two different entries are refused in one line."""
    result = typed(db, "users", "add", "anna", "--role", "expert", text=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.stdout
    refused = typed(db, "users", "add", "bob", "--role", "expert", text=f"{PASSWORD}\nsomething else\n")
    assert_refused(refused, "password: the same password typed twice")


def test_a_password_is_never_an_argument(db: str) -> None:
    """There is no --password option: it would show in the process list."""
    result = run(db, "users", "add", "anna", "--role", "admin", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_set_role_password_and_disable(db: str, password_file: Path) -> None:
    """set-role needs --scope for a unit officer; password replaces it; disable ends the sessions."""
    run_json(db, "users", "add", "anna", "--role", "analyst", "--password-file", str(password_file))
    assert_refused(run(db, "users", "set-role", "anna", "unit_officer"), "required for unit_officer")
    changed = run_json(db, "users", "set-role", "anna", "unit_officer", "--scope", "p2")
    assert (changed["role"], changed["scope"]) == ("unit_officer", "p2")
    with Database(db) as store:
        token = sign_in(store, "anna").token
    new = typed(db, "users", "password", "anna", text="a new password\na new password\n")
    assert new.exit_code == 0, new.output
    with Database(db) as store:
        assert session_of(store, token) is None
        with pytest.raises(AuthError):
            sign_in(store, "anna")
        token = sign_in(store, "anna", "a new password").token
    assert run_json(db, "users", "disable", "anna")["disabled"] is True
    with Database(db) as store:
        assert session_of(store, token) is None


def test_refusals_are_one_line(db: str, tmp_path: Path, password_file: Path) -> None:
    """A bad role, a short password, a missing user, an unreadable file: one line each, exit 2."""
    pw = str(password_file)
    assert_refused(run(db, "users", "add", "anna", "--role", "boss", "--password-file", pw), "role: one of")
    short = tmp_path / "short.txt"
    short.write_text("short\n", encoding="utf-8")
    refused = run(db, "users", "add", "anna", "--role", "admin", "--password-file", str(short))
    assert_refused(refused, "password: 10 to 1,024 characters")
    assert "short" not in refused.stderr
    assert_refused(run(db, "users", "disable", "nobody"), "no user 'nobody'")
    two = tmp_path / "two.txt"
    two.write_text("line one is long\nline two\n", encoding="utf-8")
    refused = run(db, "users", "add", "anna", "--role", "admin", "--password-file", str(two))
    assert_refused(refused, "exactly one line")
    assert_refused(
        run(db, "users", "add", "anna", "--role", "admin", "--password-file", str(tmp_path / "none")),
        "cannot read the password file",
    )
