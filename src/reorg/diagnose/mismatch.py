"""Decentralisation mismatches: tasks led at another level than the tasks most like them.

Tasks are alike when they share a field (tasks.csv ``field``), or, for tasks without a field, a parent
task. A task's level is the level of most of its lead units; a group's level is the level of most of
its led tasks. A task is a mismatch when its group has at least ``mismatch_min_tasks`` led tasks, at
least ``mismatch_min_share`` of them are led at the group's level, and the task is led elsewhere.
Severity: medium when at least 80 % of the group agree, else low.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import LOW, MEDIUM, SEVERITY_NAMES, task_label, unit_ids
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["level_mismatch"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _groups(app: Apparatus) -> tuple[IntArray, list[str]]:
    """Per task its group index (-1 = none) and each group's label."""
    field = app.tasks.field
    parent = app.tasks.parent
    labels = np.empty(len(field), dtype=object)
    for t, (f, p) in enumerate(zip(field.tolist(), parent.tolist(), strict=True)):
        labels[t] = f"field {f}" if f else (f"task {app.tasks.id[p]}" if p >= 0 else "")
    names, group = (
        np.unique(labels.astype(str), return_inverse=True) if len(labels) else (np.zeros(0), np.zeros(0, int))
    )
    group = group.astype(np.int64)
    if len(names) and names[0] == "":
        group -= 1
        names = names[1:]
    return group, [str(x) for x in names]


def _modal_levels(
    app: Apparatus, group: IntArray, n_groups: int
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Per task its modal lead level (-1 when not led); per group the number of led tasks, the modal
    level among them and the share of the group's led tasks at that level."""
    n_tasks, n_levels = len(app.tasks), len(app.levels)
    lead = app.lead_matrix.tocoo()
    unit_level = app.units.level.astype(np.int64)
    key = lead.col.astype(np.int64) * n_levels + unit_level[lead.row]
    counts = np.bincount(key, minlength=n_tasks * n_levels).reshape(n_tasks, n_levels)
    task_level = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
    ok = (task_level >= 0) & (group >= 0)
    g_key = group[ok] * n_levels + task_level[ok]
    g_counts = np.bincount(g_key, minlength=n_groups * n_levels).reshape(n_groups, n_levels)
    g_led = g_counts.sum(axis=1)
    g_share = g_counts.max(axis=1, initial=0) / np.maximum(g_led, 1)
    return task_level, g_led, g_share, g_counts.argmax(axis=1)


def level_mismatch(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``level_mismatch`` findings."""
    group, names = _groups(app)
    if not names:
        return [batch("level_mismatch", np.zeros(0, np.int8), [])], {"task_groups_compared": 0}
    task_level, g_led, g_share, g_level = _modal_levels(app, group, len(names))
    firm = (g_led >= config.mismatch_min_tasks) & (g_share >= config.mismatch_min_share)
    gi = np.maximum(group, 0)
    rows = np.flatnonzero((task_level >= 0) & (group >= 0) & firm[gi] & (task_level != g_level[gi]))
    gr = group[rows]
    share = g_share[gr]
    rank = app.levels.rank.astype(np.int64)
    gap = rank[task_level[rows]] - rank[g_level[gr]]
    severity = np.where(share >= 0.8, MEDIUM, LOW).astype(np.int8)
    score = share * np.maximum(np.abs(gap), 1)
    findings = []
    csc = app.lead_matrix.tocsc()
    for i in select(severity, score, config.max_findings_per_kind).tolist():
        t, g = int(rows[i]), int(gr[i])
        leads = csc.indices[csc.indptr[t] : csc.indptr[t + 1]]
        direction = "higher" if gap[i] < 0 else ("lower" if gap[i] > 0 else "other")
        findings.append(
            make_finding(
                "level_mismatch",
                SEVERITY_NAMES[severity[i]],
                float(score[i]),
                units=unit_ids(app, np.sort(leads), config.max_ids_per_finding),
                tasks=(str(app.tasks.id[t]),),
                evidence={
                    "group_tasks": int(g_led[g]),
                    "group_share": float(share[i]),
                    "task_level_rank": int(rank[task_level[t]]),
                    "group_level_rank": int(rank[g_level[g]]),
                    "lead_units": len(leads),
                },
                template=f"level_mismatch.{direction}",
                params={
                    "task": task_label(app, t),
                    "task_level": str(app.levels.name[task_level[t]]),
                    "group_level": str(app.levels.name[g_level[g]]),
                    "share": float(share[i]),
                    "count": int(g_led[g]),
                    "group": names[g],
                },
            )
        )
    return [batch("level_mismatch", severity, findings)], {"task_groups_compared": int(firm.sum())}
