"""The web app on the fictional Examplia bundle, with one user per role and two stored plans."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_kit import sign_in, store_examplia, web_client


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
