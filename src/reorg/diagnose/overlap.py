"""Units whose task portfolios overlap, among units whose jurisdictions overlap.

Two units are compared only when they act for the same place or one's place contains the other's:
every commune leading civil registration for its own commune is no overlap. The shared tasks, the
Jaccard similarity and the containment of their portfolios (tasks held as lead or support) are the
rule of ``reorg.plan.similarity`` (also read by the merge optimizer), counted sparsely. A pair is
similar when it shares at least ``overlap_min_shared`` tasks and either its Jaccard similarity reaches
``overlap_threshold`` or its containment (shared / the smaller portfolio) reaches
``overlap_containment`` — the latter only for two units of one level acting for the same place: a unit
most of whose work another unit beside it also does is found even when the other is much larger, while
a provincial department holding tasks its ministry supports nationwide (a hierarchy, not a duplicate) is
not. A pair's *similarity* is the larger of the measures that apply to it.

Similar pairs are then joined into groups (connected components), one finding per group.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.diagnose.common import HIGH, MEDIUM, SEVERITY_NAMES, name_list, task_ids, unit_ids
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, batch, make_finding, select
from reorg.diagnose.summary import OverlapSummary
from reorg.model import Apparatus
from reorg.plan.similarity import shared_tasks

__all__ = ["SimilarPairs", "overlap", "similar_pairs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True, eq=False)
class SimilarPairs:
    """Pairs of units (rows ``u``, ``v``) with overlapping jurisdictions and similar portfolios:
    ``shared`` non-generic tasks in common, ``jaccard``, ``containment`` (shared / the smaller
    portfolio) and ``similarity`` (the larger of the two); ``generic_places`` counts the (task, place)
    groups left out as generic, ``incidences`` the (pair, shared task) incidences counted."""

    u: IntArray
    v: IntArray
    shared: IntArray
    jaccard: FloatArray
    containment: FloatArray
    similarity: FloatArray
    generic_places: int
    incidences: int


def similar_pairs(app: Apparatus, config: DiagnosisConfig) -> SimilarPairs:
    """The similar pairs (see the module docstring)."""
    pairs = shared_tasks(app, max_holders=config.overlap_max_holders, min_shared=config.overlap_min_shared)
    jaccard = pairs.jaccard
    beside = (app.units.level[pairs.u] == app.units.level[pairs.v]) & (
        app.jurisdiction[pairs.u] == app.jurisdiction[pairs.v]
    )
    containment = np.where(beside, pairs.containment, 0.0)
    keep = (jaccard >= config.overlap_threshold) | (containment >= config.overlap_containment)
    similarity = np.maximum(jaccard, containment)
    return SimilarPairs(
        pairs.u[keep],
        pairs.v[keep],
        pairs.shared[keep],
        jaccard[keep],
        containment[keep],
        similarity[keep],
        pairs.generic_places,
        pairs.incidences,
    )


def overlap(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], OverlapSummary]:
    """``overlap`` findings (one per group of similar units) and their summary figures."""
    pairs = similar_pairs(app, config)
    nodes = np.unique(np.concatenate([pairs.u, pairs.v]))
    a, b = np.searchsorted(nodes, pairs.u), np.searchsorted(nodes, pairs.v)
    graph = sp.csr_array((np.ones(len(a), np.int8), (a, b)), shape=(len(nodes), len(nodes)))
    n_groups, label = connected_components(graph, directed=False) if len(nodes) else (0, np.zeros(0, int))
    pair_group = label[a] if len(a) else np.zeros(0, np.int64)
    level = app.units.level
    same_level = level[pairs.u] == level[pairs.v]
    max_sim = np.full(n_groups, 0.0)
    np.maximum.at(max_sim, pair_group, pairs.similarity)
    severity = np.where(max_sim >= config.overlap_high, HIGH, MEDIUM).astype(np.int8)
    chosen = select(severity, max_sim, config.max_findings_per_kind)
    findings = [
        _group_finding(app, config, nodes[label == g], pairs, pair_group == g, int(severity[g]))
        for g in chosen.tolist()
    ]
    summary = OverlapSummary(
        overlap_pairs=len(pairs.u),
        overlap_same_level_pairs=int(same_level.sum()),
        overlap_cross_level_pairs=int((~same_level).sum()),
        overlap_groups=int(n_groups),
        overlap_generic_places=int(pairs.generic_places),
    )
    return [batch("overlap", severity, findings)], summary


def _group_finding(
    app: Apparatus,
    config: DiagnosisConfig,
    members: IntArray,
    pairs: SimilarPairs,
    sel: npt.NDArray[np.bool_],
    severity: int,
) -> Finding:
    """The finding of one group of similar units."""
    order = np.argsort(app.euler[0][members], kind="stable")
    members = members[order]
    rows = app.duty_matrix[members]
    held = np.bincount(rows.indices, minlength=len(app.tasks))
    shared_tasks = np.flatnonzero(held >= 2)
    shared_tasks = shared_tasks[np.argsort(-held[shared_tasks], kind="stable")]
    sim = pairs.similarity[sel]
    same = app.units.level[pairs.u[sel]] == app.units.level[pairs.v[sel]]
    levels = list(dict.fromkeys(str(app.levels.name[app.units.level[m]]) for m in members.tolist()))
    params: dict[str, str | int | float] = {
        "names": name_list(app, members),
        "count": len(members),
        "level": " / ".join(levels),
        "shared": len(shared_tasks),
        "pairs": int(sel.sum()),
        "similarity": float(sim.max()),
    }
    if len(members) > 2:
        template = "overlap.group"
    else:
        template = "overlap.pair.same_level" if bool(same.all()) else "overlap.pair.cross_level"
    return make_finding(
        "overlap",
        SEVERITY_NAMES[severity],
        float(sim.max()),
        units=unit_ids(app, members, config.max_ids_per_finding),
        tasks=task_ids(app, shared_tasks, config.max_ids_per_finding),
        evidence={
            "units": len(members),
            "pairs": int(sel.sum()),
            "same_level_pairs": int(same.sum()),
            "cross_level_pairs": int((~same).sum()),
            "shared_tasks": len(shared_tasks),
            "max_similarity": float(sim.max()),
            "mean_similarity": float(sim.mean()),
            "max_jaccard": float(pairs.jaccard[sel].max()),
            "max_containment": float(pairs.containment[sel].max()),
        },
        template=template,
        params=params,
    )
