"""``diagnose(apparatus, config) -> Report``: run every check and assemble the ranked report."""

from __future__ import annotations

from collections.abc import Callable

from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import KINDS, SEVERITIES, Batch, Report, rank
from reorg.diagnose.mismatch import level_mismatch
from reorg.diagnose.overlap import overlap
from reorg.diagnose.responsibility import responsibility
from reorg.diagnose.spans import spans
from reorg.diagnose.staffing import idle, staffing
from reorg.diagnose.standards import quota, standards
from reorg.diagnose.structure import structure
from reorg.diagnose.summary import Part, Summary
from reorg.model import Apparatus
from reorg.progress import Progress, report

__all__ = ["FAMILIES", "diagnose"]

Check = Callable[[Apparatus, DiagnosisConfig], tuple[list[Batch], Part | None]]

#: The checks in the order they run, by family name (the progress stage names).
FAMILIES: tuple[tuple[str, Check], ...] = (
    ("responsibility", responsibility),
    ("overlap", overlap),
    ("structure", structure),
    ("spans", spans),
    ("standards", standards),
    ("quota", quota),
    ("staffing", staffing),
    ("idle", idle),
    ("level_mismatch", level_mismatch),
)


def diagnose(
    app: Apparatus, config: DiagnosisConfig | None = None, *, progress: Progress | None = None
) -> Report:
    """Find what makes ``app`` cumbersome: ranked findings and summary metrics (see docs/diagnosis.md).

    ``progress`` is called before each family of checks with the stage name ``diagnose: <family>``.
    """
    config = config or DiagnosisConfig()
    batches: list[Batch] = []
    parts: list[Part] = []
    for k, (name, check) in enumerate(FAMILIES):
        report(progress, k, len(FAMILIES), f"diagnose: {name}")
        found, part = check(app, config)
        batches.extend(found)
        if part is not None:
            parts.append(part)
    report(progress, len(FAMILIES), len(FAMILIES), "diagnose: done")
    by_kind = {b.kind: b for b in batches}
    counts = {kind: by_kind[kind].total for kind in KINDS}
    by_severity: dict[str, int] = {s: sum(b.counts[s] for b in batches) for s in SEVERITIES}
    findings = rank([f for b in batches for f in b.findings])
    summary = Summary(
        dataset=app.info.name,
        units=len(app.units),
        tasks=len(app.tasks),
        duties=len(app.duties),
        people=len(app.people),
        units_per_level=app.units_per_level(),
        parts=tuple(parts),
        findings=counts,
        findings_by_severity=by_severity,
        findings_reported=len(findings),
    )
    return Report(summary=summary, findings=findings)
