"""Progress reporting for long jobs, without any terminal or web dependency.

A long job takes ``progress: Progress | None`` and calls it as it goes; the CLI passes a Rich
progress bar (``reorg.cli.app.progress_bar``), the web app a job-status updater, tests nothing.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "report"]


class Progress(Protocol):
    """Called with the work done so far, the total (None when unknown) and what is being done."""

    def __call__(self, done: int, total: int | None, stage: str) -> None: ...


def report(progress: Progress | None, done: int, total: int | None, stage: str) -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(done, total, stage)
