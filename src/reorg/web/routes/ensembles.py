"""Ensembles of valid plans: the runs kept by the server, a form that starts one as a background job,
and a run's page (per measure a histogram with a stored plan's value marked and its percentile)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from reorg.errors import InputError
from reorg.services import datasets, ensemble_jobs, plans
from reorg.services.ensembles import EnsembleRun, Placement
from reorg.services.jobs import error_fields
from reorg.web.context import Viewer, ViewerDep, WriterDep, job_runner, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["ensembles"])
api = APIRouter(prefix="/api", tags=["ensembles"])


class EnsembleBody(BaseModel):
    """An ensemble run (see ``reorg.services.ensemble_jobs.EnsembleFields``)."""

    dataset: str = Field(max_length=64)
    level: str = Field(max_length=200)
    steps: int = 1000
    chains: int = 2
    seed: int = 0
    thin: int = 1
    nest_by: str = Field("parent", max_length=200, description='"parent", a level name, or "none".')
    nest_in: str = Field("", max_length=64, description="A stored plan whose merged units of nest_by nest.")
    start: str = Field(
        "", max_length=64, description="A stored plan to start from (blank: propose territory)."
    )
    min_population: float | None = None
    max_population: float | None = None
    min_area_km2: float | None = None
    tolerance: float | None = Field(None, description="Population within this fraction of the ideal.")


def _root(request: Request) -> Path:
    return Path(request.app.state.settings.ensembles_dir)


def _scheduler(request: Request) -> str | None:
    return str(request.app.state.settings.dask_scheduler) or None


def _number(value: str, field: str, kind: type[int] | type[float]) -> Any:
    if not value.strip():
        return None
    try:
        return kind(value.strip())
    except ValueError:
        expected = "a whole number" if kind is int else "a number"
        raise InputError("form", expected, field=field, value=value[:60]) from None


def _given(value: int | None, default: int) -> int:
    return default if value is None else value


def _list_page(
    request: Request,
    who: Viewer,
    *,
    job_id: str | None = None,
    form: dict[str, str] | None = None,
    error: InputError | None = None,
) -> HTMLResponse:
    runs = ensemble_jobs.list_runs(viewer=who.principal, root=_root(request))
    with unit_of_work(request, who) as uow:
        names = list(dict.fromkeys(r.name for r in datasets.list_datasets(uow)))
    runner = job_runner(request)
    shown = runner.get(job_id, viewer=who.principal) if job_id else None
    recent = [j for j in runner.mine(viewer=who.principal) if j.kind == "ensemble" and j is not shown][:10]
    context = {
        "runs": runs,
        "names": names,
        "job": shown,
        "recent": recent,
        "form": form or {},
        "error": None if error is None else error_fields(error),
    }
    return render(request, "ensembles.html", context, who=who, status=422 if error else 200)


@pages.get("/ensembles", response_class=HTMLResponse, include_in_schema=False)
def ensembles_page(request: Request, who: ViewerDep, job: str | None = None) -> HTMLResponse:
    """The runs, the form to start one and the job just started (``job``)."""
    return _list_page(request, who, job_id=job)


@pages.post("/ensembles", include_in_schema=False)
def ensemble_form(
    request: Request,
    who: WriterDep,
    dataset: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=200)],
    steps: Annotated[str, Form(max_length=40)] = "",
    chains: Annotated[str, Form(max_length=40)] = "",
    seed: Annotated[str, Form(max_length=40)] = "",
    thin: Annotated[str, Form(max_length=40)] = "",
    nest_by: Annotated[str, Form(max_length=200)] = "parent",
    nest_in: Annotated[str, Form(max_length=64)] = "",
    start: Annotated[str, Form(max_length=64)] = "",
    min_population: Annotated[str, Form(max_length=40)] = "",
    max_population: Annotated[str, Form(max_length=40)] = "",
    min_area_km2: Annotated[str, Form(max_length=40)] = "",
    tolerance: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start an ensemble run and show its progress; bad fields are shown on the form."""
    form = {
        "dataset": dataset,
        "level": level,
        "steps": steps,
        "chains": chains,
        "seed": seed,
        "thin": thin,
        "nest_by": nest_by,
        "nest_in": nest_in,
        "start": start,
        "min_population": min_population,
        "max_population": max_population,
        "min_area_km2": min_area_km2,
        "tolerance": tolerance,
    }
    try:
        fields = ensemble_jobs.EnsembleFields(
            dataset=dataset,
            level=level,
            steps=_given(_number(steps, "steps", int), 1000),
            chains=_given(_number(chains, "chains", int), 2),
            seed=_given(_number(seed, "seed", int), 0),
            thin=_given(_number(thin, "thin", int), 1),
            nest_by=nest_by,
            nest_in=nest_in,
            start=start,
            min_population=_number(min_population, "min_population", float),
            max_population=_number(max_population, "max_population", float),
            min_area_km2=_number(min_area_km2, "min_area_km2", float),
            tolerance=_number(tolerance, "tolerance", float),
        )
        job = ensemble_jobs.start_ensemble(
            job_runner(request),
            viewer=who.principal,
            actor=who.actor,
            fields=fields,
            root=_root(request),
            scheduler=_scheduler(request),
        )
    except InputError as error:
        return _list_page(request, who, form=form, error=error)
    return RedirectResponse(f"/ensembles?job={job.id}", status_code=303)


def _charts(placed: Placement, run: EnsembleRun) -> list[dict[str, Any]]:
    """Per measure: the histogram's bins (labels and counts), the plan's bin and value, its percentile."""
    out = []
    rhat = {m.name: m.rhat for m in run.measures}
    for r in placed.rows:
        edges = r.edges
        labels = [f"{(a + b) / 2:.4g}" for a, b in itertools.pairwise(edges)]
        width = edges[-1] - edges[0]
        at = min(len(r.counts) - 1, int((r.value - edges[0]) / width * len(r.counts))) if width > 0 else 0
        out.append(
            {
                "name": r.name,
                "value": r.value,
                "percentile": r.percentile,
                "rhat": rhat.get(r.name),
                "chart": {"categories": labels, "counts": list(r.counts), "mark": at},
            }
        )
    return out


@pages.get("/ensembles/{run_id}", response_class=HTMLResponse, include_in_schema=False)
def ensemble_page(request: Request, who: ViewerDep, run_id: str, plan: str | None = None) -> HTMLResponse:
    """A run: acceptance, per-measure R-hat and ESS; with ``plan``, where that plan falls."""
    with unit_of_work(request, who) as uow:
        run, placed = ensemble_jobs.open_run(
            uow, viewer=who.principal, root=_root(request), run_id=run_id, plan=plan or None
        )
        names = [p.name for p in plans.list_plans(uow)]
    context = {
        "run_id": run_id,
        "run": run,
        "placed": placed,
        "charts": _charts(placed, run) if placed else [],
        "plan_names": list(dict.fromkeys(names)),
        "chosen": plan or "",
    }
    return render(request, "ensemble.html", context, who=who)


@api.get("/ensembles")
def api_ensembles(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """The ensemble runs the server keeps, newest first."""
    return [r.to_dict() for r in ensemble_jobs.list_runs(viewer=who.principal, root=_root(request))]


@api.post("/ensembles", status_code=202)
def api_start(request: Request, who: WriterDep, body: EnsembleBody) -> JSONResponse:
    """Start an ensemble run; poll ``GET /api/jobs/{id}``, whose result names the run."""
    job = ensemble_jobs.start_ensemble(
        job_runner(request),
        viewer=who.principal,
        actor=who.actor,
        fields=ensemble_jobs.EnsembleFields(**body.model_dump()),
        root=_root(request),
        scheduler=_scheduler(request),
    )
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@api.get("/ensembles/{run_id}")
def api_ensemble(request: Request, who: ViewerDep, run_id: str, plan: str | None = None) -> dict[str, Any]:
    """A run's summary; with ``plan``, where that stored plan falls in each measure."""
    with unit_of_work(request, who) as uow:
        run, placed = ensemble_jobs.open_run(
            uow, viewer=who.principal, root=_root(request), run_id=run_id, plan=plan or None
        )
    body = run.to_dict()
    body.pop("folder")
    body["id"] = run_id
    body["placement"] = placed.to_dict() if placed else None
    return body
