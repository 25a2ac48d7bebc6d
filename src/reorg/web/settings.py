"""The web app's settings: one validated object, built by ``reorg serve`` or a test, never at import."""

from __future__ import annotations

import dataclasses

from reorg.errors import InputError
from reorg.io.w3c_org import check_base
from reorg.services.settings import DEFAULT_URL

__all__ = ["WebSettings"]


@dataclasses.dataclass(frozen=True)
class WebSettings:
    """``db_url``: the store; ``secure_cookies``: send the session cookie over HTTPS only (turn off only
    for plain HTTP on the loopback interface); ``max_upload_mb``: the largest bundle an import accepts;
    ``login_attempts``: sign-in attempts allowed per client address in ``login_window_s`` seconds (on top
    of the per-account lockout of ``reorg.services.users``); ``org_base_iri``: the base of the unit IRIs
    of the public W3C ORG export (the percent-encoded unit id follows it; "" = ``urn:reorg:<plan>:``);
    ``ensembles_dir``: the folder of the ensemble runs started from the web app; ``dask_scheduler``: the
    Dask scheduler they run on ("" = a local cluster on this machine's cores, docs/ensembles.md)."""

    db_url: str = DEFAULT_URL
    secure_cookies: bool = True
    max_upload_mb: int = 200
    max_unpacked_mb: int = 2048
    job_workers: int = 1
    jobs_kept: int = 100
    login_attempts: int = 20
    login_window_s: float = 300.0
    org_base_iri: str = ""
    ensembles_dir: str = "ensembles"
    dask_scheduler: str = ""

    def __post_init__(self) -> None:
        if not self.db_url.strip():
            raise InputError("setting db_url", "a database URL such as sqlite:///reorg.db", value=self.db_url)
        if not 1 <= self.max_upload_mb <= 10_000:
            raise InputError(
                "setting max_upload_mb", "a size from 1 to 10000 MB", value=str(self.max_upload_mb)
            )
        if not 1 <= self.max_unpacked_mb <= 100_000:
            raise InputError(
                "setting max_unpacked_mb", "a size from 1 to 100000 MB", value=str(self.max_unpacked_mb)
            )
        if not 1 <= self.job_workers <= 64:
            raise InputError("setting job_workers", "from 1 to 64 workers", value=str(self.job_workers))
        if not 1 <= self.jobs_kept <= 100_000:
            raise InputError("setting jobs_kept", "from 1 to 100000 jobs", value=str(self.jobs_kept))
        if self.login_attempts < 1 or self.login_window_s <= 0:
            raise InputError("setting login_attempts", "at least one attempt in a positive window")
        if not self.ensembles_dir.strip():
            raise InputError("setting ensembles_dir", "a folder for the ensemble runs")
        if self.org_base_iri:
            check_base(self.org_base_iri)
