"""Use case of the web app's import page: a bundle uploaded as a .zip of its CSV folder or as an .xlsx
workbook, imported as a dataset in a background job (``reorg.services.jobs``).

The interface streams the upload into a private temporary folder of its own making and hands the
folder over: from then on this module owns it and deletes it when the job ends, or at once when the
import is refused before it is queued. A zip is unpacked by ``reorg.io.archive.unpack_bundle`` (unsafe
names, links, too many files or bytes, zip bombs refused); a workbook is checked by the reader
(``reorg.io.xlsx_rows.check_archive``). Every bad input is an InputError naming the file, row and
column, as on the command line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from reorg.errors import InputError
from reorg.io.archive import MAX_BYTES, unpack_bundle
from reorg.progress import Progress
from reorg.services import access, jobs
from reorg.services.datasets import import_bundle
from reorg.store import UnitOfWork, check_name

__all__ = ["KINDS", "start_import"]

#: the upload kinds an import accepts, by file name suffix
KINDS = (".zip", ".xlsx")


def _safe(filename: str) -> str:
    """The sent file name reduced to a harmless one (its errors name it), keeping its suffix."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename).stem)[:80].lstrip(".") or "bundle"
    return stem + Path(filename).suffix.lower()


def start_import(
    runner: jobs.JobRunner,
    *,
    viewer: access.Principal,
    actor: str,
    folder: Path,
    upload: Path,
    filename: str,
    name: str,
    max_bytes: int = MAX_BYTES,
) -> jobs.Job:
    """Queue the import of ``upload`` (in the temporary ``folder``, deleted after the job; sent as
    ``filename``) as the next version of dataset ``name``, for ``viewer`` (audited as ``actor``).
    A zip may unpack to at most ``max_bytes``."""

    def cleanup() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    try:
        access.require(viewer, "import")
        dataset = check_name(name.strip(), "dataset name")
        suffix = Path(filename).suffix.lower()
        if suffix not in KINDS:
            raise InputError(filename or "upload", "a .zip of a bundle's CSV files or an .xlsx workbook")
    except BaseException:
        cleanup()
        raise

    def work(uow: UnitOfWork, progress: Progress) -> dict[str, Any]:
        sent = upload.rename(folder / _safe(filename))  # errors name the file as it was sent
        bundle = unpack_bundle(sent, folder / "bundle", max_bytes=max_bytes) if suffix == ".zip" else sent
        record = import_bundle(uow, path=bundle, name=dataset, progress=progress)
        return {"dataset": record.name, "version": record.version, "counts": dict(record.counts)}

    return runner.submit(
        owner=viewer, actor=actor, kind="import", title=f"{filename} → {dataset}", work=work, cleanup=cleanup
    )
