"""How reorg is configured: one validated object built from arguments and the environment, in one place.

The CLI builds it in its root callback, the web app in ``create_app``; nothing reads the environment at
import time. ``open_database(settings)`` creates the engine and runs the migrations once per process.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import pwd
from collections.abc import Mapping

from reorg.errors import InputError
from reorg.store import DEFAULT_URL, Database

__all__ = ["DB_ENV", "DEFAULT_URL", "Settings", "open_database", "os_actor"]

#: the environment variable naming the database URL
DB_ENV = "REORG_DB"


@dataclasses.dataclass(frozen=True)
class Settings:
    """``db_url``: the database (SQLite file or PostgreSQL server); ``actor``: who the audit log names
    for the writes of this process (a command line names its login and OS account)."""

    db_url: str = DEFAULT_URL
    actor: str = "cli"

    def __post_init__(self) -> None:
        if not self.db_url.strip():
            raise InputError("setting db_url", "a database URL such as sqlite:///reorg.db", value=self.db_url)
        if not self.actor.strip():
            raise InputError("setting actor", "a non-empty name for the audit log", value=self.actor)

    @classmethod
    def from_env(
        cls, *, db_url: str | None = None, actor: str | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Arguments first, then $REORG_DB, then the defaults."""
        env = os.environ if environ is None else environ
        return cls(db_url=db_url or env.get(DB_ENV) or DEFAULT_URL, actor=actor or os_actor())


def os_actor(prefix: str = "cli") -> str:
    """``cli:<login>``, with the OS account added when the login name ($LOGNAME, $USER) differs from it,
    so that a changed environment variable cannot hide who ran a command."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = ""
    try:
        account = pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        account = f"uid {os.getuid()}"
    if not login or login == account:
        return f"{prefix}:{account}"
    return f"{prefix}:{login} (os account {account})"


def open_database(settings: Settings) -> Database:
    """The database of ``settings``, opened and migrated."""
    return Database(settings.db_url)
