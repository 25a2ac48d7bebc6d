"""Background jobs (proposals, imports): one job's progress as a fragment the pages poll, and as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.web.context import ViewerDep, job_runner, render

__all__ = ["api", "pages"]

pages = APIRouter(tags=["jobs"])
api = APIRouter(prefix="/api", tags=["jobs"])


@pages.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_fragment(request: Request, who: ViewerDep, job_id: str) -> HTMLResponse:
    """A job's state, progress bar and stage, then its result or its error (htmx polls it every second
    while it runs)."""
    job = job_runner(request).get(job_id, viewer=who.principal)
    return render(request, "job.html", {"job": job}, who=who)


@api.get("/jobs")
def my_jobs(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """The signed-in user's jobs still kept in memory, newest first."""
    return [j.to_dict() for j in job_runner(request).mine(viewer=who.principal)]


@api.get("/jobs/{job_id}")
def job(request: Request, who: ViewerDep, job_id: str) -> dict[str, Any]:
    """A job: state (queued, running, done, failed), progress (done, total, stage), times, and its result
    or error (with file, row, column, expected and value for bad input). Only its owner and admins see it."""
    return job_runner(request).get(job_id, viewer=who.principal).to_dict()
