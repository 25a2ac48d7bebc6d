"""The web app on the fictional Examplia bundle, with one user per role and two stored plans."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_kit import add_users, sign_in, web_client

from reorg.plan import Plan
from reorg.services import Settings, datasets, open_database, plans

EXAMPLE = Path(str(files("reorg.datasets") / "example"))

#: two small plans on Examplia: communes merged in the north, and in the south
PLANS = {
    "merge-north": {"units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-12", "name": "Maple-Thorn"}},
    "merge-south": {"units": ["c-south-2", "c-south-3"], "into": {"id": "c-south-23", "name": "Reed Bay"}},
}


def store_examplia(db_url: str) -> None:
    """Examplia as dataset ``examplia``, the PLANS stored on it, and the users of web_kit (the unit
    officer on Northvale Province)."""
    with open_database(Settings(db_url=db_url)) as db, db.unit_of_work(actor="test") as uow:
        datasets.import_bundle(uow, path=EXAMPLE, name="examplia")
        for name, merge in PLANS.items():
            plan = Plan.from_dict({"baseline": "examplia", "operations": [{"op": "merge", **merge}]})
            plans.apply_plan(uow, plan=plan, name=name)
    add_users(db_url, scope="p-north")


@pytest.fixture(scope="module")
def examplia_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    store_examplia(url)
    return url


@pytest.fixture
def client(examplia_url: str) -> Iterator[TestClient]:
    """A client that has not signed in."""
    with web_client(examplia_url) as c:
        yield c


@pytest.fixture
def as_role(examplia_url: str) -> Iterator[object]:
    """``as_role(login)`` -> (client signed in as that user, its CSRF token)."""
    opened: list[object] = []

    def make(login: str) -> tuple[TestClient, str]:
        context = web_client(examplia_url)
        c = context.__enter__()
        opened.append(context)
        return c, sign_in(c, login)

    yield make
    for context in opened:
        context.__exit__(None, None, None)  # type: ignore[attr-defined]
