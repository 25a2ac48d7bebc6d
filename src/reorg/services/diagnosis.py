"""Use case: diagnose a stored dataset (or a stored plan's result), optionally into a workbook."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reorg.diagnose import DiagnosisConfig, Report, diagnose
from reorg.progress import Progress
from reorg.report.findings import write_findings_xlsx
from reorg.services.memo import memo
from reorg.services.resolve import resolve
from reorg.store import UnitOfWork

__all__ = ["Diagnosed", "diagnose_dataset"]


@dataclasses.dataclass(frozen=True)
class Diagnosed:
    """The report of a dataset (name and version) and the workbook written, if any."""

    dataset: str
    version: int
    report: Report
    xlsx: Path | None


def diagnose_dataset(
    uow: UnitOfWork,
    *,
    name: str,
    config: DiagnosisConfig | None = None,
    xlsx: Path | None = None,
    progress: Progress | None = None,
) -> Diagnosed:
    """The ranked findings of dataset (or plan) ``name`` under ``config`` (the defaults when None);
    with ``xlsx``, the report is also written there as a workbook. The report under the default config
    is kept in the process's memo, like the apparatus it is computed from."""
    found = resolve(uow, name, progress=progress)
    if config is None:
        key = (uow.database.url, "diagnosis", found.name, found.version, found.created_at)
        report = memo.get(key, lambda: diagnose(found.apparatus, DiagnosisConfig(), progress=progress))
    else:
        report = diagnose(found.apparatus, config, progress=progress)
    if xlsx is not None:
        write_findings_xlsx(report, xlsx)
    return Diagnosed(found.name, found.version, report, xlsx)
