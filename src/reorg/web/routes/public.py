"""The public view of approved plans (no sign-in), its W3C ORG export, and the approval of a plan version.

``/public`` and everything under it are the only pages besides sign-in and static files that need no
session: they show approved plans' structures only (``reorg.services.publish``) and nothing personal, in
the language of ``?lang=`` (kept in a cookie), else the cookie's, else the browser's. They change nothing,
so they carry no CSRF token. Approving and withdrawing are signed-in, CSRF-checked forms of the plan page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reorg import i18n
from reorg.services import publish
from reorg.web.context import (
    LANG_COOKIE,
    WriterDep,
    public_unit_of_work,
    render,
    unit_of_work,
)
from reorg.web.settings import WebSettings

__all__ = ["api", "pages"]

pages = APIRouter(tags=["public"])
api = APIRouter(prefix="/api", tags=["public"])

#: the media type of each W3C ORG export format
ORG_TYPES = {"jsonld": "application/ld+json", "ttl": "text/turtle; charset=utf-8"}


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def _page(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    """A public page; a language asked for with ``?lang=`` is kept in the language cookie."""
    response = render(request, template, context)
    lang = request.query_params.get("lang")
    if lang is not None and lang in i18n.LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 86400,
            httponly=True,
            secure=_settings(request).secure_cookies,
            samesite="lax",
            path="/",
        )
    return response


@pages.get("/public", response_class=HTMLResponse, include_in_schema=False)
def public_list(request: Request) -> HTMLResponse:
    """The approved plans."""
    with public_unit_of_work(request) as uow:
        approved = publish.public_plans(uow)
    return _page(request, "public_list.html", {"approved": approved})


@pages.get("/public/{plan}", response_class=HTMLResponse, include_in_schema=False)
def public_plan(
    request: Request, plan: str, unit: str = "", offset: int = 0, level: str = "", task: str = ""
) -> HTMLResponse:
    """An approved plan's structure one level at a time (under ``unit``), each unit's lead tasks, the map;
    the tasks with how many leads each has, and with ``task`` who leads it in each place."""
    with public_unit_of_work(request) as uow:
        branch = publish.public_branch(uow, name=plan, parent=unit, offset=0 if task else offset)
        tasks = publish.public_tasks(uow, name=plan)
        leads = publish.task_leads(uow, name=plan, task=task, offset=offset) if task else None
    territorial = branch.plan.territorial
    level = level if level in territorial else (territorial[-1] if territorial else "")
    context = {
        "b": branch,
        "p": branch.plan,
        "level": level,
        "page": publish.PAGE,
        "tasks": tasks,
        "leads": leads,
    }
    return _page(request, "public_plan.html", context)


@pages.get("/public/{plan}/map.geojson", include_in_schema=False)
def public_map(request: Request, plan: str, level: str) -> dict[str, Any]:
    """The units of territorial ``level`` of an approved plan's structure, as GeoJSON."""
    with public_unit_of_work(request) as uow:
        return publish.public_map(uow, name=plan, level=level).to_dict()


def _org(request: Request, plan: str, fmt: str) -> Response:
    with public_unit_of_work(request) as uow:
        text = publish.export_org(uow, name=plan, fmt=fmt, base=_settings(request).org_base_iri)
    return Response(text, media_type=ORG_TYPES[fmt])


@pages.get("/public/{plan}/org.jsonld", include_in_schema=False)
def public_org_jsonld(request: Request, plan: str) -> Response:
    """An approved plan's structure as W3C ORG in JSON-LD."""
    return _org(request, plan, "jsonld")


@pages.get("/public/{plan}/org.ttl", include_in_schema=False)
def public_org_turtle(request: Request, plan: str) -> Response:
    """An approved plan's structure as W3C ORG in Turtle."""
    return _org(request, plan, "ttl")


@pages.post("/plans/{name}/approve", include_in_schema=False)
def approve(request: Request, who: WriterDep, name: str, version: Annotated[int, Form()]) -> Response:
    """Approve a plan version (the steering committee: admins and reviewers)."""
    with unit_of_work(request, who, readonly=False) as uow:
        publish.approve_plan(uow, name=name, version=version, viewer=who.principal)
    return RedirectResponse(f"/plans/{name}?version={version}", status_code=303)


@pages.post("/plans/{name}/withdraw", include_in_schema=False)
def withdraw(request: Request, who: WriterDep, name: str, version: Annotated[int, Form()]) -> Response:
    """Withdraw the approval of a plan version."""
    with unit_of_work(request, who, readonly=False) as uow:
        publish.withdraw_approval(uow, name=name, version=version, viewer=who.principal)
    return RedirectResponse(f"/plans/{name}?version={version}", status_code=303)


@api.post("/plans/{name}/approval")
def api_approve(request: Request, who: WriterDep, name: str, version: int | None = None) -> dict[str, Any]:
    """Approve version ``version`` (else the newest) of plan ``name``."""
    with unit_of_work(request, who, readonly=False) as uow:
        return publish.approve_plan(uow, name=name, version=version, viewer=who.principal).to_dict()


@api.delete("/plans/{name}/approval")
def api_withdraw(request: Request, who: WriterDep, name: str, version: int | None = None) -> dict[str, Any]:
    """Withdraw the standing approval of plan ``name`` (of ``version``, else its newest approved one)."""
    with unit_of_work(request, who, readonly=False) as uow:
        return publish.withdraw_approval(uow, name=name, version=version, viewer=who.principal).to_dict()
