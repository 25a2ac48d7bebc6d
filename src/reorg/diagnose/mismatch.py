"""Decentralisation mismatches: tasks led at another level than the tasks most like them.

Tasks are alike when they share a field (tasks.csv ``field``; for a task without a field, its parent
task) and a reach: national tasks (led by a unit acting for the whole territory) are compared with
national tasks, local ones with local ones, so that a field's policy tasks at a ministry and its local
tasks in the provinces are not held against each other. A task's level is the level whose leads cover
the most territory (the higher level on a tie: a task led by a province and by its districts is a
provincial task); a group's level is the level of most of its led tasks. A task is a mismatch when its
group has at least ``mismatch_min_tasks`` led tasks, at least ``mismatch_min_share`` of them at the
group's level, and the task is led elsewhere. Severity: medium when at least 80 % of the group agree,
else low.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import LOW, MEDIUM, SEVERITY_NAMES, task_label, unit_ids
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import GROUP_WORDS, Batch, batch, make_finding, select
from reorg.diagnose.summary import MismatchSummary
from reorg.model import Apparatus
from reorg.plan.leads import lead_ranges
from reorg.text import Phrase

__all__ = ["level_mismatch"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _task_levels(app: Apparatus) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Per task its level (-1 when it has no lead covering any territory) and whether it is national."""
    ranges = lead_ranges(app)
    n_tasks, n_levels = len(app.tasks), len(app.levels)
    task = app.duties.task[ranges.duty].astype(np.int64)
    key = task * n_levels + app.units.level[app.duties.unit[ranges.duty]]
    width = (ranges.hi - ranges.lo).astype(np.float64)
    size = n_tasks * n_levels
    cover = np.bincount(key, weights=width, minlength=size).reshape(n_tasks, n_levels)
    whole = np.bincount(key, weights=width == ranges.n_leaves, minlength=size).reshape(n_tasks, n_levels)
    top_first = np.argsort(app.levels.rank, kind="stable")
    best = top_first[np.argmax(cover[:, top_first], axis=1)] if n_levels else np.zeros(n_tasks, np.int64)
    led = cover.max(axis=1, initial=0) > 0
    national = whole[np.arange(n_tasks), best] > 0 if n_levels else np.zeros(n_tasks, bool)
    return np.where(led, best, -1).astype(np.int64), national & led


def _groups(app: Apparatus, national: npt.NDArray[np.bool_]) -> tuple[IntArray, list[str]]:
    """Per task its group index (-1 = none) and each group's label (``GROUP_WORDS``): field (else
    parent task) and reach."""
    field, parent, ids = app.tasks.field.tolist(), app.tasks.parent.tolist(), app.tasks.id
    labels = np.empty(len(field), dtype=object)
    phrases: dict[str, Phrase] = {}
    for t, (f, p) in enumerate(zip(field, parent, strict=True)):
        reach = "national" if national[t] else "local"
        if f or p >= 0:
            key = f"group.{reach}.{'field' if f else 'task'}"
            params = {"name": f if f else str(ids[p])}
            label = GROUP_WORDS[key].format(**params)
            phrases.setdefault(label, Phrase(label, key, params))
            labels[t] = label
        else:
            labels[t] = ""
    if len(labels) == 0:
        return np.zeros(0, np.int64), []
    names, group = np.unique(labels.astype(str), return_inverse=True)
    group = group.astype(np.int64)
    if names[0] == "":
        group -= 1
        names = names[1:]
    return group, [phrases[str(x)] for x in names]


def _modal_levels(
    app: Apparatus, task_level: IntArray, group: IntArray, n_groups: int
) -> tuple[IntArray, FloatArray, IntArray]:
    """Per group: the number of led tasks, the share of them at the modal level, and that level."""
    n_levels = len(app.levels)
    ok = (task_level >= 0) & (group >= 0)
    g_key = group[ok] * n_levels + task_level[ok]
    g_counts = np.bincount(g_key, minlength=n_groups * n_levels).reshape(n_groups, n_levels)
    g_led = g_counts.sum(axis=1)
    g_share = g_counts.max(axis=1, initial=0) / np.maximum(g_led, 1)
    return g_led, g_share, g_counts.argmax(axis=1)


def level_mismatch(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], MismatchSummary]:
    """``level_mismatch`` findings."""
    task_level, national = _task_levels(app)
    group, names = _groups(app, national)
    if not names:
        return [batch("level_mismatch", np.zeros(0, np.int8), [])], MismatchSummary(0)
    g_led, g_share, g_level = _modal_levels(app, task_level, group, len(names))
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
    return [batch("level_mismatch", severity, findings)], MismatchSummary(int(firm.sum()))
