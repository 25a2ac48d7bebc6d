"""The ``reorg`` command line. Each feature registers its commands in its own module."""

from __future__ import annotations

import os

# Command modules register themselves on ``app`` when imported.
from reorg.cli import audit as _audit  # noqa: F401  (registration)
from reorg.cli import consolidate as _consolidate  # noqa: F401  (registration)
from reorg.cli import consult as _consult  # noqa: F401  (registration)
from reorg.cli import data as _data  # noqa: F401  (registration)
from reorg.cli import datasets as _datasets  # noqa: F401  (registration)
from reorg.cli import demo as _demo  # noqa: F401  (registration)
from reorg.cli import diagnose as _diagnose  # noqa: F401  (registration)
from reorg.cli import ensemble as _ensemble  # noqa: F401  (registration)
from reorg.cli import people as _people  # noqa: F401  (registration)
from reorg.cli import placement as _placement  # noqa: F401  (registration)
from reorg.cli import plans as _plans  # noqa: F401  (registration)
from reorg.cli import propose as _propose  # noqa: F401  (registration)
from reorg.cli import publish as _publish  # noqa: F401  (registration)
from reorg.cli import report as _report  # noqa: F401  (registration)
from reorg.cli import roadmap as _roadmap  # noqa: F401  (registration)
from reorg.cli import serve as _serve  # noqa: F401  (registration)
from reorg.cli import users as _users  # noqa: F401  (registration)
from reorg.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point. Files this process creates (the SQLite store and its journal, exports,
    workbooks, the demo's pages) are readable by their owner only: they may hold personnel data."""
    os.umask(0o077)
    app()
