"""One translation of reorg's errors into answers: JSON for ``/api``, a page in the user's language for
the rest, with the status each error means (401 sign in, 403 forbidden, 404 not found, 413 an upload
too large, 429 too many jobs, 422 bad input or a refused plan, 503 the store)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from reorg import i18n
from reorg.errors import (
    AuthError,
    ForbiddenError,
    InputError,
    NotFoundError,
    PlanError,
    ReorgError,
    StoreError,
)
from reorg.services.jobs import JobLimitError, error_fields
from reorg.web.context import CsrfError, NotSignedInError, Viewer, language_of, render, viewer
from reorg.web.uploads import UploadTooLargeError

__all__ = ["install", "status_of"]

STATUS: tuple[tuple[type[ReorgError], int], ...] = (
    (NotSignedInError, 401),
    (AuthError, 401),
    (CsrfError, 403),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (InputError, 422),
    (PlanError, 422),
    (StoreError, 503),
    (UploadTooLargeError, 413),
    (JobLimitError, 429),
)


def status_of(error: ReorgError) -> int:
    return next((code for kind, code in STATUS if isinstance(error, kind)), 400)


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def detail(error: ReorgError, lang: str) -> dict[str, Any]:
    """The JSON body of an error: its kind, its message (refusals in ``lang``), and its structured parts
    (``reorg.services.jobs.error_fields``: a failed job keeps the same)."""
    body = error_fields(error)
    if isinstance(error, PlanError) and error.template:
        body["message"] = i18n.refusal(error.template, error.params, lang)
    return body


def _who(request: Request) -> Viewer | None:
    try:
        return viewer(request)
    except ReorgError:
        return None


async def _reorg_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ReorgError)
    if isinstance(error, NotSignedInError) and not _api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}" if target != "/" else "/login", status_code=303)
    who = None if isinstance(error, NotSignedInError | StoreError) else _who(request)
    lang = language_of(request, who)
    code = status_of(error)
    if _api(request):
        return JSONResponse(detail(error, lang), status_code=code)
    return render(request, "error.html", {"code": code, "error": detail(error, lang)}, who=who, status=code)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if _api(request):
        return JSONResponse(
            {"error": "HTTPException", "message": str(error.detail)}, status_code=error.status_code
        )
    who = _who(request)
    body = {"error": "HTTPException", "message": str(error.detail)}
    return render(
        request, "error.html", {"code": error.status_code, "error": body}, who=who, status=error.status_code
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ReorgError, _reorg_error)
    app.add_exception_handler(HTTPException, _http_error)
