"""The map of a level, and of a territorial plan: before and after side by side, coloured by new unit,
each region's figures on click. Shapes are the bundle's outlines where it has them, else cells estimated
from unit locations (said so on the page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reorg.services import UnitOfWork, datasets, maps, plans
from reorg.web.context import ViewerDep, chosen_dataset, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["map"])
api = APIRouter(prefix="/api", tags=["map"])


@pages.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(
    request: Request, who: ViewerDep, dataset: str | None = None, plan: str = "", level: str = ""
) -> HTMLResponse:
    """A territorial level of ``dataset`` (with ``plan``: the plan's baseline), before and after ``plan``."""
    with unit_of_work(request, who) as uow:
        if plan and not dataset:
            dataset = plans.show_plan(uow, name=plan).record.baseline
        name = chosen_dataset(uow, dataset)
        summary = datasets.show_dataset(uow, name=name) if name else None
        territorial = [x.level for x in summary.levels if x.territorial] if summary else []
        on_it = [r.name for r in plans.list_plans(uow, baseline=name)] if name else []
        if plan and not level and summary:
            level = _changed_level(uow, plan, {x.level: x.units for x in summary.levels}, territorial)
        level = level or (territorial[-1] if territorial else "")
    context = {
        "dataset": name,
        "plan": plan,
        "level": level,
        "levels": territorial,
        "plans": list(dict.fromkeys(on_it)),
    }
    return render(request, "map.html", context, who=who)


def _changed_level(uow: UnitOfWork, plan: str, before: dict[str, int], territorial: list[str]) -> str:
    """The territorial level whose unit count the plan changes most (the last level when none)."""
    after = datasets.show_dataset(uow, name=plan)
    counts = {x.level: x.units for x in after.levels}
    changed = [(abs(before.get(n, 0) - counts.get(n, 0)), n) for n in territorial]
    best = max(changed, default=(0, ""))
    return best[1] if best[0] else (territorial[-1] if territorial else "")


@api.get("/maps/{name}")
def api_map(
    request: Request, who: ViewerDep, name: str, level: str, plan: str | None = None
) -> dict[str, Any]:
    """The units of ``level`` as a GeoJSON FeatureCollection; with ``plan`` (saved against ``name``),
    where each went (``after_id``) and the plan's regions with their figures."""
    with unit_of_work(request, who) as uow:
        return maps.level_map(uow, name=name, level=level, plan=plan or None, viewer=who.principal).to_dict()
