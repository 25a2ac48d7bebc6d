"""services.jobs: a job runs in its own unit of work, keeps its error's fields, is seen by its owner and
admins only; finished jobs are pruned oldest first; shutdown runs the cleanups of jobs never started."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reorg.errors import InputError, NotFoundError
from reorg.services import Settings, open_database
from reorg.services.access import Principal
from reorg.services.jobs import Job, JobRunner

ANN = Principal("ann", "analyst")


def finished(runner: JobRunner, job: Job, timeout: float = 10.0) -> Job:
    deadline = time.monotonic() + timeout
    while not (now := runner.get(job.id, viewer=ANN)).finished:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return now


@pytest.fixture
def runner(tmp_path: Path) -> Any:
    with open_database(Settings(db_url=f"sqlite:///{tmp_path / 'j.db'}")) as db:
        jobs = JobRunner(db, keep=2)
        yield jobs
        jobs.shutdown()


def test_a_failed_job_keeps_the_input_errors_fields_and_runs_its_cleanup(runner: JobRunner) -> None:
    """An InputError fails the job with its file, row, column and value; the cleanup ran before the job
    was reported finished; the unit of work's actor is the one given."""
    cleaned, actors = [], []

    def work(uow: Any, progress: Any) -> dict[str, Any]:
        actors.append(uow.actor)
        raise InputError("units.csv", "a known parent", row=3, column="parent_id", value="x")

    job = runner.submit(
        owner=ANN, actor="web:ann", kind="import", title="t", work=work, cleanup=lambda: cleaned.append(1)
    )
    done = finished(runner, job)
    assert done.state == "failed"
    assert done.error is not None
    assert (done.error["file"], done.error["row"], done.error["column"]) == ("units.csv", 3, "parent_id")
    assert cleaned == [1]
    assert actors == ["web:ann"]


def test_an_unexpected_failure_says_little(runner: JobRunner) -> None:
    """A bug fails the job with a fixed sentence, not its traceback or message."""

    def work(uow: Any, progress: Any) -> dict[str, Any]:
        raise KeyError("secret internals")

    done = finished(runner, runner.submit(owner=ANN, actor="web:ann", kind="leads", title="t", work=work))
    assert done.state == "failed"
    assert done.error is not None
    assert "secret" not in done.error["message"]


def test_only_the_owner_and_admins_see_a_job(runner: JobRunner) -> None:
    """Another analyst is told the job does not exist; an admin sees it."""
    job = runner.submit(owner=ANN, actor="web:ann", kind="leads", title="t", work=lambda uow, p: {})
    with pytest.raises(NotFoundError):
        runner.get(job.id, viewer=Principal("bob", "analyst"))
    assert runner.get(job.id, viewer=Principal("ada", "admin")).id == job.id
    assert runner.mine(viewer=Principal("bob", "analyst")) == []
    finished(runner, job)


def test_finished_jobs_are_pruned_oldest_first(runner: JobRunner) -> None:
    """With keep=2, the third finished job pushes out the first."""
    jobs = [
        runner.submit(owner=ANN, actor="web:ann", kind="leads", title=str(i), work=lambda uow, p: {})
        for i in range(3)
    ]
    finished(runner, jobs[2])
    with pytest.raises(NotFoundError):
        runner.get(jobs[0].id, viewer=ANN)
    assert [j.title for j in runner.mine(viewer=ANN)] == ["2", "1"]


def test_shutdown_runs_the_cleanups_of_jobs_never_started(tmp_path: Path) -> None:
    """Jobs still queued when the runner stops never run, but their temporary files are removed."""
    with open_database(Settings(db_url=f"sqlite:///{tmp_path / 'j.db'}")) as db:
        jobs = JobRunner(db)
        gate, ran, cleaned = threading.Event(), [], []

        def slow(uow: Any, progress: Any) -> dict[str, Any]:
            assert gate.wait(10)
            return {}

        jobs.submit(owner=ANN, actor="web:ann", kind="leads", title="a", work=slow)
        jobs.submit(
            owner=ANN,
            actor="web:ann",
            kind="import",
            title="b",
            work=lambda uow, p: ran.append(1) or {},
            cleanup=lambda: cleaned.append(1),
        )
        threading.Timer(0.2, gate.set).start()
        jobs.shutdown()
    assert ran == []
    assert cleaned == [1]
