"""The findings of a diagnosis, filtered by kind, severity, level and subtree, with their evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.diagnose.findings import KINDS, SEVERITIES
from reorg.services import findings
from reorg.web.context import ViewerDep, chosen_dataset, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["findings"])
api = APIRouter(prefix="/api", tags=["findings"])


@pages.get("/findings", response_class=HTMLResponse, include_in_schema=False)
def findings_page(
    request: Request,
    who: ViewerDep,
    dataset: str | None = None,
    kind: str = "",
    severity: str = "",
    level: str = "",
    within: str = "",
    offset: int = 0,
) -> HTMLResponse:
    """The ranked findings of ``dataset`` (or of a plan's result) under the filters given."""
    with unit_of_work(request, who) as uow:
        name = chosen_dataset(uow, dataset)
        page = (
            findings.list_findings(
                uow,
                name=name,
                viewer=who.principal,
                kind=kind or None,
                severity=severity or None,
                level=level or None,
                within=within or None,
                offset=offset,
            )
            if name
            else None
        )
    filters = {"kind": kind, "severity": severity, "level": level, "within": within}
    return render(
        request,
        "findings.html",
        {"dataset": name, "page": page, "filters": filters, "kinds": KINDS, "severities": SEVERITIES},
        who=who,
    )


@api.get("/datasets/{name}/findings")
def api_findings(
    request: Request,
    who: ViewerDep,
    name: str,
    kind: str | None = None,
    severity: str | None = None,
    level: str | None = None,
    within: str | None = None,
    offset: int = 0,
    limit: int = findings.PAGE,
) -> dict[str, Any]:
    """The findings of dataset (or plan) ``name`` matching the filters, in rank order, a page at a time."""
    with unit_of_work(request, who) as uow:
        page = findings.list_findings(
            uow,
            name=name,
            viewer=who.principal,
            kind=kind,
            severity=severity,
            level=level,
            within=within,
            offset=offset,
            limit=limit,
        )
    return page.to_dict()
