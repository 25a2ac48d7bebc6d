"""``create_app(settings)``: the FastAPI application, its store, templates, static files and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reorg.services import Settings, open_database
from reorg.services.jobs import JobRunner
from reorg.web import errors
from reorg.web.context import ViewerDep, render
from reorg.web.routes import (
    auth,
    consult,
    dashboard,
    ensembles,
    findings,
    imports,
    jobs,
    maps,
    people,
    plans,
    proposals,
    public,
    roadmap,
    units,
    users,
)
from reorg.web.security import HEADERS, AttemptLimiter
from reorg.web.settings import WebSettings

__all__ = ["create_app"]

#: every feature module: its ``pages`` and ``api`` routers are included in this order
FEATURES = (
    auth,
    dashboard,
    units,
    findings,
    plans,
    roadmap,
    maps,
    people,
    proposals,
    ensembles,
    imports,
    jobs,
    consult,
    users,
    public,
)


class _Headers:
    """Adds the security headers of ``reorg.web.security`` to every response (a plain ASGI wrapper)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, sending)


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("reorg.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return Jinja2Templates(env=env)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The web app on the store of ``settings`` (opened and migrated when the app starts)."""
    settings = settings or WebSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.database = open_database(Settings(db_url=settings.db_url, actor="web"))
        app.state.jobs = JobRunner(app.state.database, workers=settings.job_workers, keep=settings.jobs_kept)
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            app.state.database.close()

    app = FastAPI(
        title="reorg",
        summary="Diagnose, propose and follow the streamlining of an organization's apparatus.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.templates = _templates()
    app.state.login_limiter = AttemptLimiter(settings.login_attempts, settings.login_window_s)
    static = Path(str(files("reorg.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    for feature in FEATURES:
        app.include_router(feature.pages)
        app.include_router(feature.api)
    errors.install(app)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(who: ViewerDep) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request, who: ViewerDep) -> HTMLResponse:
        return render(request, "docs.html", {}, who=who)

    app.add_middleware(_Headers)
    return app
