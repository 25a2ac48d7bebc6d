"""Duplicated and unclear responsibility: tasks led twice in a place, and tasks with no lead somewhere.

Both come from ``coverage.lead_coverage``: leads of different units over a common piece of territory are
a duplication; pieces no lead reaches are a gap. A task that has sub-tasks in the catalogue and no lead
anywhere is a heading, not a responsibility: it is neither reported nor counted. The summary indices are
the shares of (task, piece of territory) cells with more than one lead and with none.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, MEDIUM, SEVERITY_NAMES, name_list, task_label, unit_ids
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.coverage import LeadCoverage, lead_coverage, leaf_ranges
from reorg.diagnose.findings import Batch, Finding, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["responsibility"]

IntArray = npt.NDArray[np.int64]


def responsibility(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``multiple_leads`` and ``no_lead`` findings, and the duplication / unclear-responsibility indices."""
    cov = lead_coverage(app)
    parents = app.tasks.parent
    has_subtasks = np.bincount(parents[parents >= 0], minlength=cov.n_tasks) > 0
    heading = has_subtasks & (cov.covered == 0)
    judged = cov.n_tasks - int(heading.sum())
    cells = max(judged * cov.n_leaves, 1)
    dup_tasks = np.flatnonzero(cov.duplicated > 0)
    gap_tasks = np.flatnonzero((cov.covered < cov.n_leaves) & ~heading) if cov.n_leaves else dup_tasks[:0]
    summary: dict[str, object] = {
        "tasks": cov.n_tasks,
        "task_headings": cov.n_tasks - judged,
        "territory_pieces": cov.n_leaves,
        "tasks_with_multiple_leads": len(dup_tasks),
        "tasks_without_lead": int(np.count_nonzero(cov.covered[gap_tasks] == 0)),
        "tasks_with_gaps": int(np.count_nonzero(cov.covered[gap_tasks] > 0)),
        "duplication_index": round(float(cov.duplicated.sum()) / cells, 6),
        "unclear_responsibility_index": round(float((cov.n_leaves - cov.covered[~heading]).sum()) / cells, 6),
    }
    return [_multiple_leads(app, cov, dup_tasks, config), _no_lead(app, cov, gap_tasks, config)], summary


def _multiple_leads(app: Apparatus, cov: LeadCoverage, tasks: IntArray, config: DiagnosisConfig) -> Batch:
    share = cov.duplicated[tasks] / max(cov.n_leaves, 1)
    severity = np.full(len(tasks), HIGH, dtype=np.int8)
    chosen = select(severity, share, config.max_findings_per_kind)
    findings = []
    for i in chosen.tolist():
        t = int(tasks[i])
        outer, inner = cov.pairs(t)
        places = len(np.unique(outer))
        units = list(dict.fromkeys(np.stack([outer, inner], axis=1).ravel().tolist()))
        params: dict[str, str | int | float] = {
            "task": task_label(app, t),
            "leads": len(units),
            "places": places,
            "names": name_list(app, units),
            "share": float(share[i]),
        }
        findings.append(
            make_finding(
                "multiple_leads",
                "high",
                float(share[i]),
                units=unit_ids(app, units, config.max_ids_per_finding),
                tasks=(str(app.tasks.id[t]),),
                evidence={
                    "lead_units": len(units),
                    "places": places,
                    "duplicated_pieces": int(cov.duplicated[t]),
                    "territory_pieces": cov.n_leaves,
                    "duplicated_share": float(share[i]),
                },
                template="multiple_leads.one_place" if places == 1 else "multiple_leads.places",
                params=params,
            )
        )
    return batch("multiple_leads", severity, findings)


def _no_lead(app: Apparatus, cov: LeadCoverage, tasks: IntArray, config: DiagnosisConfig) -> Batch:
    uncovered = cov.n_leaves - cov.covered[tasks]
    share = uncovered / max(cov.n_leaves, 1)
    severity = np.where(share >= 0.5, HIGH, MEDIUM).astype(np.int8)
    chosen = select(severity, share, config.max_findings_per_kind)
    finder = _GapUnits(app)
    findings: list[Finding] = []
    for i in chosen.tolist():
        t = int(tasks[i])
        evidence = {
            "uncovered_pieces": int(uncovered[i]),
            "territory_pieces": cov.n_leaves,
            "uncovered_share": float(share[i]),
        }
        base: dict[str, str | int | float] = {
            "task": task_label(app, t),
            "uncovered": int(uncovered[i]),
            "leaves": cov.n_leaves,
        }
        if cov.covered[t] == 0:
            units: list[int] = []
            template, params = "no_lead.none", base
        else:
            units = finder.maximal(cov.gaps(t))
            template = "no_lead.gap"
            params = {**base, "share": float(share[i]), "names": name_list(app, units)}
            evidence["uncovered_units"] = len(units)
        findings.append(
            make_finding(
                "no_lead",
                SEVERITY_NAMES[severity[i]],
                float(share[i]),
                units=unit_ids(app, units, config.max_ids_per_finding),
                tasks=(str(app.tasks.id[t]),),
                evidence=evidence,
                template=template,
                params=params,
            )
        )
    return batch("no_lead", severity, findings)


class _GapUnits:
    """Names a set of uncovered leaf ranges by the largest territorial units that lie wholly inside."""

    def __init__(self, app: Apparatus) -> None:
        lo, hi = leaf_ranges(app)
        terr = np.flatnonzero(app.jurisdiction == np.arange(len(app.units)))
        terr = terr[hi[terr] > lo[terr]]
        tin = app.euler[0][terr]
        order = np.lexsort((tin, -hi[terr], lo[terr]))
        self.units = terr[order]
        self.lo = lo[self.units]
        self.hi = hi[self.units]

    def maximal(self, gaps: IntArray) -> list[int]:
        """Unit rows, in preorder, of the maximal territorial units inside the ``[lo, hi)`` gaps."""
        out: list[int] = []
        for a, b in gaps.tolist():
            first, last = np.searchsorted(self.lo, [a, b], side="left")
            lo, hi, units = self.lo[first:last], self.hi[first:last], self.units[first:last]
            inside = hi <= b
            lo, hi, units = lo[inside], hi[inside], units[inside]
            if len(units) == 0:
                continue
            reach = np.maximum.accumulate(hi)
            top = np.ones(len(units), dtype=bool)
            top[1:] = lo[1:] >= reach[:-1]
            out.extend(units[top].tolist())
        return out
