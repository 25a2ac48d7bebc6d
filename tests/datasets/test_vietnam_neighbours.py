"""The estimated neighbour graph: the rules on small point sets, then known pairs and islands on the
real data."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.datasets.vietnam import geometry, neighbours, structure, territory
from reorg.model import Apparatus


def _grid_with_island() -> tuple[np.ndarray, np.ndarray]:
    """A 4 x 4 grid of 1 km² cells 1 km apart, and one more cell 20 km east (an island)."""
    xs, ys = np.meshgrid(np.arange(4.0), np.arange(4.0))
    xy = np.column_stack([xs.ravel(), ys.ravel()])
    xy = np.vstack([xy, [[23.0, 1.5]]])
    return xy, np.ones(len(xy))


def test_delaunay_edges_are_unique_pairs() -> None:
    """Edges come once each, smaller index first."""
    xy, _ = _grid_with_island()
    e = neighbours.delaunay_edges(xy)
    assert np.all(e[:, 0] < e[:, 1])
    assert len(np.unique(e, axis=0)) == len(e)


def test_long_edges_to_an_island_are_cut() -> None:
    """Rule 2 keeps the grid's edges and cuts every edge to the far cell."""
    xy, area = _grid_with_island()
    e = neighbours.delaunay_edges(xy)
    kept = neighbours.keep_edges(e, xy, area, np.full(len(xy), -1))
    assert not np.any(kept & np.any(e == 16, axis=1))
    grid_edges = e[kept]
    n, _ = connected_components(
        sp.csr_array((np.ones(len(grid_edges)), grid_edges.T), shape=(17, 17)), directed=False
    )
    assert n == 2


def test_special_zone_edges_are_cut() -> None:
    """Rule 3 cuts a short edge between a special zone and the mainland, keeps one inside the zone."""
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    e = np.array([[0, 1], [1, 2]], dtype=np.int32)
    kept = neighbours.keep_edges(e, xy, np.ones(3), np.array([-1, 0, 0], dtype=np.int32))
    assert kept.tolist() == [False, True]


def test_rejoin_joins_a_near_stray_piece_but_not_a_far_island() -> None:
    """Rule 4 gives back a cut edge of moderate length inside a province, never one longer than 12 km."""
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [3.5, 0.0], [40.0, 0.0]])
    area = np.full(4, np.pi * 0.5**2)  # radius 0.5 km
    e = np.array([[0, 1], [1, 2], [2, 3]], dtype=np.int32)
    kept = neighbours.keep_edges(e, xy, area, np.full(4, -1, dtype=np.int32))
    assert kept.tolist() == [True, False, False]  # 2.5 km > 2 x (0.5 + 0.5)
    final = neighbours.rejoin(
        e, kept, xy, area, np.zeros(4, dtype=np.int32), np.full(4, -1), np.zeros(4, bool)
    )
    assert final.tolist() == [[0, 1], [1, 2]]


def test_lift_edges_to_groups() -> None:
    """Commune edges become district edges between different districts, once each."""
    e = np.array([[0, 1], [1, 2], [2, 3], [0, 3]], dtype=np.int32)
    lifted = neighbours.lift_edges(e, np.array([5, 5, 7, 7], dtype=np.int32))
    assert lifted.tolist() == [[5, 7]]


# -- on the real data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Apparatus:
    return structure.load()


def _commune(app: Apparatus, name: str, district: str) -> int:
    u = app.units
    rows = [
        i
        for i in np.flatnonzero(u.name == name).tolist()
        if str(u.name[u.parent[i]]) == district and app.levels.name[u.level[i]] == "commune"
    ]
    assert len(rows) == 1, (name, district)
    return rows[0]


@pytest.mark.parametrize(
    ("a", "b", "district"),
    [
        ("Phường Hàng Bạc", "Phường Hàng Buồm", "Quận Hoàn Kiếm"),
        ("Phường Hàng Bạc", "Phường Hàng Đào", "Quận Hoàn Kiếm"),
        ("Phường Tràng Tiền", "Phường Hàng Bài", "Quận Hoàn Kiếm"),
        ("Phường Hàng Trống", "Phường Hàng Bông", "Quận Hoàn Kiếm"),
        ("Phường Dương Đông", "Xã Cửa Dương", "Thành phố Phú Quốc"),
        ("Phường An Thới", "Xã Dương Tơ", "Thành phố Phú Quốc"),
    ],
)
def test_known_neighbours(base: Apparatus, a: str, b: str, district: str) -> None:
    """Communes known to share a border are neighbours."""
    assert base.adjacency[_commune(base, a, district), _commune(base, b, district)] == 1


def test_most_pairs_merged_in_2025_are_neighbours(base: Apparatus) -> None:
    """Of the new communes formed from exactly two whole old communes (adjacent in reality), at least
    90 % are pairs of neighbours in the estimated graph."""
    terr = territory.load()
    m = terr.data.mapping
    whole_only = np.bincount(m.new[m.divided], minlength=len(terr.data.new_communes.key)) == 0
    counts = np.bincount(m.new, minlength=len(whole_only))
    pairs = [terr.edge_source[m.new == j] for j in np.flatnonzero(whole_only & (counts == 2))]
    pairs = [p for p in pairs if p.max() < terr.n_communes]
    edges = {tuple(e) for e in terr.edges.tolist()}
    hits = sum((int(min(p)), int(max(p))) in edges for p in pairs)
    assert len(pairs) > 500
    assert hits / len(pairs) >= 0.9


def test_special_zones_have_no_neighbour_outside(base: Apparatus) -> None:
    """No commune that became part of a special zone (island) neighbours one outside that zone."""
    terr = territory.load()
    a, b = terr.edges[:, 0], terr.edges[:, 1]
    assert np.all(terr.zone[a] == terr.zone[b])


@pytest.mark.parametrize(
    "zone",
    [
        "Phú Quốc",
        "Côn Đảo",
        "Lý Sơn",
        "Cô Tô",
        "Bạch Long Vĩ",
        "Phú Quý",
        "Cồn Cỏ",
        "Trường Sa",
        "Hoàng Sa",
        "Kiên Hải",
        "Thổ Châu",
    ],
)
def test_islands_are_apart_by_distance_alone(zone: str) -> None:
    """Without the special-zone rule, the length rule alone keeps these islands off the mainland."""
    terr = territory.load()
    new = terr.data.new_communes
    z = terr.zone[
        terr.edge_source[terr.data.mapping.new == int(np.flatnonzero(new.name == f"Đặc khu {zone}")[0])][0]
    ]
    xy = geometry.project_km(terr.lat, terr.lon)
    e = neighbours.delaunay_edges(xy)
    kept = e[neighbours.keep_edges(e, xy, terr.area_km2, np.full(len(xy), -1, dtype=np.int32))]
    inside = terr.zone == z
    assert not np.any(inside[kept[:, 0]] != inside[kept[:, 1]])


#: coastal islands that belong to mainland districts (not special zones): Vĩnh Thực island (Móng Cái),
#: Cù Lao Chàm (Tân Hiệp, Hội An), Cù Lao Xanh (Nhơn Châu, Quy Nhơn), Hòn Nghệ (Kiên Lương)
COASTAL_ISLANDS = {
    ("Xã Vĩnh Thực", "Thành phố Móng Cái"),
    ("Xã Vĩnh Trung", "Thành phố Móng Cái"),
    ("Xã Tân Hiệp", "Thành phố Hội An"),
    ("Xã Nhơn Châu", "Thành phố Quy Nhơn"),
    ("Xã Hòn Nghệ", "Huyện Kiên Lương"),
}


def test_each_province_mainland_is_connected(base: Apparatus) -> None:
    """The communes of each province outside special zones and known coastal islands form one
    connected piece, and those coastal islands are not joined to it."""
    terr = territory.load()
    n = terr.n_communes
    e = terr.edges[(terr.edges[:, 0] < n) & (terr.edges[:, 1] < n)]
    adj = sp.csr_array((np.ones(len(e)), e.T), shape=(n, n))
    com, dist = terr.data.communes, terr.data.districts
    island = np.asarray(
        [(str(com.name[c]), str(dist.name[com.parent[c]])) in COASTAL_ISLANDS for c in range(n)]
    )
    assert island.sum() == len(COASTAL_ISLANDS)
    for p in range(len(terr.data.provinces.key)):
        mainland = np.flatnonzero((terr.province[:n] == p) & (terr.zone[:n] < 0) & ~island)
        k, _ = connected_components(adj[mainland][:, mainland], directed=False)
        assert k == 1, str(terr.data.provinces.name[p])
    sym = adj + adj.T
    for c in np.flatnonzero(island):
        assert not np.any(~island[sym[[c]].indices]), str(com.name[c])
