"""Signing in and out, sessions, CSRF and the routes that need a signed-in user."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from web_kit import PASSWORD, csrf_of, sign_in, web_client

from reorg.web import WebSettings, create_app


def test_pages_redirect_to_sign_in_and_api_answers_401(client: TestClient) -> None:
    """Without a session a page sends the browser to /login (keeping where it was going); the API says 401."""
    page = client.get("/units?dataset=examplia", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/units?dataset=examplia"
    api = client.get("/api/datasets")
    assert api.status_code == 401
    assert api.json()["error"] == "NotSignedInError"


def test_every_route_needs_a_session_except_sign_in_and_static(client: TestClient) -> None:
    """Every GET route of the app, pages, API and docs alike, refuses a request without a session, except
    sign-in, static files and exactly the public view under /public (which answers without one)."""
    open_paths = {"/login"}
    public = 0
    checked = 0
    for route in _routes(client.app.routes):  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", None) or set()
        if "GET" not in methods or path in open_paths or path.startswith("/static"):
            continue
        if path == "/public" or path.startswith("/public/"):
            url = re.sub(r"\{[^}]+\}", "x", path)
            assert client.get(url, follow_redirects=False).status_code in (200, 404, 422), path
            public += 1
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code in (303, 401), (path, answer.status_code)
        if answer.status_code == 303:
            assert answer.headers["location"].startswith("/login")
        checked += 1
    assert checked >= 10
    assert public == 5


def _routes(routes: list[Any]) -> list[Any]:
    """Every route, looking into included routers (FastAPI keeps them nested)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _routes(inner.routes) if inner is not None else [route]
    return out


def test_sign_in_with_a_wrong_password_is_refused_without_saying_why(client: TestClient) -> None:
    """A wrong password and an unknown login get the same answer, and no session cookie."""
    for login in ("ann", "nobody"):
        form = client.get("/login")
        answer = client.post(
            "/login", data={"login": login, "password": "wrong password!", "csrf": csrf_of(form.text)}
        )
        assert answer.status_code == 401
        assert "Wrong login or password" in answer.text
        assert "reorg_session" not in client.cookies


def test_sign_in_form_without_its_csrf_cookie_is_refused(client: TestClient) -> None:
    """The sign-in form must echo the value of its own cookie (no cross-site sign-in)."""
    answer = client.post("/login", data={"login": "ann", "password": PASSWORD, "csrf": "forged"})
    assert answer.status_code == 403
    assert "reorg_session" not in client.cookies


def test_session_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    """The session cookie cannot be read by scripts and is not sent on cross-site posts."""
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"login": "ann", "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    cookie = answer.headers["set-cookie"]
    assert "reorg_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_a_stolen_cookie_does_not_survive_sign_out(examplia_url: str) -> None:
    """After sign-out, a copy of the session cookie taken before it no longer opens anything."""
    with web_client(examplia_url) as browser, web_client(examplia_url) as thief:
        csrf = sign_in(browser, "ann")
        thief.cookies.set("reorg_session", browser.cookies["reorg_session"])
        assert thief.get("/api/me").status_code == 200
        assert browser.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        assert thief.get("/api/me").status_code == 401


def test_changes_without_the_csrf_token_are_refused(as_role: object) -> None:
    """Sign-out and the language switch need the session's CSRF token, as a form field or a header."""
    c, csrf = as_role("ann")  # type: ignore[operator]
    assert c.post("/language", data={"lang": "vi"}).status_code == 403
    assert c.post("/language", data={"lang": "vi", "csrf": "not-it"}).status_code == 403
    assert c.post("/logout", data={}).status_code == 403
    assert c.get("/api/me").status_code == 200  # still signed in
    ok = c.post("/language", data={"lang": "vi"}, headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert ok.status_code == 303


def test_sign_in_attempts_are_limited_per_address(examplia_url: str) -> None:
    """Past the limit of attempts per client address, even the right password waits."""
    app = create_app(WebSettings(db_url=examplia_url, secure_cookies=False, login_attempts=3))
    with TestClient(app) as c:
        for _ in range(3):
            c.post(
                "/login",
                data={"login": "rev", "password": "wrong password!", "csrf": csrf_of(c.get("/login").text)},
            )
        answer = c.post(
            "/login", data={"login": "rev", "password": PASSWORD, "csrf": csrf_of(c.get("/login").text)}
        )
        assert answer.status_code == 429


def test_next_only_goes_to_this_site(client: TestClient) -> None:
    """A ``next`` pointing elsewhere lands on the dashboard instead."""
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"login": "exp", "password": PASSWORD, "csrf": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_security_headers_on_every_answer(client: TestClient) -> None:
    """Pages cannot be framed, sniffed, or run scripts from elsewhere."""
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
