"""Long use cases run in the background of the web app, with their progress: a small in-process runner.

A job is one use case (a proposal, an import) submitted by a signed-in user. It runs on a thread pool
(``workers`` threads, 1 by default: jobs queue rather than compete for the two cores of a small server),
in its own unit of work whose audit actor names the user, so that what it stores is committed when it
succeeds and rolled back when it fails. While it runs, the ``reorg.progress.Progress`` callback the use
case already takes updates the job's ``done``, ``total`` and ``stage``.

Jobs live in memory only (a restart forgets them; what they stored stays in the store). A job is seen
by its owner and by admins (``access.sees_job``); anyone else is told it does not exist, like a job
that never was. At most ``keep`` finished jobs are kept, the oldest finished first to go.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import secrets
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from reorg.errors import InputError, NotFoundError, PlanError, ReorgError
from reorg.progress import Progress
from reorg.services import access
from reorg.store import Database, UnitOfWork

__all__ = ["MAX_PENDING", "STATES", "Job", "JobLimitError", "JobRunner", "Work", "error_fields"]

log = logging.getLogger(__name__)

#: the life of a job: queued -> running -> done or failed
STATES = ("queued", "running", "done", "failed")

#: a job's work: runs the use case in the unit of work it is given, reporting to the progress callback,
#: and returns what the job's page shows (plain JSON data: names, versions, counts)
Work = Callable[[UnitOfWork, Progress], Mapping[str, Any]]

#: jobs one user may have queued or running at once (the web app answers 429 beyond)
MAX_PENDING = 4

#: what a failed job says when the failure is not one reorg raises on purpose (details in the log)
INTERNAL = "the job failed unexpectedly; the server's log has the details"


class JobLimitError(ReorgError):
    """A user who already has MAX_PENDING jobs queued or running asks for another."""


def error_fields(error: ReorgError) -> dict[str, Any]:
    """What a job keeps of the error that failed it: its kind and message, the file, row, column,
    field, expected and value of an InputError, the operation and template of a PlanError."""
    body: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
    if isinstance(error, InputError):
        body.update(
            file=error.file,
            row=error.row,
            column=error.column,
            field=error.field,
            expected=error.expected,
            value=error.value,
        )
    if isinstance(error, PlanError):
        body.update(operation=error.operation, op=error.op, invariant=error.invariant, ids=list(error.ids))
        if error.template:
            body.update(template=error.template, params=dict(error.params))
    return body


@dataclasses.dataclass(frozen=True)
class Job:
    """A snapshot of a job: ``id`` (random, unguessable), who submitted it, ``kind`` (``territory``,
    ``leads``, ``import``), ``state`` (one of STATES), progress (``done`` of ``total``, None when
    unknown, and ``stage``), times (UTC), and ``result`` when done or ``error`` when failed."""

    id: str
    owner: str
    kind: str
    title: str
    state: str
    done: int
    total: int | None
    stage: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: Mapping[str, Any] | None
    error: Mapping[str, Any] | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def fraction(self) -> float | None:
        """Done over total, from 0 to 1 (None when the total is unknown)."""
        if not self.total:
            return 1.0 if self.state == "done" else None
        return max(0.0, min(1.0, self.done / self.total))

    def to_dict(self) -> dict[str, Any]:
        def moment(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "id": self.id,
            "owner": self.owner,
            "kind": self.kind,
            "title": self.title,
            "state": self.state,
            "progress": {"done": self.done, "total": self.total, "stage": self.stage},
            "created_at": moment(self.created_at),
            "started_at": moment(self.started_at),
            "finished_at": moment(self.finished_at),
            "result": None if self.result is None else dict(self.result),
            "error": None if self.error is None else dict(self.error),
        }


class JobRunner:
    """Runs jobs on ``workers`` threads against ``database``, keeping at most ``keep`` finished ones."""

    def __init__(self, database: Database, *, workers: int = 1, keep: int = 100) -> None:
        if workers < 1 or keep < 1:
            raise ValueError("a job runner needs at least one worker and keeps at least one job")
        self.database = database
        self.keep = keep
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reorg-job")
        self._jobs: dict[str, Job] = {}
        self._finished: collections.deque[str] = collections.deque()
        self._cleanups: dict[str, Callable[[], None]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def submit(
        self,
        *,
        owner: access.Principal,
        actor: str,
        kind: str,
        title: str,
        work: Work,
        cleanup: Callable[[], None] | None = None,
    ) -> Job:
        """Queue ``work`` for ``owner``; its unit of work's audit actor is ``actor``. ``cleanup`` runs
        once after the job, whatever its end (also when the runner shuts down before it starts)."""
        now = datetime.now(UTC)
        job = Job(
            secrets.token_urlsafe(16),
            owner.login,
            kind,
            title,
            "queued",
            0,
            None,
            "",
            now,
            None,
            None,
            None,
            None,
        )
        with self._lock:
            if self._closed:
                raise ReorgError("the server is stopping: try again in a moment")
            self._check_room(owner.login)
            self._jobs[job.id] = job
            if cleanup is not None:
                self._cleanups[job.id] = cleanup
        self._executor.submit(self._run, job.id, actor, work)
        return job

    def check_room(self, owner: access.Principal) -> None:
        """JobLimitError when ``owner`` already has MAX_PENDING jobs queued or running (asked before an
        upload is read, and again when a job is submitted)."""
        with self._lock:
            self._check_room(owner.login)

    def _check_room(self, login: str) -> None:
        pending = sum(1 for j in self._jobs.values() if j.owner == login and not j.finished)
        if pending >= MAX_PENDING:
            raise JobLimitError(f"{pending} of your jobs are queued or running: wait for one to finish")

    def get(self, job_id: str, *, viewer: access.Principal) -> Job:
        """Job ``job_id`` as it is now; NotFoundError when it is unknown or not ``viewer``'s to see."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or not access.sees_job(viewer, job.owner):
            raise NotFoundError(f"no job {job_id!r}")
        return job

    def mine(self, *, viewer: access.Principal) -> list[Job]:
        """The jobs ``viewer`` submitted that are still kept, newest first."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.owner == viewer.login]
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    def shutdown(self) -> None:
        """Stop taking jobs, drop the queued ones (their cleanups run), wait for the running ones."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            left = [self._cleanups.pop(k) for k in list(self._cleanups)]
        for cleanup in left:
            cleanup()

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = dataclasses.replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
            if job.finished:
                self._finished.append(job_id)
                while len(self._finished) > self.keep:
                    self._jobs.pop(self._finished.popleft(), None)

    def _run(self, job_id: str, actor: str, work: Work) -> None:
        self._update(job_id, state="running", started_at=datetime.now(UTC))

        def progress(done: int, total: int | None, stage: str) -> None:
            self._update(job_id, done=done, total=total, stage=stage)

        changes: dict[str, Any]
        try:
            with self.database.unit_of_work(actor=actor) as uow:
                changes = {"state": "done", "result": dict(work(uow, progress))}
        except ReorgError as exc:
            changes = {"state": "failed", "error": error_fields(exc)}
        except Exception:
            log.exception("job %s failed", job_id)
            changes = {"state": "failed", "error": {"error": "InternalError", "message": INTERNAL}}
        with self._lock:
            cleanup = self._cleanups.pop(job_id, None)
        try:
            if cleanup is not None:
                cleanup()
        finally:  # a job is finished only once its temporary files are gone
            self._update(job_id, finished_at=datetime.now(UTC), **changes)
