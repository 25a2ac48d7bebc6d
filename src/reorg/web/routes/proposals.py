"""Proposals: a territorial consolidation, one lead per task and place, merged units of a level, the
internal model after a stored merger plan or a level abolished, drawn in a background job that stores
the plan; the page shows the job's progress and, when done, links to the plan and its map (and for the
internal model a table per merged unit: departments, people against quota, leadership posts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from reorg.errors import InputError
from reorg.services import access, datasets, jobs, plans, proposals
from reorg.services.jobs import error_fields
from reorg.web.context import Viewer, ViewerDep, WriterDep, job_runner, render, unit_of_work

#: the fields of one kind of proposal
F = TypeVar("F")

__all__ = ["api", "pages"]

pages = APIRouter(tags=["proposals"])
api = APIRouter(prefix="/api", tags=["proposals"])

#: the job kinds this page lists
KINDS = ("territory", "leads", "merge", "internal", "abolish")


class TerritoryBody(BaseModel):
    """A territorial proposal (see ``reorg.services.proposals.TerritoryFields``)."""

    dataset: str = Field(max_length=64)
    level: str = Field(max_length=200)
    save: str = Field(max_length=64, description="The name the plan is stored under.")
    target: int | None = Field(None, description="Regions in all (omit: as many as the minimums allow).")
    min_population: float | None = None
    min_area_km2: float | None = None
    nest_by: str = Field("parent", max_length=200, description='"parent", a level name, or "none".')
    cohesion: float = 0.0
    cohesion_by: str = Field("parent", max_length=200)
    seed: int = 0
    time_limit_s: float | None = Field(None, description="Seconds per solve.")


class LeadsBody(BaseModel):
    """A leads proposal (see ``reorg.services.proposals.LeadsFields``)."""

    dataset: str = Field(max_length=64)
    save: str = Field(max_length=64, description="The name the plan is stored under.")
    max_per_unit: int | None = None


class MergeBody(BaseModel):
    """A merge proposal (see ``reorg.services.proposals.MergeFields``)."""

    dataset: str = Field(max_length=64)
    level: str = Field(max_length=200)
    save: str = Field(max_length=64, description="The name the plan is stored under.")
    target: int | None = Field(
        None, description="Units per place after merging (omit: as similarity allows)."
    )
    min_similarity: float = 0.5
    max_tasks: int | None = None
    max_headcount: float | None = None


class InternalBody(BaseModel):
    """An internal-model proposal (see ``reorg.services.proposals.InternalFields``)."""

    dataset: str = Field(max_length=64)
    plan: str = Field(max_length=64, description="A stored plan on the dataset that merges units.")
    save: str = Field(max_length=64, description="The name the plan is stored under.")
    level: str = Field("", max_length=200, description="Only the merged units of this level (blank: all).")
    target: int | None = Field(None, description="Departments per merged unit (omit: as similarity allows).")
    min_similarity: float = 0.5
    max_tasks: int | None = None
    max_headcount: float | None = None


class AbolishBody(BaseModel):
    """An abolition proposal (see ``reorg.services.proposals.AbolishFields``)."""

    dataset: str = Field(max_length=64)
    level: str = Field(max_length=200)
    save: str = Field(max_length=64, description="The name the plan is stored under.")
    prefer: str = Field("down", max_length=8, description='Where a task not led above goes: "down" or "up".')


def _page(
    request: Request,
    who: Viewer,
    *,
    job_id: str | None = None,
    form: dict[str, str] | None = None,
    error: InputError | None = None,
    kind: str = "",
) -> HTMLResponse:
    """The page: the forms (refilled with ``form`` and ``error`` after a refusal), the job ``job_id``
    and the viewer's recent proposals."""
    access.require(who.principal, "propose")
    runner = job_runner(request)
    with unit_of_work(request, who) as uow:
        names = list(dict.fromkeys(r.name for r in datasets.list_datasets(uow)))
        stored = list(dict.fromkeys(r.name for r in plans.list_plans(uow)))
    shown = runner.get(job_id, viewer=who.principal) if job_id else None
    recent = [j for j in runner.mine(viewer=who.principal) if j.kind in KINDS and j is not shown][:10]
    context = {
        "names": names,
        "plans": stored,
        "job": shown,
        "recent": recent,
        "form": form or {},
        "kind": kind,
        "error": None if error is None else error_fields(error),
    }
    return render(request, "proposals.html", context, who=who, status=422 if error else 200)


def _number(value: str, field: str, kind: type[int] | type[float]) -> Any:
    """A form's number field: None when blank, else the number (InputError naming the field)."""
    if not value.strip():
        return None
    try:
        return kind(value.strip())
    except ValueError:
        expected = "a whole number" if kind is int else "a number"
        raise InputError("form", expected, field=field, value=value[:60]) from None


def _start(
    request: Request,
    who: Viewer,
    kind: str,
    form: dict[str, str],
    build: Callable[[], F],
    start: Callable[..., jobs.Job],
) -> Response:
    """Queue the proposal the form describes and go to its progress; bad fields are shown on the form."""
    try:
        job = start(job_runner(request), viewer=who.principal, actor=who.actor, fields=build())
    except InputError as error:
        return _page(request, who, form=form, error=error, kind=kind)
    return RedirectResponse(f"/proposals?job={job.id}", status_code=303)


def _accepted(request: Request, who: Viewer, fields: F, start: Callable[..., jobs.Job]) -> JSONResponse:
    """Queue a proposal from the API: 202 with the job, its address in ``Location``."""
    job = start(job_runner(request), viewer=who.principal, actor=who.actor, fields=fields)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@pages.get("/proposals", response_class=HTMLResponse, include_in_schema=False)
def proposals_page(request: Request, who: ViewerDep, job: str | None = None) -> HTMLResponse:
    """The forms, the job just started (``job``) and the user's recent proposals."""
    return _page(request, who, job_id=job)


@pages.post("/proposals/territory", include_in_schema=False)
def territory_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=200)],
    save: Annotated[str, Form(max_length=64)],
    target: Annotated[str, Form(max_length=40)] = "",
    min_population: Annotated[str, Form(max_length=40)] = "",
    min_area_km2: Annotated[str, Form(max_length=40)] = "",
    nest_by: Annotated[str, Form(max_length=200)] = "parent",
    cohesion: Annotated[str, Form(max_length=40)] = "",
    cohesion_by: Annotated[str, Form(max_length=200)] = "parent",
    seed: Annotated[str, Form(max_length=40)] = "",
    time_limit_s: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start a territorial proposal and show its progress; bad fields are shown on the form."""
    form = {
        "dataset": dataset,
        "level": level,
        "save": save,
        "target": target,
        "min_population": min_population,
        "min_area_km2": min_area_km2,
        "nest_by": nest_by,
        "cohesion": cohesion,
        "cohesion_by": cohesion_by,
        "seed": seed,
        "time_limit_s": time_limit_s,
    }

    def build() -> proposals.TerritoryFields:
        return proposals.TerritoryFields(
            dataset=dataset,
            level=level,
            save=save.strip(),
            target=_number(target, "target", int),
            min_population=_number(min_population, "min_population", float),
            min_area_km2=_number(min_area_km2, "min_area_km2", float),
            nest_by=nest_by,
            cohesion=_number(cohesion, "cohesion", float) or 0.0,
            cohesion_by=cohesion_by,
            seed=_number(seed, "seed", int) or 0,
            time_limit_s=_number(time_limit_s, "time_limit_s", float),
        )

    return _start(request, who, "territory", form, build, proposals.start_territory)


@pages.post("/proposals/leads", include_in_schema=False)
def leads_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    save: Annotated[str, Form(max_length=64)],
    max_per_unit: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start a leads proposal and show its progress; bad fields are shown on the form."""
    form = {"dataset": dataset, "save": save, "max_per_unit": max_per_unit}

    def build() -> proposals.LeadsFields:
        number = _number(max_per_unit, "max_per_unit", int)
        return proposals.LeadsFields(dataset=dataset, save=save.strip(), max_per_unit=number)

    return _start(request, who, "leads", form, build, proposals.start_leads)


def _merge_limits(target: str, min_similarity: str, max_tasks: str, max_headcount: str) -> dict[str, Any]:
    """The numbers the merge and internal-model forms share, parsed; a blank one is left out, so that
    the fields' default (the merge spec's) applies."""
    given = {
        "target": _number(target, "target", int),
        "min_similarity": _number(min_similarity, "min_similarity", float),
        "max_tasks": _number(max_tasks, "max_tasks", int),
        "max_headcount": _number(max_headcount, "max_headcount", float),
    }
    return {name: value for name, value in given.items() if value is not None}


@pages.post("/proposals/merge", include_in_schema=False)
def merge_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=200)],
    save: Annotated[str, Form(max_length=64)],
    target: Annotated[str, Form(max_length=40)] = "",
    min_similarity: Annotated[str, Form(max_length=40)] = "",
    max_tasks: Annotated[str, Form(max_length=40)] = "",
    max_headcount: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start a merge proposal and show its progress; bad fields are shown on the form."""
    form = {
        "dataset": dataset,
        "level": level,
        "save": save,
        "target": target,
        "min_similarity": min_similarity,
        "max_tasks": max_tasks,
        "max_headcount": max_headcount,
    }

    def build() -> proposals.MergeFields:
        limits = _merge_limits(target, min_similarity, max_tasks, max_headcount)
        return proposals.MergeFields(dataset=dataset, level=level, save=save.strip(), **limits)

    return _start(request, who, "merge", form, build, proposals.start_merge)


@pages.post("/proposals/internal", include_in_schema=False)
def internal_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    plan: Annotated[str, Form(max_length=64)],
    save: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=200)] = "",
    target: Annotated[str, Form(max_length=40)] = "",
    min_similarity: Annotated[str, Form(max_length=40)] = "",
    max_tasks: Annotated[str, Form(max_length=40)] = "",
    max_headcount: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start an internal-model proposal and show its progress; bad fields are shown on the form."""
    form = {
        "dataset": dataset,
        "plan": plan,
        "save": save,
        "level": level,
        "target": target,
        "min_similarity": min_similarity,
        "max_tasks": max_tasks,
        "max_headcount": max_headcount,
    }

    def build() -> proposals.InternalFields:
        limits = _merge_limits(target, min_similarity, max_tasks, max_headcount)
        return proposals.InternalFields(dataset=dataset, plan=plan, save=save.strip(), level=level, **limits)

    return _start(request, who, "internal", form, build, proposals.start_internal)


@pages.post("/proposals/abolish", include_in_schema=False)
def abolish_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=200)],
    save: Annotated[str, Form(max_length=64)],
    prefer: Annotated[str, Form(max_length=8)] = "down",
) -> Response:
    """Start an abolition proposal and show its progress; bad fields are shown on the form."""
    form = {"dataset": dataset, "level": level, "save": save, "prefer": prefer}

    def build() -> proposals.AbolishFields:
        return proposals.AbolishFields(dataset=dataset, level=level, save=save.strip(), prefer=prefer)

    return _start(request, who, "abolish", form, build, proposals.start_abolish)


@api.post("/proposals/territory", status_code=202)
def api_territory(request: Request, who: WriterDep, body: TerritoryBody) -> JSONResponse:
    """Start a territorial proposal that stores its plan as ``save``; poll ``GET /api/jobs/{id}``."""
    return _accepted(request, who, proposals.TerritoryFields(**body.model_dump()), proposals.start_territory)


@api.post("/proposals/leads", status_code=202)
def api_leads(request: Request, who: WriterDep, body: LeadsBody) -> JSONResponse:
    """Start a leads proposal that stores its plan as ``save``; poll ``GET /api/jobs/{id}``."""
    return _accepted(request, who, proposals.LeadsFields(**body.model_dump()), proposals.start_leads)


@api.post("/proposals/merge", status_code=202)
def api_merge(request: Request, who: WriterDep, body: MergeBody) -> JSONResponse:
    """Start a merge proposal that stores its plan as ``save``; poll ``GET /api/jobs/{id}``."""
    return _accepted(request, who, proposals.MergeFields(**body.model_dump()), proposals.start_merge)


@api.post("/proposals/internal", status_code=202)
def api_internal(request: Request, who: WriterDep, body: InternalBody) -> JSONResponse:
    """Start an internal-model proposal after stored merger plan ``plan`` that stores its plan as
    ``save``; poll ``GET /api/jobs/{id}`` (its result lists the merged units)."""
    return _accepted(request, who, proposals.InternalFields(**body.model_dump()), proposals.start_internal)


@api.post("/proposals/abolish", status_code=202)
def api_abolish(request: Request, who: WriterDep, body: AbolishBody) -> JSONResponse:
    """Start an abolition proposal that stores its plan as ``save``; poll ``GET /api/jobs/{id}``."""
    return _accepted(request, who, proposals.AbolishFields(**body.model_dump()), proposals.start_abolish)
