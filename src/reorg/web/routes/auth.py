"""Signing in and out, and the language of the pages.

Sign-in is the one form without a session, so its CSRF token is a double-submit cookie: the form echoes a
random value that the page set in a cookie only this site can read. Attempts are limited per client
address here and per account in ``reorg.services.users`` (lockout after repeated failures).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reorg import i18n
from reorg.errors import AuthError, InputError
from reorg.services import users
from reorg.web.context import (
    LANG_COOKIE,
    SESSION_COOKIE,
    ViewerDep,
    WriterDep,
    database,
    language_of,
    render,
    unit_of_work,
)
from reorg.web.security import safe_next
from reorg.web.settings import WebSettings

__all__ = ["api", "pages"]

pages = APIRouter(tags=["session"])
api = APIRouter(prefix="/api", tags=["session"])

LOGIN_CSRF_COOKIE = "reorg_login_csrf"


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        secure=_settings(request).secure_cookies,
        samesite="lax",
        path="/",
    )


def _login_page(request: Request, *, error: str = "", status: int = 200, login: str = "") -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {
            "error": error,
            "login_csrf": token,
            "next": safe_next(request.query_params.get("next")),
            "login": login,
        },
        status=status,
    )
    _cookie(response, request, LOGIN_CSRF_COOKIE, token, None)
    lang = request.query_params.get("lang")
    if lang is not None and lang in i18n.LANGUAGES:
        _cookie(response, request, LANG_COOKIE, lang, 365 * 86400)
    return response


@pages.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@pages.post("/login", include_in_schema=False)
def login(
    request: Request,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; on success set the session cookie and go where the user was heading."""
    tr = i18n.translations(language_of(request))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        return _login_page(request, error=tr.gettext("The form expired: please sign in again."), status=403)
    address = request.client.host if request.client else "unknown"
    if not request.app.state.login_limiter.allow(address):
        message = tr.gettext("Too many sign-in attempts from this address: wait a few minutes.")
        return _login_page(request, error=message, status=429, login=login)
    try:
        with database(request).unit_of_work(actor=f"web:{login[:64]}") as uow:
            signed = users.sign_in(uow, login=login, password=password)
    except (AuthError, InputError):
        message = tr.gettext("Wrong login or password, or the account is locked or disabled.")
        return _login_page(request, error=message, status=401, login=login)
    response = RedirectResponse(safe_next(next), status_code=303)
    _cookie(response, request, SESSION_COOKIE, signed.token, users.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@pages.post("/logout", include_in_schema=False)
def logout(request: Request, who: WriterDep) -> Response:
    """End the session on the server (a copied cookie stops working) and forget it in the browser."""
    with unit_of_work(request, who, readonly=False) as uow:
        users.sign_out(uow, token=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@pages.post("/language", include_in_schema=False)
def set_language(request: Request, who: WriterDep, lang: Annotated[str, Form()]) -> Response:
    """Show every page in ``lang`` from now on (kept with the user)."""
    with unit_of_work(request, who, readonly=False) as uow:
        users.set_language(uow, login=who.user.login, language=lang, viewer=who.principal)
    back = safe_next(request.headers.get("hx-current-url-path") or _referer_path(request))
    return RedirectResponse(back, status_code=303)


def _referer_path(request: Request) -> str:
    referer = request.headers.get("referer", "")
    host = f"{request.url.scheme}://{request.url.netloc}"
    return referer[len(host) :] if referer.startswith(host + "/") else "/"


@api.get("/me")
def me(who: ViewerDep) -> dict[str, object]:
    """The signed-in user (never the password hash) and what the role may do."""
    from reorg.services import access

    return {**who.user.to_dict(), "may": [a for a in access.ACTIONS if access.may(who.principal, a)]}
