"""The apparatus browser: the unit tree loaded one level at a time, search by id or name, a unit's page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.services import browse
from reorg.web.context import ViewerDep, chosen_dataset, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["apparatus"])
api = APIRouter(prefix="/api", tags=["apparatus"])


@pages.get("/units", response_class=HTMLResponse, include_in_schema=False)
def tree(request: Request, who: ViewerDep, dataset: str | None = None, q: str = "") -> HTMLResponse:
    """The top of the tree (or the search results for ``q``)."""
    with unit_of_work(request, who) as uow:
        name = chosen_dataset(uow, dataset)
        top = browse.children(uow, name=name, viewer=who.principal) if name else None
        found = browse.search(uow, name=name, viewer=who.principal, query=q) if name and q else None
    return render(request, "units.html", {"dataset": name, "top": top, "q": q, "found": found}, who=who)


@pages.get("/units/children", response_class=HTMLResponse, include_in_schema=False)
def branch(request: Request, who: ViewerDep, dataset: str, parent: str, offset: int = 0) -> HTMLResponse:
    """The children of ``parent`` as a fragment of the tree (htmx)."""
    with unit_of_work(request, who) as uow:
        listing = browse.children(uow, name=dataset, viewer=who.principal, parent=parent, offset=offset)
    return render(request, "units_branch.html", {"dataset": dataset, "listing": listing}, who=who)


@pages.get("/units/search", response_class=HTMLResponse, include_in_schema=False)
def search_fragment(request: Request, who: ViewerDep, dataset: str, q: str = "") -> HTMLResponse:
    """Search results as a fragment (htmx, as the user types)."""
    with unit_of_work(request, who) as uow:
        found = browse.search(uow, name=dataset, viewer=who.principal, query=q)
    return render(request, "units_found.html", {"dataset": dataset, "found": found, "q": q}, who=who)


@pages.get("/units/{unit:path}", response_class=HTMLResponse, include_in_schema=False)
def unit(request: Request, who: ViewerDep, unit: str, dataset: str | None = None) -> HTMLResponse:
    """A unit's page: fields, parents, tasks and duties, people counts, children and findings."""
    with unit_of_work(request, who) as uow:
        name = chosen_dataset(uow, dataset)
        page = browse.unit_page(uow, name=name or "", viewer=who.principal, unit=unit)
    return render(request, "unit.html", {"dataset": name, "page": page}, who=who)


@api.get("/datasets/{name}/units")
def api_children(
    request: Request, who: ViewerDep, name: str, parent: str = "", offset: int = 0, limit: int = browse.PAGE
) -> dict[str, Any]:
    """The units directly under ``parent`` (the top when empty), by name, a page at a time."""
    with unit_of_work(request, who) as uow:
        listing = browse.children(
            uow, name=name, viewer=who.principal, parent=parent, offset=offset, limit=limit
        )
    return listing.to_dict()


@api.get("/datasets/{name}/search")
def api_search(
    request: Request, who: ViewerDep, name: str, q: str, offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    """Units whose id or name contains ``q`` (ignoring case)."""
    with unit_of_work(request, who) as uow:
        return browse.search(
            uow, name=name, viewer=who.principal, query=q, offset=offset, limit=limit
        ).to_dict()


@api.get("/datasets/{name}/units/{unit:path}")
def api_unit(request: Request, who: ViewerDep, name: str, unit: str) -> dict[str, Any]:
    """One unit: fields, parents, duties, headcount against quota, children, people per position, findings."""
    with unit_of_work(request, who) as uow:
        return browse.unit_page(uow, name=name, viewer=who.principal, unit=unit).to_dict()
