"""Plans: the list, one plan's operations (and the refusals of an invalid one), and plans compared side by
side on one yardstick."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from reorg.services import access, comparison, plans, publish, report
from reorg.web.context import ViewerDep, WriterDep, language_of, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["plans"])
api = APIRouter(prefix="/api", tags=["plans"])

#: operations shown per page of a plan
OPS_PAGE = 200


@pages.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def plan_list(request: Request, who: ViewerDep) -> HTMLResponse:
    """Every stored plan, newest version of each first, with a form to compare some of them."""
    access.require(who.principal, "read")
    with unit_of_work(request, who) as uow:
        records = plans.list_plans(uow)
    return render(request, "plans.html", {"records": records}, who=who)


@pages.get("/plans/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(
    request: Request, who: ViewerDep, plan: Annotated[list[str] | None, Query()] = None
) -> HTMLResponse:
    """The plans ticked on the list, side by side."""
    with unit_of_work(request, who) as uow:
        result = comparison.compare_plans(uow, names=plan or [], viewer=who.principal)
    return render(request, "compare.html", {"c": result}, who=who)


async def _read(upload: UploadFile) -> bytes:
    """The uploaded file, read up to one byte past the limit (the service refuses what is larger)."""
    return await upload.read(plans.MAX_PLAN_BYTES + 1)


@pages.post("/plans/check", include_in_schema=False)
async def check_file(
    request: Request,
    who: WriterDep,
    plan: Annotated[UploadFile, File()],
    name: Annotated[str, Form()] = "",
    store: Annotated[str, Form()] = "",
) -> Response:
    """A plan file tried on its baseline (every refusal shown); with ``store`` and a name, stored."""
    data, source = await _read(plan), plan.filename or "upload"
    if store and name:
        with unit_of_work(request, who, readonly=False) as uow:
            plans.store_plan_file(uow, data=data, source=source, name=name, viewer=who.principal)
        return RedirectResponse(f"/plans/{name}", status_code=303)
    with unit_of_work(request, who) as uow:
        document, checked = plans.check_plan_file(uow, data=data, source=source, viewer=who.principal)
    shown = [(i, op.to_dict()) for i, op in enumerate(document.operations[:OPS_PAGE])]
    context = {
        "source": source,
        "document": document,
        "checked": checked,
        "ops": shown,
        "name": name,
        "may_save": access.may(who.principal, "save_plan"),
    }
    return render(request, "plan_check.html", context, who=who)


#: the media type of each format of the summary report
REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _report(request: Request, who: ViewerDep, name: str, fmt: str, compare: list[str] | None) -> FileResponse:
    """The summary report of plan ``name`` in the viewer's language, written into a private temporary
    folder (mode 0700) that is removed once the file is sent (or at once when writing fails)."""
    folder = Path(tempfile.mkdtemp(prefix="reorg-report-"))
    try:
        with unit_of_work(request, who) as uow:
            written = report.write_reform_report(
                uow,
                dataset=None,
                plan=name,
                compare=compare or [],
                lang=language_of(request, who),
                out=folder,
                viewer=who.principal,
                formats=(fmt,),
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        written.file(fmt),
        media_type=REPORT_TYPES[fmt],
        filename=f"{name}-report-{written.lang}.{fmt}",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@pages.get("/plans/{name}/report.html", include_in_schema=False)
def report_html(
    request: Request, who: ViewerDep, name: str, compare: Annotated[list[str] | None, Query()] = None
) -> FileResponse:
    """The plan's summary report as a self-contained HTML page (a download), compared with ``?compare=``."""
    return _report(request, who, name, "html", compare)


@pages.get("/plans/{name}/report.xlsx", include_in_schema=False)
def report_xlsx(
    request: Request, who: ViewerDep, name: str, compare: Annotated[list[str] | None, Query()] = None
) -> FileResponse:
    """The plan's summary report as an XLSX workbook (a download), compared with ``?compare=``."""
    return _report(request, who, name, "xlsx", compare)


@pages.get("/plans/{name}", response_class=HTMLResponse, include_in_schema=False)
def plan_page(
    request: Request,
    who: ViewerDep,
    name: str,
    version: int | None = None,
    offset: int = 0,
    check: bool = False,
) -> HTMLResponse:
    """A plan: its operations a page at a time; with ``check``, every refusal on its baseline today."""
    access.require(who.principal, "read")
    with unit_of_work(request, who) as uow:
        detail = plans.show_plan(uow, name=name, version=version)
        checked = plans.validate_plan(uow, plan=detail.plan) if check else None
        approval = publish.approval_of(uow, name=name, viewer=who.principal)
    ops = detail.plan.operations
    offset = max(0, min(offset, max(len(ops) - 1, 0)))
    shown = [(offset + i, op.to_dict()) for i, op in enumerate(ops[offset : offset + OPS_PAGE])]
    return render(
        request,
        "plan.html",
        {
            "d": detail,
            "ops": shown,
            "offset": offset,
            "page": OPS_PAGE,
            "checked": checked,
            "approval": approval,
        },
        who=who,
    )


@api.get("/plans")
def api_plans(request: Request, who: ViewerDep, baseline: str | None = None) -> list[dict[str, Any]]:
    """Every stored version of every plan (or of those made on ``baseline``)."""
    access.require(who.principal, "read")
    with unit_of_work(request, who) as uow:
        return [r.to_dict() for r in plans.list_plans(uow, baseline=baseline)]


@api.get("/plans/compare")
def api_compare(request: Request, who: ViewerDep, plan: Annotated[list[str], Query()]) -> dict[str, Any]:
    """Plans side by side: ``?plan=a&plan=b``."""
    with unit_of_work(request, who) as uow:
        return comparison.compare_plans(uow, names=plan, viewer=who.principal).to_dict()


@api.get("/plans/{name}")
def api_plan(request: Request, who: ViewerDep, name: str, version: int | None = None) -> dict[str, Any]:
    """A stored plan version with its operations."""
    access.require(who.principal, "read")
    with unit_of_work(request, who) as uow:
        return plans.show_plan(uow, name=name, version=version).to_dict()


@api.get("/plans/{name}/check")
def api_check(request: Request, who: ViewerDep, name: str, version: int | None = None) -> dict[str, Any]:
    """Every operation of the plan tried on its baseline: the refusals, and what the result still violates."""
    access.require(who.principal, "read")
    with unit_of_work(request, who) as uow:
        detail = plans.show_plan(uow, name=name, version=version)
        return plans.validate_plan(uow, plan=detail.plan).to_dict()


@api.post("/plans/check")
async def api_check_file(
    request: Request, who: WriterDep, plan: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """A plan file (JSON) tried on its baseline: every refusal and what the result still violates;
    nothing is stored."""
    data, source = await _read(plan), plan.filename or "upload"
    with unit_of_work(request, who) as uow:
        return plans.check_plan_file(uow, data=data, source=source, viewer=who.principal)[1].to_dict()


@api.post("/plans", status_code=201)
async def api_store_file(
    request: Request, who: WriterDep, plan: Annotated[UploadFile, File()], name: Annotated[str, Form()]
) -> dict[str, Any]:
    """A plan file applied to its baseline and stored as the next version of plan ``name`` (422 with the
    refusal when an operation cannot be applied)."""
    data, source = await _read(plan), plan.filename or "upload"
    with unit_of_work(request, who, readonly=False) as uow:
        return plans.store_plan_file(uow, data=data, source=source, name=name, viewer=who.principal).to_dict()
