"""Settings come from arguments, then the environment, then the defaults; the audit actor names the OS
account."""

from __future__ import annotations

import pytest

from reorg.errors import InputError
from reorg.services import Settings, os_actor


def test_arguments_then_environment_then_default() -> None:
    """--db beats $REORG_DB, which beats sqlite:///reorg.db."""
    env = {"REORG_DB": "sqlite:///env.db"}
    assert Settings.from_env(db_url="sqlite:///arg.db", environ=env).db_url == "sqlite:///arg.db"
    assert Settings.from_env(environ=env).db_url == "sqlite:///env.db"
    assert Settings.from_env(environ={}).db_url == "sqlite:///reorg.db"


@pytest.mark.parametrize(("field", "value"), [("db_url", " "), ("actor", "")])
def test_empty_settings_refused(field: str, value: str) -> None:
    """An empty database URL or actor is refused, naming the setting (not a file)."""
    with pytest.raises(InputError, match=f"setting {field}"):
        Settings(**{field: value})


def test_actor_names_the_os_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """A login name that differs from the OS account does not hide the account."""
    real = os_actor()
    monkeypatch.setenv("LOGNAME", "someone-else")
    assert os_actor().startswith("cli:someone-else (os account ")
    assert real.split(":", 1)[1].split(" ")[0] in os_actor() or real.startswith("cli:")
