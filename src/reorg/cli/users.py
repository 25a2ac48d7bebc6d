"""``reorg users``: the people who sign in to the web app: add, list, set-role, password, disable, enable.

Whoever can run ``reorg`` on the database is its administrator (this is how the first admin is made),
so these commands ask for no sign-in; their writes are audited with the OS account that ran them.
A password is never a command-line argument (it would show in the process list and the shell
history): it is read from ``--password-file`` (``-`` for standard input) or typed twice, hidden.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reorg.cli.app import JsonOpt, app, console, emit_json, line, table, unit_of_work
from reorg.errors import InputError, ReorgError
from reorg.services import users as service

__all__ = ["users_app"]

users_app = typer.Typer(
    help="Users of the web app: add, list, set-role, password, disable, enable.", no_args_is_help=True
)
app.add_typer(users_app, name="users")

Login = Annotated[str, typer.Argument(help="The user's login (3-64 letters, digits, '.', '_', '-').")]
PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from the first line of this file ('-': standard input) instead of asking.",
        dir_okay=False,
        allow_dash=True,
    ),
]
Scope = Annotated[
    str, typer.Option("--scope", help="For a unit_officer: the id of the unit whose subtree they work on.")
]


def _password(path: Path | None) -> str:
    """The password of ``path`` (its one line), or typed twice without echo."""
    if path is None:
        first = typer.prompt("Password", hide_input=True)
        if typer.prompt("Password again", hide_input=True) != first:
            raise InputError("password", "the same password typed twice")
        return str(first)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReorgError(f"cannot read the password file {path}: {exc}") from None
    lines = text.splitlines()
    if len(lines) != 1:
        raise InputError(f"password file {path}", "exactly one line: the password")
    return lines[0]


#: what each command says it did, one sentence each
DONE = {
    "add": "added user {login}",
    "set-role": "user {login} now has the role {role}",
    "password": "new password for {login}; their sessions have ended",
    "disable": "disabled {login}; their sessions have ended",
    "enable": "enabled {login}",
}
COLUMNS = ["login", "name", "role", "scope", "language", "disabled", "added"]


def _row(user: service.User) -> list[object]:
    added = user.created_at.strftime("%Y-%m-%d")
    return [user.login, user.display_name, user.role, user.scope or "-", user.language, user.disabled, added]


def _done(user: service.User, command: str, json_out: bool) -> None:
    if json_out:
        emit_json(user.to_dict())
        return
    line(DONE[command].format(login=user.login, role=user.role))
    console.print(table("User", COLUMNS, [_row(user)]))


@users_app.command("add")
def add_command(
    ctx: typer.Context,
    login: Login,
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(service.ROLES)}.")],
    scope: Scope = "",
    name: Annotated[str, typer.Option("--name", help="The name shown (default: the login).")] = "",
    language: Annotated[
        str, typer.Option("--language", help=f"Interface language: {', '.join(service.LANGUAGES)}.")
    ] = "en",
    password_file: PasswordFile = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a user who can sign in to the web app."""
    password = _password(password_file)
    with unit_of_work(ctx) as uow:
        user = service.add_user(
            uow, login=login, password=password, role=role, display_name=name, scope=scope, language=language
        )
    _done(user, "add", json_out)


@users_app.command("list")
def list_command(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List the users, by login."""
    with unit_of_work(ctx, readonly=True) as uow:
        users = service.list_users(uow)
    if json_out:
        emit_json([u.to_dict() for u in users])
        return
    if not users:
        console.print("No users yet: add the first admin with `reorg users add LOGIN --role admin`.")
        return
    console.print(table("Users", COLUMNS, [_row(u) for u in users]))


@users_app.command("set-role")
def set_role_command(
    ctx: typer.Context,
    login: Login,
    role: Annotated[str, typer.Argument(help=f"One of {', '.join(service.ROLES)}.")],
    scope: Scope = "",
    json_out: JsonOpt = False,
) -> None:
    """Give a user another role (a unit_officer needs --scope)."""
    with unit_of_work(ctx) as uow:
        user = service.set_role(uow, login=login, role=role, scope=scope)
    _done(user, "set-role", json_out)


@users_app.command("password")
def password_command(
    ctx: typer.Context, login: Login, password_file: PasswordFile = None, json_out: JsonOpt = False
) -> None:
    """Set a user's password: it unlocks the account and signs them out everywhere."""
    password = _password(password_file)
    with unit_of_work(ctx) as uow:
        user = service.set_password(uow, login=login, password=password)
    _done(user, "password", json_out)


@users_app.command("disable")
def disable_command(ctx: typer.Context, login: Login, json_out: JsonOpt = False) -> None:
    """Disable a user: no more sign-ins, and their open sessions end now."""
    with unit_of_work(ctx) as uow:
        user = service.disable_user(uow, login=login)
    _done(user, "disable", json_out)


@users_app.command("enable")
def enable_command(ctx: typer.Context, login: Login, json_out: JsonOpt = False) -> None:
    """Let a disabled user sign in again."""
    with unit_of_work(ctx) as uow:
        user = service.enable_user(uow, login=login)
    _done(user, "enable", json_out)
