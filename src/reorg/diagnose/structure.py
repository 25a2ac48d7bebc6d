"""Layers and spans: branches deeper than the norm, intermediaries, spans of control too narrow or too wide.

Depth is counted in edges from the root. The norm is the configured ``depth_norm`` or the modal depth of
the leaves (ties: the deeper). A deep branch is reported once, at its ancestor on the norm's depth (the
unit that should have been a leaf). A chain of units that each have exactly one subordinate is one
intermediary finding; spans from 2 up to the level's narrow limit are narrow, above its wide limit wide.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, unit_ids, unit_label
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
    """``deep_branch``, ``intermediary``, ``narrow_span`` and ``wide_span`` findings; layers and spans."""
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
    batches = [
        _deep(app, config, span, norm),
        _intermediary(app, config, span),
        *_narrow_wide(app, config, span),
    ]
    return batches, summary


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


def _intermediary(app: Apparatus, config: DiagnosisConfig, span: IntArray) -> Batch:
    """One finding per maximal chain of units with a single subordinate each."""
    single = (span == 1) & (app.depth >= 0)
    parent = app.units.parent
    start, order = app.units.children
    child = np.full(len(span), -1, dtype=np.int64)
    child[single] = order[start[:-1][single]]
    heads = np.flatnonzero(single & ~np.where(parent >= 0, single[np.maximum(parent, 0)], False))
    chain_of, members = [], []
    cur, idx = heads, np.arange(len(heads))
    while len(cur):
        chain_of.append(idx)
        members.append(cur)
        nxt = child[cur]
        go = single[nxt]
        cur, idx = nxt[go], idx[go]
    chain = np.concatenate(chain_of) if chain_of else np.zeros(0, np.int64)
    unit = np.concatenate(members) if members else np.zeros(0, np.int64)
    links = np.bincount(chain, minlength=len(heads))
    severity = np.where(links >= 2, HIGH, MEDIUM).astype(np.int8)
    by_chain = np.argsort(chain, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(links)])
    findings = []
    for i in select(severity, links.astype(np.float64), config.max_findings_per_kind).tolist():
        rows = unit[by_chain[bounds[i] : bounds[i + 1]]]
        below = int(child[rows[-1]])
        params: dict[str, str | int | float] = {
            "name": unit_label(app, int(rows[0])),
            "child": unit_label(app, below),
            "links": int(links[i]),
            "names": " → ".join(unit_label(app, int(r)) for r in [*rows.tolist(), below]),
        }
        findings.append(
            make_finding(
                "intermediary",
                SEVERITY_NAMES[severity[i]],
                float(links[i]),
                units=unit_ids(app, rows, config.max_ids_per_finding),
                evidence={"links": int(links[i]), "span": 1},
                template="intermediary.one" if links[i] == 1 else "intermediary.chain",
                params=params,
            )
        )
    return batch("intermediary", severity, findings)


def _narrow_wide(app: Apparatus, config: DiagnosisConfig, span: IntArray) -> list[Batch]:
    """Spans outside their level's limits (span 1 is an intermediary, not a narrow span)."""
    limits = np.array([config.spans(str(name)) for name in app.levels.name.tolist()], dtype=np.int64)
    limits = limits.reshape(-1, 2)
    level = app.units.level
    narrow_limit, wide_limit = limits[level, 0], limits[level, 1]
    reachable = app.depth >= 0
    out = []
    for kind in ("narrow_span", "wide_span"):
        if kind == "narrow_span":
            rows = np.flatnonzero(reachable & (span >= 2) & (span < narrow_limit))
            limit = narrow_limit[rows]
            score = (limit - span[rows]) / limit
            severity = np.full(len(rows), LOW, dtype=np.int8)
        else:
            rows = np.flatnonzero(reachable & (span > wide_limit))
            limit = wide_limit[rows]
            score = span[rows] / limit
            severity = np.where(span[rows] > 2 * limit, MEDIUM, LOW).astype(np.int8)
        findings = []
        for i in select(severity, score, config.max_findings_per_kind).tolist():
            r = int(rows[i])
            findings.append(
                make_finding(
                    kind,
                    SEVERITY_NAMES[severity[i]],
                    float(score[i]),
                    units=(str(app.units.id[r]),),
                    evidence={"span": int(span[r]), "limit": int(limit[i])},
                    template=kind,
                    params={
                        "name": unit_label(app, r),
                        "level": str(app.levels.name[level[r]]),
                        "span": int(span[r]),
                        "limit": int(limit[i]),
                    },
                )
            )
        out.append(batch(kind, severity, findings))
    return out
