"""Import: a bundle uploaded as a .zip of its CSV folder or an .xlsx workbook, stored as a dataset by a
background job; every error is shown as the command line shows it (file, row, column, expected, value).

The upload is streamed to a private temporary folder with its size bounded (``reorg.web.uploads``), so
these routes check the CSRF token themselves, as the body streams in, instead of ``WriterDep`` (which
would read the whole form first)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from reorg.errors import InputError
from reorg.services import access, imports
from reorg.services.jobs import Job, error_fields
from reorg.web import uploads
from reorg.web.context import Viewer, ViewerDep, job_runner, render
from reorg.web.settings import WebSettings

__all__ = ["api", "pages"]

pages = APIRouter(tags=["import"])
api = APIRouter(prefix="/api", tags=["import"])


def _page(
    request: Request,
    who: Viewer,
    *,
    job_id: str | None = None,
    error: InputError | None = None,
    name: str = "",
) -> HTMLResponse:
    """The form (with ``error`` after a refusal), the job ``job_id`` and the viewer's recent imports."""
    access.require(who.principal, "import")
    runner = job_runner(request)
    shown = runner.get(job_id, viewer=who.principal) if job_id else None
    recent = [j for j in runner.mine(viewer=who.principal) if j.kind == "import" and j is not shown][:10]
    context = {
        "job": shown,
        "recent": recent,
        "name": name,
        "max_mb": _settings(request).max_upload_mb,
        "error": None if error is None else error_fields(error),
    }
    return render(request, "import.html", context, who=who, status=422 if error else 200)


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


async def _start(request: Request, who: Viewer) -> Job:
    """Stream the upload in and queue its import (the service owns the temporary folder from then on)."""
    access.require(who.principal, "import")  # before a byte of the upload is read
    job_runner(request).check_room(who.principal)
    settings = _settings(request)
    upload = await uploads.receive(request, who, limit=settings.max_upload_mb * 2**20)
    return imports.start_import(
        job_runner(request),
        viewer=who.principal,
        actor=who.actor,
        folder=upload.folder,
        upload=upload.path,
        filename=upload.filename,
        name=upload.fields.get("name", ""),
        max_bytes=settings.max_unpacked_mb * 2**20,
    )


@pages.get("/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(request: Request, who: ViewerDep, job: str | None = None) -> HTMLResponse:
    """The upload form, the job just started (``job``) and the user's recent imports."""
    return _page(request, who, job_id=job)


@pages.post("/import", include_in_schema=False)
async def import_form(request: Request, who: ViewerDep) -> Response:
    """Upload a bundle (fields, in this order: ``csrf``, ``name``, ``bundle``) and show the import's
    progress; a refused upload is shown on the form."""
    try:
        job = await _start(request, who)
    except InputError as error:
        return _page(request, who, error=error)
    return RedirectResponse(f"/import?job={job.id}", status_code=303)


#: the upload form in the OpenAPI description (the body is parsed as it streams, not by FastAPI)
UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["name", "bundle"],
                    "properties": {
                        "name": {"type": "string", "description": "The dataset name."},
                        "bundle": {"type": "string", "format": "binary", "description": ".zip or .xlsx"},
                    },
                }
            }
        },
    }
}


@api.post("/datasets", status_code=202, openapi_extra=UPLOAD_SCHEMA)
async def api_import(request: Request, who: ViewerDep) -> JSONResponse:
    """Import a bundle as the next version of dataset ``name``: a multipart form with the fields ``name``
    and ``bundle`` (a .zip of a CSV folder or an .xlsx workbook, at most ``max_upload_mb``; 413 beyond)
    and the ``X-CSRF-Token`` header. Answers 202 with the job; poll ``GET /api/jobs/{id}``."""
    job = await _start(request, who)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})
