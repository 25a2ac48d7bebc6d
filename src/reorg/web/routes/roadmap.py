"""Roadmaps and monitoring: a plan's roadmap (steps, a Gantt chart with the critical path, the
continuity check), its monitoring (status by level, deviations, good practices) and the form on which a
unit officer reports progress on the steps of units in their subtree."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from reorg.errors import InputError
from reorg.report.words import words
from reorg.roadmap.monitor import ProgressReport
from reorg.services import access, roadmaps
from reorg.web.context import ViewerDep, WriterDep, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["roadmaps"])
api = APIRouter(prefix="/api", tags=["roadmaps"])


def _day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("form", "a date (YYYY-MM-DD)", field=field, value=value) from None


@pages.get("/roadmap", response_class=HTMLResponse, include_in_schema=False)
def roadmap_page(request: Request, who: ViewerDep, plan: str | None = None) -> HTMLResponse:
    """A plan's roadmap (or, without ``plan``, the plans that have one)."""
    with unit_of_work(request, who) as uow:
        records = roadmaps.list_roadmaps(uow, viewer=who.principal)
        view = roadmaps.show_roadmap(uow, plan=plan, viewer=who.principal) if plan else None
    latest = [r for i, r in enumerate(records) if i == 0 or records[i - 1].plan != r.plan]
    return render(request, "roadmap.html", {"records": latest, "v": view, "plan": plan}, who=who)


@pages.get("/monitor", response_class=HTMLResponse, include_in_schema=False)
def monitor_page(
    request: Request, who: ViewerDep, plan: str | None = None, as_of: str | None = None
) -> HTMLResponse:
    """Status by level, deviations and good practices of a plan's roadmap, and the progress form."""
    with unit_of_work(request, who) as uow:
        records = roadmaps.list_roadmaps(uow, viewer=who.principal)
        view = (
            roadmaps.monitor_status(uow, plan=plan, as_of=_day(as_of, "as_of"), viewer=who.principal)
            if plan
            else None
        )
    latest = [r for i, r in enumerate(records) if i == 0 or records[i - 1].plan != r.plan]
    context = {
        "records": latest,
        "m": view,
        "plan": plan,
        "may_report": access.may(who.principal, "report_progress"),
        "today": dt.date.today().isoformat(),
        "w": words(who.lang),
    }
    return render(request, "monitor.html", context, who=who)


@pages.post("/monitor/report", include_in_schema=False)
def report_form(
    request: Request,
    who: WriterDep,
    plan: Annotated[str, Form()],
    step: Annotated[str, Form()],
    date: Annotated[str, Form()],
    share: Annotated[float, Form(ge=0, le=100)],
    notes: Annotated[str, Form()] = "",
    headcount: Annotated[str, Form()] = "",
    tasks_handed_over: Annotated[str, Form()] = "",
) -> Response:
    """One progress report from the form (share in percent), then back to the monitoring page."""
    indicators = []
    for name, text in (("headcount", headcount), ("tasks_handed_over", tasks_handed_over)):
        if text.strip():
            try:
                indicators.append((name, float(text)))
            except ValueError:
                raise InputError("form", "a number", field=name, value=text) from None
    day = _day(date, "date") or dt.date.today()
    report = ProgressReport(step, day, share / 100, "", notes, tuple(sorted(indicators)))
    with unit_of_work(request, who, readonly=False) as uow:
        roadmaps.report_progress(uow, plan=plan, reports=[report], source="form", viewer=who.principal)
    return RedirectResponse(f"/monitor?plan={plan}", status_code=303)


@api.get("/roadmaps")
def api_roadmaps(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """Every stored roadmap version."""
    with unit_of_work(request, who) as uow:
        return [r.to_dict() for r in roadmaps.list_roadmaps(uow, viewer=who.principal)]


@api.get("/roadmaps/{plan}")
def api_roadmap(request: Request, who: ViewerDep, plan: str) -> dict[str, Any]:
    """A plan's roadmap: dates, critical path, milestones, Gantt bars, continuity."""
    with unit_of_work(request, who) as uow:
        return roadmaps.show_roadmap(uow, plan=plan, viewer=who.principal).to_dict()


@api.get("/monitor/{plan}")
def api_monitor(request: Request, who: ViewerDep, plan: str, as_of: str | None = None) -> dict[str, Any]:
    """Status, deviations and good practices of a plan's roadmap on ``as_of`` (default today)."""
    with unit_of_work(request, who) as uow:
        return roadmaps.monitor_status(
            uow, plan=plan, as_of=_day(as_of, "as_of"), viewer=who.principal
        ).to_dict()


class ReportIn(BaseModel):
    """A progress report: ``share`` done from 0 to 1, indicator values by name."""

    step: str
    date: dt.date
    share: float = Field(ge=0, le=1)
    notes: str = ""
    indicators: dict[str, float] = Field(default_factory=dict)


@api.post("/monitor/{plan}/reports")
def api_report(request: Request, who: WriterDep, plan: str, reports: list[ReportIn]) -> dict[str, Any]:
    """Store progress reports (all or nothing)."""
    found = [
        ProgressReport(r.step, r.date, r.share, "", r.notes, tuple(sorted(r.indicators.items())))
        for r in reports
    ]
    with unit_of_work(request, who, readonly=False) as uow:
        return roadmaps.report_progress(
            uow, plan=plan, reports=found, source="reports", viewer=who.principal
        ).to_dict()
