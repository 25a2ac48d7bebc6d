"""The dashboard: the datasets and plans, and the headline figures of one dataset and of each plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.services import datasets, overview
from reorg.web.context import ViewerDep, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["dashboard"])
api = APIRouter(prefix="/api", tags=["dashboard"])


@pages.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, who: ViewerDep, dataset: str | None = None) -> HTMLResponse:
    """The stored datasets; the headline figures of ``dataset`` (default: the newest one)."""
    with unit_of_work(request, who) as uow:
        records = datasets.list_datasets(uow)
        names = list(dict.fromkeys(r.name for r in records))
        chosen = dataset or (names[0] if names else None)
        figures = overview.overview(uow, name=chosen, viewer=who.principal) if chosen else None
    return render(
        request,
        "dashboard.html",
        {"datasets": records, "names": names, "chosen": chosen, "o": figures},
        who=who,
    )


@api.get("/datasets")
def list_datasets(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """Every stored version of every dataset, newest version first."""
    with unit_of_work(request, who) as uow:
        return [r.to_dict() for r in datasets.list_datasets(uow)]


@api.get("/datasets/{name}/overview")
def dataset_overview(request: Request, who: ViewerDep, name: str) -> dict[str, Any]:
    """The dashboard's figures of dataset ``name`` as the signed-in user may see them."""
    with unit_of_work(request, who) as uow:
        return overview.overview(uow, name=name, viewer=who.principal).to_dict()
