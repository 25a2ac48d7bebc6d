"""Layers: a unit tree that is not one tree, branches deeper than the norm, and the summary of layers
and spans.

``broken_tree`` findings are the view of the ``tree`` invariant's facts (``reorg.plan.rules``): one
for the roots when there is not exactly one, one per parent cycle, one per unit under a parent whose
level is not ranked above it; all high severity.

Depth is counted in edges from the root. The norm is the configured ``depth_norm`` or the modal depth of
the leaves (ties: the deeper). A deep branch is reported once, at its ancestor on the norm's depth (the
unit that should have been a leaf). Spans of control are judged in ``spans``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, MEDIUM, SEVERITY_NAMES, name_list, unit_ids, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, batch, make_finding, select
from reorg.diagnose.spans import subordinates
from reorg.diagnose.summary import LayersSummary, SpanDistribution
from reorg.model import Apparatus
from reorg.model.groups import child_counts
from reorg.plan.rules import tree_facts

__all__ = ["depth_norm", "structure"]

IntArray = npt.NDArray[np.int64]

_SPAN_BINS = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 15), (16, 30), (31, None))


def _spans(app: Apparatus) -> IntArray:
    """Direct children per unit (attached ones too: they make the tree's depth and its leaves)."""
    return child_counts(app.units.parent)


def depth_norm(app: Apparatus, config: DiagnosisConfig) -> int:
    """The configured norm, else the modal depth of the leaves (the deeper on a tie; 0 when empty)."""
    if config.depth_norm is not None:
        return config.depth_norm
    depth = app.depth
    leaves = (_spans(app) == 0) & (depth >= 0)
    counts = np.bincount(depth[leaves]) if leaves.any() else np.zeros(1, np.int64)
    return int(len(counts) - 1 - np.argmax(counts[::-1]))


def structure(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], LayersSummary]:
    """``deep_branch`` findings; layers and the distribution of spans of control (the direct
    subordinates ``spans.subordinates`` counts: territorial units and agencies, not attached units)."""
    span = _spans(app)
    norm = depth_norm(app, config)
    reachable = app.depth >= 0
    terr, agency = subordinates(app)
    control = terr + agency
    managers = control[(control > 0) & reachable]
    hist = {}
    for lo, hi in _SPAN_BINS:
        sel = managers >= lo if hi is None else (managers >= lo) & (managers <= hi)
        hist[f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}")] = int(sel.sum())
    summary = LayersSummary(
        layers=int(app.depth.max()) + 1 if len(app.depth) else 0,
        depth_norm=norm,
        spans=SpanDistribution(
            managers=len(managers),
            median=float(np.median(managers)) if len(managers) else 0.0,
            mean=round(float(managers.mean()), 3) if len(managers) else 0.0,
            max=int(managers.max()) if len(managers) else 0,
            histogram=hist,
        ),
    )
    return [_broken(app, config), _deep(app, config, span, norm)], summary


def _broken(app: Apparatus, config: DiagnosisConfig) -> Batch:
    facts = tree_facts(app)
    findings: list[Finding] = []
    if len(facts.roots) != 1:
        roots = facts.roots.tolist()
        findings.append(
            make_finding(
                "broken_tree",
                "high",
                float(len(roots)),
                units=unit_ids(app, roots, config.max_ids_per_finding),
                evidence={"roots": len(roots)},
                template="broken_tree.roots" if roots else "broken_tree.no_root",
                params={"count": len(roots), "names": name_list(app, roots)},
            )
        )
    for ring in facts.cycles:
        findings.append(
            make_finding(
                "broken_tree",
                "high",
                float(len(ring)),
                units=unit_ids(app, ring, config.max_ids_per_finding),
                evidence={"units_on_cycle": len(ring)},
                template="broken_tree.cycle",
                params={"count": len(ring), "names": name_list(app, ring)},
            )
        )
    levels = app.levels.name[app.units.level]
    for c, p in zip(facts.misranked.tolist(), facts.misranked_parent.tolist(), strict=True):
        findings.append(
            make_finding(
                "broken_tree",
                "high",
                1.0,
                units=(str(app.units.id[c]), str(app.units.id[p])),
                evidence={},
                template="broken_tree.rank",
                params={
                    "name": unit_label(app, c),
                    "level": str(levels[c]),
                    "parent": unit_label(app, p),
                    "parent_level": str(levels[p]),
                },
            )
        )
    severity = np.full(len(findings), HIGH, dtype=np.int8)
    chosen = select(severity, np.array([f.score for f in findings]), config.max_findings_per_kind)
    return batch("broken_tree", severity, [findings[i] for i in sorted(chosen.tolist())])


def _deep(app: Apparatus, config: DiagnosisConfig, span: IntArray, norm: int) -> Batch:
    depth = app.depth.astype(np.int64)
    deep = np.flatnonzero((span == 0) & (depth > norm))
    anchor = deep.copy()
    climb = depth[deep] - norm
    parent = app.units.parent
    while (climb > 0).any():
        up = climb > 0
        anchor[up] = parent[anchor[up]]
        climb[up] -= 1
    anchors, inverse = np.unique(anchor, return_inverse=True)
    max_depth = np.zeros(len(anchors), np.int64)
    np.maximum.at(max_depth, inverse, depth[deep])
    tin, tout = app.euler
    below = (tout[anchors] - tin[anchors] - 1).astype(np.int64)
    excess = max_depth - norm
    severity = np.where(excess >= 2, HIGH, MEDIUM).astype(np.int8)
    score = excess + below / max(len(app.units), 1)
    findings: list[Finding] = []
    for i in select(severity, score, config.max_findings_per_kind).tolist():
        a = int(anchors[i])
        deeper = _deeper(app, a, norm)
        findings.append(
            make_finding(
                "deep_branch",
                SEVERITY_NAMES[severity[i]],
                float(score[i]),
                units=(str(app.units.id[a]),),
                evidence={
                    "depth": int(max_depth[i]),
                    "norm": norm,
                    "excess": int(excess[i]),
                    "deeper_units": deeper,
                },
                template="deep_branch",
                params={
                    "name": unit_label(app, a),
                    "depth": int(max_depth[i]),
                    "excess": int(excess[i]),
                    "norm": norm,
                    "deep": deeper,
                },
            )
        )
    return batch("deep_branch", severity, findings)


def _deeper(app: Apparatus, anchor: int, norm: int) -> int:
    """Units in the subtree of ``anchor`` deeper than the norm."""
    tin, tout = app.euler
    sub = app.preorder[tin[anchor] : tout[anchor]]
    return int(np.count_nonzero(app.depth[sub] > norm))
