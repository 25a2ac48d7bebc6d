"""People: a dataset's evaluation (ratings per level of unit and per unit, the lists as the viewer may see
them) and a plan's placement (placed, surplus by regime, cost of benefits, payback)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.errors import InputError
from reorg.services import people_overview, placement
from reorg.web.context import ViewerDep, chosen_dataset, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["people"])
api = APIRouter(prefix="/api", tags=["people"])


def _as_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("as_of", "a date as YYYY-MM-DD", value=value) from None


@pages.get("/people", response_class=HTMLResponse, include_in_schema=False)
def people_page(request: Request, who: ViewerDep, dataset: str | None = None) -> HTMLResponse:
    """The evaluation of ``dataset``'s people, and links to the placement of its plans."""
    with unit_of_work(request, who) as uow:
        name = chosen_dataset(uow, dataset)
        view = people_overview.people_overview(uow, name=name, viewer=who.principal) if name else None
    return render(request, "people.html", {"dataset": name, "v": view}, who=who)


@pages.get("/people/{plan}", response_class=HTMLResponse, include_in_schema=False)
def placement_page(request: Request, who: ViewerDep, plan: str, as_of: str | None = None) -> HTMLResponse:
    """The placement of stored plan ``plan``'s people, computed in the request."""
    with unit_of_work(request, who) as uow:
        view = placement.placement_view(uow, plan=plan, viewer=who.principal, as_of=_as_of(as_of))
    return render(
        request, "placement.html", {"p": view, "t": view.totals(), "units": view.by_unit()}, who=who
    )


@api.get("/people/{name}")
def api_people(request: Request, who: ViewerDep, name: str) -> dict[str, Any]:
    """Rating counts per level of unit and per unit; the screening list and talent pool with
    ``read_personal``, their sizes otherwise."""
    with unit_of_work(request, who) as uow:
        return people_overview.people_overview(uow, name=name, viewer=who.principal).to_dict()


@api.get("/people/{plan}/placement")
def api_placement(request: Request, who: ViewerDep, plan: str, as_of: str | None = None) -> dict[str, Any]:
    """The placement of stored plan ``plan``: totals, new units, and (``read_personal``) the lists."""
    with unit_of_work(request, who) as uow:
        return placement.placement_view(uow, plan=plan, viewer=who.principal, as_of=_as_of(as_of)).to_dict()
