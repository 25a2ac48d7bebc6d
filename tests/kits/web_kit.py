"""The web app on a fresh SQLite store, with one user per role, and clients signed in as them; the
Examplia store with two plans that the web and browser tests share."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from fastapi.testclient import TestClient

from reorg.plan import Plan
from reorg.services import Settings, datasets, open_database, plans, users
from reorg.web import WebSettings, create_app

PASSWORD = "correct horse battery"

#: login -> (role, scope)
ROLES = {
    "ada": ("admin", ""),
    "ann": ("analyst", ""),
    "rev": ("reviewer", ""),
    "off": ("unit_officer", ""),  # the scope is set by the test that stores a dataset
    "exp": ("expert", ""),
}


def add_users(db_url: str, scope: str = "") -> None:
    """One user per role (the unit officer scoped to ``scope``), all with PASSWORD."""
    with open_database(Settings(db_url=db_url)) as db, db.unit_of_work(actor="test") as uow:
        for login, (role, _) in ROLES.items():
            users.add_user(
                uow, login=login, password=PASSWORD, role=role, scope=scope if role == "unit_officer" else ""
            )


EXAMPLE = Path(str(files("reorg.datasets") / "example"))

#: two small plans on Examplia: communes merged in the north, and in the south
PLANS = {
    "merge-north": {"units": ["c-north-1", "c-north-2"], "into": {"id": "c-north-12", "name": "Maple-Thorn"}},
    "merge-south": {"units": ["c-south-2", "c-south-3"], "into": {"id": "c-south-23", "name": "Reed Bay"}},
}


#: Northvale and Eastmere merged with their departments (a territorial merger must merge departments
#: leading the same tasks, or apply refuses it): the merger the internal-model tests start from
NORTHEAST = {
    "baseline": "examplia",
    "name": "merge-northeast",
    "operations": [
        *(
            {
                "op": "merge",
                "units": [f"d-north-{f}", f"d-east-{f}"],
                "into": {"id": f"d-ne-{f}", "name": f"NE {f}", "parent_id": "p-north"},
            }
            for f in ("fin", "agri")
        ),
        {"op": "merge", "units": ["p-north", "p-east"], "into": {"id": "p-ne", "name": "Northeast"}},
    ],
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


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (the body's data-csrf, or a form's csrf field)."""
    found = re.search(r'data-csrf="([^"]+)"', html) or re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in; returns the session's CSRF token."""
    page = client.get("/login")
    token = csrf_of(page.text)
    answer = client.post(
        "/login",
        data={"login": login, "password": password, "csrf": token, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/").text)


@contextmanager
def web_client(db_url: str) -> Iterator[TestClient]:
    """A client of the web app on ``db_url`` (plain-HTTP cookies: the test server is not HTTPS)."""
    app = create_app(WebSettings(db_url=db_url, secure_cookies=False))
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


def same_app_client(client: TestClient) -> TestClient:
    """Another client (its own cookies) of the app ``client`` runs, sharing its store and its jobs."""
    return TestClient(client.app, base_url="http://testserver")


def wait_for_job(client: TestClient, job_id: str, timeout: float = 60.0) -> dict[str, object]:
    """Poll ``GET /api/jobs/{id}`` until the job is done or failed; the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, object] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['state']} after {timeout} s"
        time.sleep(0.05)
