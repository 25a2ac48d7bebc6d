"""Layers: branches deeper than the norm, and the summary of layers and spans.

Depth is counted in edges from the root. The norm is the configured ``depth_norm`` or the modal depth of
the leaves (ties: the deeper). A deep branch is reported once, at its ancestor on the norm's depth (the
unit that should have been a leaf). Spans of control are judged in ``spans``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, MEDIUM, SEVERITY_NAMES, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["depth_norm", "structure"]

IntArray = npt.NDArray[np.int64]

_SPAN_BINS = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 15), (16, 30), (31, None))


def _spans(app: Apparatus) -> IntArray:
    """Direct subordinates per unit."""
    parent = app.units.parent
    return np.bincount(parent[parent >= 0], minlength=len(app.units)).astype(np.int64)


def depth_norm(app: Apparatus, config: DiagnosisConfig) -> int:
    """The configured norm, else the modal depth of the leaves (the deeper on a tie; 0 when empty)."""
    if config.depth_norm is not None:
        return config.depth_norm
    depth = app.depth
    leaves = (_spans(app) == 0) & (depth >= 0)
    counts = np.bincount(depth[leaves]) if leaves.any() else np.zeros(1, np.int64)
    return int(len(counts) - 1 - np.argmax(counts[::-1]))


def structure(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``deep_branch`` findings; layers and the distribution of spans (all direct subordinates)."""
    span = _spans(app)
    norm = depth_norm(app, config)
    reachable = app.depth >= 0
    managers = span[(span > 0) & reachable]
    hist = {}
    for lo, hi in _SPAN_BINS:
        sel = managers >= lo if hi is None else (managers >= lo) & (managers <= hi)
        hist[f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}")] = int(sel.sum())
    summary: dict[str, object] = {
        "layers": int(app.depth.max()) + 1 if len(app.depth) else 0,
        "depth_norm": norm,
        "spans": {
            "managers": len(managers),
            "median": float(np.median(managers)) if len(managers) else 0.0,
            "mean": round(float(managers.mean()), 3) if len(managers) else 0.0,
            "max": int(managers.max()) if len(managers) else 0,
            "histogram": hist,
        },
    }
    return [_deep(app, config, span, norm)], summary


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
