"""``diagnose(apparatus, config) -> Report``: run every check and assemble the ranked report."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import KINDS, SEVERITIES, Batch, Report, rank
from reorg.diagnose.mismatch import level_mismatch
from reorg.diagnose.overlap import overlap
from reorg.diagnose.responsibility import responsibility
from reorg.diagnose.spans import spans
from reorg.diagnose.staffing import idle, staffing
from reorg.diagnose.standards import quota, standards
from reorg.diagnose.structure import structure
from reorg.model import Apparatus
from reorg.progress import Progress, report

__all__ = ["FAMILIES", "diagnose"]

Check = Callable[[Apparatus, DiagnosisConfig], tuple[list[Batch], dict[str, object]]]

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
    parts: dict[str, object] = {}
    for k, (name, check) in enumerate(FAMILIES):
        report(progress, k, len(FAMILIES), f"diagnose: {name}")
        found, part = check(app, config)
        batches.extend(found)
        parts.update(part)
    report(progress, len(FAMILIES), len(FAMILIES), "diagnose: done")
    by_kind = {b.kind: b for b in batches}
    counts = {kind: by_kind[kind].total for kind in KINDS}
    by_severity = {s: sum(b.counts[s] for b in batches) for s in SEVERITIES}
    findings = rank([f for b in batches for f in b.findings])
    summary: dict[str, object] = {
        "dataset": app.info.name,
        "units": len(app.units),
        "tasks": len(app.tasks),
        "duties": len(app.duties),
        "people": len(app.people),
        "units_per_level": app.units_per_level(),
        **parts,
        "findings": counts,
        "findings_by_severity": by_severity,
        "findings_reported": len(findings),
    }
    return Report(summary=_clean(summary), findings=findings)


def _clean(summary: Mapping[str, object]) -> dict[str, object]:
    """The summary with JSON-safe plain values: nested mappings as dicts, numpy numbers as int or
    float, NaN and infinities as None."""
    return {str(k): _plain(v) for k, v in summary.items()}


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return _clean(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value
