"""Managing users in the web app: admins only, every change audited with its user."""

from __future__ import annotations

from typing import Any

from web_kit import PASSWORD, sign_in, web_client

from reorg.services import Settings, audit, open_database


def test_admin_adds_a_user_who_can_then_sign_in(as_role: Any, examplia_url: str) -> None:
    """A user added on the page signs in with the password given; the list shows them."""
    c, csrf = as_role("ada")
    form = {
        "csrf": csrf,
        "action": "add",
        "login": "newbie",
        "role": "reviewer",
        "password": PASSWORD,
        "display_name": "<i>New</i>",
        "language": "vi",
    }
    assert c.post("/users", data=form, follow_redirects=False).status_code == 303
    page = c.get("/users").text
    assert "newbie" in page
    assert "&lt;i&gt;New&lt;/i&gt;" in page
    with web_client(examplia_url) as fresh:
        sign_in(fresh, "newbie")
        assert fresh.get("/api/me").json()["role"] == "reviewer"


def test_only_admins_manage_users(as_role: Any) -> None:
    """An analyst gets 403 on the page and the API, and sees no Users link."""
    c, csrf = as_role("ann")
    assert c.get("/users").status_code == 403
    assert c.get("/api/users").status_code == 403
    body = {"login": "sneaky", "password": PASSWORD, "role": "admin"}
    assert c.post("/api/users", json=body, headers={"X-CSRF-Token": csrf}).status_code == 403
    assert 'href="/users"' not in c.get("/").text


def test_disabling_a_user_ends_their_session(as_role: Any) -> None:
    """A disabled user's open session stops working at once; enabling lets them sign in again."""
    admin, token = as_role("ada")
    victim, _ = as_role("exp")
    assert victim.get("/api/me").status_code == 200
    answer = admin.post("/api/users/exp/disable", headers={"X-CSRF-Token": token})
    assert answer.json()["disabled"] is True
    assert victim.get("/api/me").status_code == 401
    admin.post("/api/users/exp/enable", headers={"X-CSRF-Token": token})
    sign_in(victim, "exp")


def test_role_change_applies_to_open_sessions_and_is_audited(as_role: Any, examplia_url: str) -> None:
    """Making the reviewer a unit officer of p-east narrows their view now; the audit log names the admin."""
    admin, token = as_role("ada")
    rev, _ = as_role("rev")
    changed = admin.post(
        "/api/users/rev/role",
        json={"role": "unit_officer", "scope": "p-east"},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code == 200
    top = rev.get("/api/datasets/examplia/units").json()
    assert [u["id"] for u in top["units"]] == ["p-east"]
    admin.post("/api/users/rev/role", json={"role": "reviewer"}, headers={"X-CSRF-Token": token})
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        entries = audit.list_audit(uow, actor="web:ada")
    assert any(e.action == "set_role" for e in entries)
