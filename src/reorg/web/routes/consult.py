"""Consultations: the rounds a person may answer (and all of them for analysts), one round with a form
per operation and, once closed or for analysts, its results; forms to open and close a round; the XLSX
export. Access is decided by ``reorg.services.consult``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from reorg.errors import InputError
from reorg.services import access, consult, plans
from reorg.services.consult import Opinion
from reorg.web.context import ViewerDep, WriterDep, render, unit_of_work

__all__ = ["api", "pages"]

pages = APIRouter(tags=["consultations"])
api = APIRouter(prefix="/api", tags=["consultations"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _deadline(text: str) -> datetime:
    """A deadline typed in a form: ISO, read as UTC when it names no zone (the form says so)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError("deadline", "a date and time (YYYY-MM-DDTHH:MM, UTC)", value=text) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _operations(text: str) -> list[int] | None:
    """Operation positions typed as ``0, 3, 7`` (empty: all)."""
    parts = [p for p in text.replace(",", " ").split() if p]
    try:
        return [int(p) for p in parts] or None
    except ValueError:
        raise InputError("operations", "operation positions such as 0, 3, 7", value=text) from None


@pages.get("/consultations", response_class=HTMLResponse, include_in_schema=False)
def consultation_list(request: Request, who: ViewerDep) -> HTMLResponse:
    """The rounds the viewer is invited to, every round for analysts, and the form to open one."""
    with unit_of_work(request, who) as uow:
        rounds = consult.list_consultations(uow, viewer=who.principal)
        names = (
            sorted({p.name for p in plans.list_plans(uow)}) if access.may(who.principal, "consult") else []
        )
    mine = [r for r in rounds if any(i.login == who.user.login for i in r.invites)]
    context = {"rounds": rounds, "mine": mine, "plan_names": names, "roles": access.ROLES}
    return render(request, "consultations.html", context, who=who)


@pages.post("/consultations", include_in_schema=False)
def consultation_open(
    request: Request,
    who: WriterDep,
    plan: Annotated[str, Form()],
    question: Annotated[str, Form()],
    deadline: Annotated[str, Form()],
    invite: Annotated[str, Form()],
    operations: Annotated[str, Form()] = "",
    weights: Annotated[str, Form()] = "",
    anonymous: Annotated[str, Form()] = "",
) -> Response:
    """Open a round from the form (invitations and weights one per line)."""
    with unit_of_work(request, who, readonly=False) as uow:
        made = consult.open_consultation(
            uow,
            viewer=who.principal,
            plan=plan,
            question=question,
            deadline=_deadline(deadline),
            invite=consult.read_pairs(invite.splitlines(), "invite"),
            operations=_operations(operations),
            weights=consult.read_weights(weights.splitlines(), "weights"),
            anonymous=bool(anonymous),
        )
    return RedirectResponse(f"/consultations/{made.record.id}", status_code=303)


@pages.get("/consultations/{number}", response_class=HTMLResponse, include_in_schema=False)
def consultation_page(request: Request, who: ViewerDep, number: int, done: str = "") -> HTMLResponse:
    """A round: the question, a form per operation, and the results when the viewer may see them."""
    with unit_of_work(request, who) as uow:
        found = consult.show_consultation(uow, viewer=who.principal, number=number)
    return render(request, "consultation.html", {"c": found, "done": done}, who=who)


@pages.post("/consultations/{number}/answer", include_in_schema=False)
async def consultation_answer(request: Request, who: WriterDep, number: int) -> Response:
    """The answer form: ``stance-ITEM``, ``rating-ITEM``, ``comment-ITEM`` per item; items left without a
    stance are not answered."""
    form = await request.form()
    opinions = []
    for key, stance in form.multi_items():
        if not (key.startswith("stance-") and isinstance(stance, str) and stance):
            continue
        item = key.removeprefix("stance-")
        rating, comment = form.get(f"rating-{item}") or "0", form.get(f"comment-{item}") or ""
        try:
            opinions.append(Opinion(int(item), stance, int(str(rating)), str(comment)))
        except ValueError:
            raise InputError("answer", "an operation position and a rating 1-5", value=key) from None
    with unit_of_work(request, who, readonly=False) as uow:
        done = consult.answer(uow, viewer=who.principal, number=number, opinions=opinions)
    return RedirectResponse(
        f"/consultations/{number}?done={'late' if done.late else 'answered'}", status_code=303
    )


@pages.post("/consultations/{number}/close", include_in_schema=False)
def consultation_close(request: Request, who: WriterDep, number: int) -> Response:
    """Close the round and freeze its results."""
    with unit_of_work(request, who, readonly=False) as uow:
        consult.close_consultation(uow, viewer=who.principal, number=number)
    return RedirectResponse(f"/consultations/{number}?done=closed", status_code=303)


@pages.get("/consultations/{number}/export", include_in_schema=False)
@api.get("/consultations/{number}/export")
def consultation_export(request: Request, who: ViewerDep, number: int) -> Response:
    """The results as an XLSX workbook, one sheet per view."""
    with unit_of_work(request, who) as uow:
        data = consult.export_results(uow, viewer=who.principal, number=number)
    headers = {"Content-Disposition": f'attachment; filename="consultation-{number}.xlsx"'}
    return Response(data, media_type=XLSX, headers=headers)


class NewConsultation(BaseModel):
    """A round to open: ``invite`` maps a login or ``@role`` to its group ("" = their role)."""

    plan: str
    question: str
    deadline: datetime
    invite: dict[str, str]
    version: int | None = None
    operations: list[int] | None = None
    anonymous: bool = False
    weights: dict[str, float] = Field(default_factory=dict)


class OpinionIn(BaseModel):
    item: int
    stance: str
    rating: int = 0
    comment: str = ""


class Submission(BaseModel):
    opinions: list[OpinionIn]


@api.get("/consultations")
def api_list(request: Request, who: ViewerDep) -> list[dict[str, Any]]:
    """The rounds the viewer may see (all for analysts), newest first."""
    with unit_of_work(request, who) as uow:
        rounds = consult.list_consultations(uow, viewer=who.principal)
    keys = ("id", "plan", "plan_version", "question", "state", "anonymous")
    return [{**{k: getattr(r, k) for k in keys}, "deadline": r.deadline.isoformat()} for r in rounds]


@api.post("/consultations", status_code=201)
def api_open(request: Request, who: WriterDep, new: NewConsultation) -> dict[str, Any]:
    """Open a round (analysts and admins)."""
    with unit_of_work(request, who, readonly=False) as uow:
        return consult.open_consultation(uow, viewer=who.principal, **new.model_dump()).to_dict()


@api.get("/consultations/{number}")
def api_show(request: Request, who: ViewerDep, number: int) -> dict[str, Any]:
    """A round as the viewer may see it."""
    with unit_of_work(request, who) as uow:
        return consult.show_consultation(uow, viewer=who.principal, number=number).to_dict()


@api.post("/consultations/{number}/answers", status_code=201)
def api_answer(request: Request, who: WriterDep, number: int, submission: Submission) -> dict[str, Any]:
    """One submission of the viewer's opinions (the last in time to each item counts)."""
    opinions = [Opinion(o.item, o.stance, o.rating, o.comment) for o in submission.opinions]
    with unit_of_work(request, who, readonly=False) as uow:
        return consult.answer(uow, viewer=who.principal, number=number, opinions=opinions).to_dict()


@api.post("/consultations/{number}/close")
def api_close(request: Request, who: WriterDep, number: int) -> dict[str, Any]:
    """Close the round and freeze its results."""
    with unit_of_work(request, who, readonly=False) as uow:
        return consult.close_consultation(uow, viewer=who.principal, number=number).to_dict()


@api.get("/consultations/{number}/results")
def api_results(request: Request, who: ViewerDep, number: int) -> dict[str, Any]:
    """The results: frozen once closed; live while open for analysts."""
    with unit_of_work(request, who) as uow:
        return consult.results(uow, viewer=who.principal, number=number).to_dict()
