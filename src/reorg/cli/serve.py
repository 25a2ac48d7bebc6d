"""``reorg serve``: the web app on the store of ``--db``, with uvicorn."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from reorg.cli.app import app, line, settings_of

LOOPBACK = ("localhost",)


def _loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool | None,
        typer.Option(
            "--secure-cookies/--plain-cookies",
            help="Send the session cookie over HTTPS only (default: on, except on the loopback address).",
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="Largest bundle an import accepts (MB).", min=1)
    ] = 200,
    job_workers: Annotated[
        int,
        typer.Option("--job-workers", help="Proposals and imports run at once (the others queue).", min=1),
    ] = 1,
    org_base: Annotated[
        str,
        typer.Option(
            "--org-base", help="Base IRI of the units in the public W3C ORG export (default urn:reorg:PLAN:)."
        ),
    ] = "",
    ensembles_dir: Annotated[
        str, typer.Option("--ensembles", help="Folder of the ensemble runs started from the web app.")
    ] = "ensembles",
    scheduler: Annotated[
        str, typer.Option("--scheduler", help="Dask scheduler for ensemble runs (default: local cores).")
    ] = "",
) -> None:
    """Serve the web app (pages and the REST API, OpenAPI at /docs) on the store of --db."""
    # imported here: the other commands start without loading the web stack
    import uvicorn

    from reorg.web import WebSettings, create_app

    settings = settings_of(ctx)
    secure = not _loopback(host) if secure_cookies is None else secure_cookies
    web = WebSettings(
        db_url=settings.db_url,
        secure_cookies=secure,
        max_upload_mb=max_upload_mb,
        job_workers=job_workers,
        org_base_iri=org_base,
        ensembles_dir=ensembles_dir,
        dask_scheduler=scheduler,
    )
    line("reorg web app on ", (f"http://{host}:{port}/", "bold"), f" (store: {settings.db_url})")
    if not secure:
        line("session cookies are sent over plain HTTP: use this on the loopback address only")
    line("users: reorg users add LOGIN --role admin (then sign in with that login)")
    uvicorn.run(create_app(web), host=host, port=port, log_level="info", access_log=False)
