"""Neighbours between territorial units, estimated from centroids (the package has no boundaries).

Method, for the finest territorial units (communes, and the island districts that have none):

1. project the centroids to km (sinusoidal, see ``geometry.project_km``) and triangulate them
   (Delaunay, ``scipy.spatial.Delaunay``);
2. keep an edge only if its length is at most ``REACH`` x (r_a + r_b), where r = sqrt(area / pi) is the
   radius of a disc of the unit's estimated area: two round neighbours touch at r_a + r_b, and
   ``REACH`` allows for elongated shapes and centroid error. Long edges across the sea or across a
   gap in the points are cut, so islands stay apart;
3. cut every edge between a unit that went into one of the 2025 special zones (đặc khu, the island
   units) and a unit that did not go into that same zone: the sea separates them even where the
   geocoded centroids sit close to the coast;
4. rejoin stray pieces of a province's mainland (see :func:`rejoin`): geocoding errors and lakes
   otherwise leave a few communes cut off from their own province.

District and province neighbours are the pairs of different districts (provinces) that hold
neighbouring communes. Borders are unknown (``border_km`` NaN).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay

__all__ = ["REACH", "REJOIN_KM", "REJOIN_RATIO", "delaunay_edges", "keep_edges", "lift_edges", "rejoin"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

#: an edge is kept if its length <= REACH * (r_a + r_b), r the equal-area radius of each unit
REACH = 2.0
#: rule 4 joins a stray piece of a province's mainland by an edge up to this ratio and length
REJOIN_RATIO = 2.5
REJOIN_KM = 12.0


def delaunay_edges(xy: FloatArray) -> IntArray:
    """Unique edges (m x 2, a < b) of the Delaunay triangulation of the points ``xy`` (km)."""
    tri = Delaunay(xy)
    s = tri.simplices
    pairs = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0).astype(np.int32)


def keep_edges(
    edges: IntArray, xy: FloatArray, area_km2: FloatArray, zone: IntArray
) -> npt.NDArray[np.bool_]:
    """Which Delaunay edges are neighbours: short enough for the units' sizes (rule 2) and not joining
    a special zone to anything outside it (rule 3; ``zone`` is the zone index per unit, -1 = none)."""
    a, b = edges[:, 0], edges[:, 1]
    length = np.hypot(*(xy[a] - xy[b]).T)
    radius = np.sqrt(np.nan_to_num(area_km2, nan=0.0) / np.pi)
    short = length <= REACH * (radius[a] + radius[b])
    same_zone = zone[a] == zone[b]
    return np.asarray(short & same_zone, dtype=bool)


def lift_edges(edges: IntArray, group: IntArray) -> IntArray:
    """Edges between the groups of their endpoints (e.g. communes -> districts): unique pairs a < b of
    different groups."""
    ga, gb = group[edges[:, 0]], group[edges[:, 1]]
    keep = (ga != gb) & (ga >= 0) & (gb >= 0)
    pairs = np.column_stack([np.minimum(ga, gb), np.maximum(ga, gb)])[keep]
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int32)
    return np.unique(pairs, axis=0).astype(np.int32)


def rejoin(
    edges: IntArray,
    kept: npt.NDArray[np.bool_],
    xy: FloatArray,
    area_km2: FloatArray,
    province: IntArray,
    zone: IntArray,
    relocated: npt.NDArray[np.bool_],
) -> IntArray:
    """Rule 4: join the stray pieces of each province's mainland (units in no special zone).

    While a province's mainland falls into several components, each component other than the largest
    gets back its Delaunay edge to the rest of the province with the smallest length / (r_a + r_b), if
    that ratio is at most ``REJOIN_RATIO`` and the edge at most ``REJOIN_KM`` long (a longer gap is the
    sea: coastal islands stay apart). A component made only of relocated centroids (geocoder fallbacks,
    see ``geometry.clean_locations``) that has no Delaunay edge at all to the rest of its province (it
    sits among another province's points) is joined to the nearest unit of its province.
    Returns the final edge list (m x 2, a < b)."""
    a, b = edges[:, 0], edges[:, 1]
    length = np.hypot(*(xy[a] - xy[b]).T)
    radius = np.sqrt(np.nan_to_num(area_km2, nan=0.0) / np.pi)
    ratio = length / np.maximum(radius[a] + radius[b], 1e-9)
    out = [edges[kept]]
    for p in np.unique(province).tolist():
        members = np.flatnonzero((province == p) & (zone < 0)).astype(np.int32)
        out.extend(_rejoin_province(members, edges, kept, ratio, length, xy, relocated))
    result = np.concatenate(out)
    return np.unique(np.sort(result, axis=1), axis=0).astype(np.int32)


def _rejoin_province(
    members: IntArray,
    edges: IntArray,
    kept: npt.NDArray[np.bool_],
    ratio: FloatArray,
    length: FloatArray,
    xy: FloatArray,
    relocated: npt.NDArray[np.bool_],
) -> list[IntArray]:
    """The edges rule 4 adds inside one province's mainland (``members``)."""
    if len(members) < 2:
        return []
    local = np.full(len(xy), -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    inside = (local[edges[:, 0]] >= 0) & (local[edges[:, 1]] >= 0)
    cand = np.flatnonzero(inside)
    graph = edges[cand[kept[cand]]]
    added: list[IntArray] = []
    while True:
        all_edges = np.concatenate([graph, *added]) if added else graph
        m = len(members)
        adj = sp.csr_array(
            (np.ones(len(all_edges)), (local[all_edges[:, 0]], local[all_edges[:, 1]])), shape=(m, m)
        )
        n_comp, label = connected_components(adj, directed=False)
        if n_comp == 1:
            return added
        largest = int(np.argmax(np.bincount(label)))
        new = [
            e
            for c in range(n_comp)
            if c != largest
            for e in [_bridge(c, label, local, members, edges, cand, ratio, length, xy, relocated)]
            if e is not None
        ]
        if not new:
            return added
        added.append(np.asarray(new, dtype=np.int32).reshape(-1, 2))


def _bridge(
    comp: int,
    label: npt.NDArray[np.int32],
    local: npt.NDArray[np.int64],
    members: IntArray,
    edges: IntArray,
    cand: npt.NDArray[np.intp],
    ratio: FloatArray,
    length: FloatArray,
    xy: FloatArray,
    relocated: npt.NDArray[np.bool_],
) -> tuple[int, int] | None:
    """The edge that joins component ``comp`` to the rest of its province, or None (rule 4)."""
    la, lb = label[local[edges[cand, 0]]], label[local[edges[cand, 1]]]
    crossing = cand[(la != lb) & ((la == comp) | (lb == comp))]
    if len(crossing):
        best = crossing[np.argmin(ratio[crossing])]
        if ratio[best] <= REJOIN_RATIO and length[best] <= REJOIN_KM:
            return int(edges[best, 0]), int(edges[best, 1])
        return None
    inner = members[label == comp]
    if not relocated[inner].all():
        return None
    outer = members[label != comp]
    d = np.hypot(*(xy[inner][:, None, :] - xy[outer][None, :, :]).transpose(2, 0, 1))
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    u, v = int(inner[i]), int(outer[j])
    return min(u, v), max(u, v)
