"""Units whose task portfolios overlap, among units whose jurisdictions overlap.

Two units are compared only when they act for the same place or one's place contains the other's:
every commune leading civil registration for its own commune is no overlap. The comparison is the
Jaccard similarity of their portfolios (tasks held as lead or support) in the sparse units x tasks duty
matrix, computed without ever forming a units x units product:

1. Duties are grouped by (task, jurisdiction). A group with more than ``overlap_max_holders`` units is
   generic in that place (every unit of a province doing "internal administration") and is left out.
2. Each shared task of a pair is enumerated once, from one *owner* unit: from the deeper unit, against
   the holders of the task in each strictly enclosing jurisdiction (a handful of tree levels); and within
   one jurisdiction from the unit with the smaller row. Each is a contiguous slice of the duties sorted
   by (task, jurisdiction, unit), so enumeration is array slicing.
3. Owners are processed in blocks of bounded size; per block the (owner, partner) keys are sorted and
   counted, which gives each pair's number of shared tasks, and only pairs with at least
   ``overlap_min_shared`` shared tasks and similarity ``overlap_threshold`` survive.

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

__all__ = ["SimilarPairs", "overlap", "similar_pairs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: (owner, partner) incidences handled at once; bounds the memory of step 3 (~16 bytes each, x a few).
BLOCK = 4_000_000


@dataclasses.dataclass(frozen=True, eq=False)
class SimilarPairs:
    """Pairs of units (rows ``u``, ``v``) with overlapping jurisdictions and similar portfolios:
    ``shared`` non-generic tasks in common and Jaccard ``similarity``; ``generic_places`` counts the
    (task, place) groups left out as generic, ``incidences`` the (pair, shared task) incidences counted."""

    u: IntArray
    v: IntArray
    shared: IntArray
    similarity: FloatArray
    generic_places: int
    incidences: int


def _sorted_duties(app: Apparatus, cap: int) -> tuple[IntArray, IntArray, IntArray, IntArray, int]:
    """Non-generic duties sorted by (task, jurisdiction, unit): keys ``task * n_units + jurisdiction``,
    units, group starts and sizes; plus the number of generic groups dropped."""
    m = app.duty_matrix
    n_units = len(app.units)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), np.diff(m.indptr))
    jur = app.jurisdiction[unit].astype(np.int64)
    ok = jur >= 0
    unit, jur = unit[ok], jur[ok]
    key = m.indices.astype(np.int64)[ok] * n_units + jur
    order = np.lexsort((unit, key))
    key, unit = key[order], unit[order]
    start, size = _runs(key)
    generic = size > cap
    if generic.any():
        keep = ~np.repeat(generic, size)
        key, unit = key[keep], unit[keep]
        start, size = _runs(key)
    return key, unit, start, size, int(generic.sum())


def _runs(sorted_keys: IntArray) -> tuple[IntArray, IntArray]:
    """Starts and lengths of runs of equal values."""
    if len(sorted_keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    start = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    return start, np.diff(np.append(start, len(sorted_keys)))


def _ranges(app: Apparatus, key: IntArray, unit: IntArray, start: IntArray, size: IntArray) -> IntArray:
    """Partner ranges of every duty as an (n, 3) array of (owner unit, first position, length), sorted
    by owner: later holders of the same task in the same place, and all holders of the task in each
    strictly enclosing place."""
    n_units = len(app.units)
    n = len(key)
    group = np.repeat(np.arange(len(start)), size)
    pos = np.arange(n, dtype=np.int64)
    end = (start + size)[group]
    owners, firsts, lengths = [unit], [pos + 1], [end - pos - 1]
    parent = app.units.parent
    tparent = np.full(n_units, -1, dtype=np.int64)
    has_parent = parent >= 0
    tparent[has_parent] = app.jurisdiction[parent[has_parent]]
    gkey = key[start] if len(start) else np.zeros(0, np.int64)
    task, place = key // n_units, key % n_units
    idx = np.arange(n)
    place = tparent[place]
    while len(idx):
        alive = place >= 0
        idx, task, place = idx[alive], task[alive], place[alive]
        wanted = task * n_units + place
        g = np.minimum(np.searchsorted(gkey, wanted), max(len(gkey) - 1, 0))
        hit = gkey[g] == wanted if len(gkey) else np.zeros(len(wanted), bool)
        owners.append(unit[idx[hit]])
        firsts.append(start[g[hit]])
        lengths.append(size[g[hit]])
        place = tparent[place]
    out = np.stack([np.concatenate(owners), np.concatenate(firsts), np.concatenate(lengths)], axis=1)
    out = out[out[:, 2] > 0]
    return out[np.argsort(out[:, 0], kind="stable")]


def _expand(first: IntArray, length: IntArray) -> IntArray:
    """The positions ``first[i] .. first[i] + length[i] - 1`` of every range, concatenated."""
    total = int(length.sum())
    before = np.cumsum(length) - length
    return np.repeat(first - before, length) + np.arange(total, dtype=np.int64)


def similar_pairs(app: Apparatus, config: DiagnosisConfig) -> SimilarPairs:
    """The similar pairs (see the module docstring)."""
    n_units = len(app.units)
    key, unit, start, size, generic = _sorted_duties(app, config.overlap_max_holders)
    portfolio = np.bincount(unit, minlength=n_units)
    ranges = _ranges(app, key, unit, start, size)
    cum = np.cumsum(ranges[:, 2])
    pieces: list[tuple[IntArray, IntArray, IntArray]] = []
    lo = 0
    while lo < len(ranges):
        done = cum[lo - 1] if lo else 0
        hi = int(np.searchsorted(cum, done + BLOCK, side="right"))
        hi = max(hi, lo + 1)
        # never split one owner's ranges across blocks
        hi = int(np.searchsorted(ranges[:, 0], ranges[hi - 1, 0], side="right"))
        pieces.append(_count_block(ranges[lo:hi], unit, n_units, config.overlap_min_shared))
        lo = hi
    if pieces:
        u, v, shared = (np.concatenate(parts) for parts in zip(*pieces, strict=True))
    else:
        u = v = shared = np.zeros(0, np.int64)
    similarity = shared / np.maximum(portfolio[u] + portfolio[v] - shared, 1)
    keep = similarity >= config.overlap_threshold
    return SimilarPairs(
        u[keep], v[keep], shared[keep], similarity[keep], generic, int(cum[-1]) if len(cum) else 0
    )


def _count_block(
    ranges: IntArray, unit: IntArray, n_units: int, min_shared: int
) -> tuple[IntArray, IntArray, IntArray]:
    """(owner, partner, shared tasks) for the pairs of one block with at least ``min_shared``."""
    partners = unit[_expand(ranges[:, 1], ranges[:, 2])]
    owners = np.repeat(ranges[:, 0], ranges[:, 2])
    base = int(ranges[0, 0])
    pair = (owners - base) * n_units + partners
    pair.sort()
    first, count = _runs(pair)
    strong = count >= min_shared
    keys = pair[first[strong]]
    return keys // n_units + base, keys % n_units, count[strong].astype(np.int64)


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
        },
        template=template,
        params=params,
    )
