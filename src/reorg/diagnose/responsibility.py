"""Duplicated and unclear responsibility: tasks led twice in a place, and tasks with no lead somewhere.

Both are views of ``reorg.plan.leads.task_leads``, the facts behind the ``one_lead`` and ``coverage``
invariants: every task that breaks ``one_lead`` is a ``multiple_leads`` finding and every task that
breaks ``coverage`` a ``no_lead`` finding, and nothing else is. Lead duties over a common piece of
territory are a duplication (high severity; low when they are all one unit's, leading a place and a
part of it again: a redundant duty rather than two responsible units); pieces no lead reaches are a
gap. A task that has sub-tasks in the catalogue and no lead duty is a heading, not a responsibility:
it is neither reported nor counted. The summary indices are the shares of (task, piece of territory)
cells with more than one lead and with none.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, name_list, task_label, unit_ids
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, batch, make_finding, select
from reorg.diagnose.summary import ResponsibilitySummary
from reorg.model import Apparatus
from reorg.plan.leads import TaskLeads, leaf_ranges, task_leads

__all__ = ["responsibility"]

IntArray = npt.NDArray[np.int64]


def responsibility(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], ResponsibilitySummary]:
    """``multiple_leads`` and ``no_lead`` findings, and the duplication / unclear-responsibility indices."""
    facts = task_leads(app)
    judged = ~facts.heading
    cells = max(int(judged.sum()) * facts.n_leaves, 1)
    dup_tasks = facts.duplicated_tasks
    unclear, gaps = facts.unclear_tasks, facts.gap_tasks
    summary = ResponsibilitySummary(
        tasks=facts.n_tasks,
        task_headings=int(facts.heading.sum()),
        territory_pieces=facts.n_leaves,
        tasks_with_multiple_leads=len(dup_tasks),
        tasks_without_lead=len(unclear),
        tasks_with_gaps=len(gaps),
        duplication_index=round(float(facts.duplicated.sum()) / cells, 6),
        unclear_responsibility_index=round(float((facts.n_leaves - facts.covered[judged]).sum()) / cells, 6),
    )
    no_lead = np.sort(np.concatenate([unclear, gaps]))
    return [_multiple_leads(app, facts, dup_tasks, config), _no_lead(app, facts, no_lead, config)], summary


def _multiple_leads(app: Apparatus, facts: TaskLeads, tasks: IntArray, config: DiagnosisConfig) -> Batch:
    share = facts.duplicated[tasks] / max(facts.n_leaves, 1)
    pairs = [facts.pairs(int(t)) for t in tasks.tolist()]
    one_unit = np.array(
        [bool(np.all(facts.pair_outer[at] == facts.pair_inner[at])) for at in pairs], dtype=bool
    )
    severity = np.where(one_unit, LOW, HIGH).astype(np.int8)
    chosen = select(severity, share, config.max_findings_per_kind)
    findings = []
    for i in chosen.tolist():
        t, at = int(tasks[i]), pairs[i]
        outer, inner = facts.pair_outer[at], facts.pair_inner[at]
        places = len(np.unique(facts.pair_outer_scope[at]))
        units = list(dict.fromkeys(np.stack([outer, inner], axis=1).ravel().tolist()))
        params: dict[str, str | int | float] = {
            "task": task_label(app, t),
            "leads": len(units),
            "places": places,
            "names": name_list(app, units),
            "share": float(share[i]),
        }
        if one_unit[i]:
            template = "multiple_leads.same_unit"
        else:
            template = "multiple_leads.one_place" if places == 1 else "multiple_leads.places"
        findings.append(
            make_finding(
                "multiple_leads",
                SEVERITY_NAMES[severity[i]],
                float(share[i]),
                units=unit_ids(app, units, config.max_ids_per_finding),
                tasks=(str(app.tasks.id[t]),),
                evidence={
                    "lead_units": len(units),
                    "places": places,
                    "duplicated_pieces": int(facts.duplicated[t]),
                    "territory_pieces": facts.n_leaves,
                    "duplicated_share": float(share[i]),
                },
                template=template,
                params=params,
            )
        )
    return batch("multiple_leads", severity, findings)


def _no_lead(app: Apparatus, facts: TaskLeads, tasks: IntArray, config: DiagnosisConfig) -> Batch:
    n = facts.n_leaves
    uncovered = np.where(facts.led[tasks], n - facts.covered[tasks], n)
    share = np.where(n > 0, uncovered / max(n, 1), 1.0)
    severity = np.where(share >= 0.5, HIGH, MEDIUM).astype(np.int8)
    chosen = select(severity, share, config.max_findings_per_kind)
    finder = _GapUnits(app)
    findings: list[Finding] = []
    for i in chosen.tolist():
        t = int(tasks[i])
        evidence = {
            "uncovered_pieces": int(uncovered[i]),
            "territory_pieces": n,
            "uncovered_share": float(share[i]),
        }
        base: dict[str, str | int | float] = {
            "task": task_label(app, t),
            "uncovered": int(uncovered[i]),
            "leaves": n,
        }
        if not facts.led[t]:
            units: list[int] = []
            template, params = "no_lead.none", base
        else:
            units = finder.maximal(facts.gaps(t))
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
