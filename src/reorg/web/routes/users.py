"""Users of the web app, for admins: add, change role, disable or enable, set a new password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from reorg.errors import InputError
from reorg.services import users
from reorg.services.access import ROLES
from reorg.web.context import ViewerDep, WriterDep, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["users"])
api = APIRouter(prefix="/api", tags=["users"])


@pages.get("/users", response_class=HTMLResponse, include_in_schema=False)
def user_list(request: Request, who: ViewerDep, done: str = "") -> HTMLResponse:
    """Every user with forms to change them (admins only)."""
    with unit_of_work(request, who) as uow:
        everyone = users.list_users(uow, viewer=who.principal)
    context = {"users": everyone, "roles": ROLES, "languages_codes": users.LANGUAGES, "done": done}
    return render(request, "users.html", context, who=who)


@pages.post("/users", include_in_schema=False)
def user_change(
    request: Request,
    who: WriterDep,
    action: Annotated[str, Form()],
    login: Annotated[str, Form()],
    role: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "en",
) -> Response:
    """One change to one user, by ``action``: add, role, password, disable or enable."""
    with unit_of_work(request, who, readonly=False) as uow:
        if action == "add":
            users.add_user(
                uow,
                viewer=who.principal,
                login=login,
                password=password,
                role=role,
                scope=scope,
                display_name=display_name,
                language=language,
            )
        elif action == "role":
            users.set_role(uow, viewer=who.principal, login=login, role=role, scope=scope)
        elif action == "password":
            users.set_password(uow, viewer=who.principal, login=login, password=password)
        elif action == "disable":
            users.disable_user(uow, viewer=who.principal, login=login)
        elif action == "enable":
            users.enable_user(uow, viewer=who.principal, login=login)
        else:
            raise InputError("form field action", "add, role, password, disable or enable", value=action)
    return RedirectResponse(f"/users?done={action}", status_code=303)


class NewUser(BaseModel):
    """A user to add: the password is at least 10 characters; a unit officer needs a scope (a unit id)."""

    login: str
    password: str
    role: str
    display_name: str = ""
    scope: str = ""
    language: str = "en"


class RoleChange(BaseModel):
    role: str
    scope: str = ""


@api.get("/users")
def api_users(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """Every user (never a password hash)."""
    with unit_of_work(request, who) as uow:
        return [u.to_dict() for u in users.list_users(uow, viewer=who.principal)]


@api.post("/users", status_code=201)
def api_add_user(request: Request, who: WriterDep, new: NewUser) -> dict[str, Any]:
    """Add a user."""
    with unit_of_work(request, who, readonly=False) as uow:
        return users.add_user(uow, viewer=who.principal, **new.model_dump()).to_dict()


@api.post("/users/{login}/role")
def api_set_role(request: Request, who: WriterDep, login: str, change: RoleChange) -> dict[str, Any]:
    """Give a user another role (applies to their open sessions at once)."""
    with unit_of_work(request, who, readonly=False) as uow:
        return users.set_role(uow, viewer=who.principal, login=login, **change.model_dump()).to_dict()


@api.post("/users/{login}/disable")
def api_disable(request: Request, who: WriterDep, login: str) -> dict[str, Any]:
    """Disable a user: no more sign-ins, open sessions end now."""
    with unit_of_work(request, who, readonly=False) as uow:
        return users.disable_user(uow, viewer=who.principal, login=login).to_dict()


@api.post("/users/{login}/enable")
def api_enable(request: Request, who: WriterDep, login: str) -> dict[str, Any]:
    """Let a disabled user sign in again."""
    with unit_of_work(request, who, readonly=False) as uow:
        return users.enable_user(uow, viewer=who.principal, login=login).to_dict()
