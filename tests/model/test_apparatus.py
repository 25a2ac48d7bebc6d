"""The Apparatus and its derived indexes."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.model import Apparatus, LevelRow, UnitRow, build_apparatus


def ids(app: Apparatus, rows: np.ndarray) -> list[str]:
    return [str(app.units.id[i]) for i in rows]


def test_jurisdiction_is_nearest_territorial_ancestor(tiny: Apparatus) -> None:
    """An agency acts for its enclosing territory; a territorial unit for itself."""
    jur = dict(zip(tiny.units.id.tolist(), ids(tiny, tiny.jurisdiction), strict=True))
    assert jur == {
        "vn": "vn",
        "m1": "vn",
        "p1": "p1",
        "d1": "p1",
        "c1": "c1",
        "c2": "c2",
        "p2": "p2",
        "c3": "c3",
    }


def test_territory_leaves_are_the_finest_pieces(tiny: Apparatus) -> None:
    """Leaves are territorial units with no territorial descendants."""
    assert sorted(ids(tiny, tiny.territory_leaves)) == ["c1", "c2", "c3"]


def test_euler_tour_nests_subtrees(tiny: Apparatus) -> None:
    """Subtree membership is an interval test."""
    tin, tout = tiny.euler
    p1, c2, p2 = (tiny.units.index[k] for k in ("p1", "c2", "p2"))
    assert tin[p1] <= tin[c2] < tout[p1]
    assert not (tin[p2] <= tin[c2] < tout[p2])


def test_duty_matrices_are_sparse_and_split_by_role(tiny: Apparatus) -> None:
    """Lead and support matrices hold one entry per duty."""
    assert tiny.lead_matrix.nnz == 3
    assert tiny.support_matrix.nnz == 1
    assert tiny.duty_matrix.nnz == 4


def test_adjacency_is_symmetric(tiny: Apparatus) -> None:
    """Each neighbour pair appears in both directions."""
    adj = tiny.adjacency
    assert (adj != adj.T).nnz == 0
    assert adj.nnz == 4


def test_columns_are_read_only(tiny: Apparatus) -> None:
    """An apparatus cannot be changed in place."""
    with pytest.raises(ValueError, match="read-only"):
        tiny.units.area_km2[0] = 1.0


def test_levels_are_inferred_from_the_tree() -> None:
    """Without levels.csv, a level's rank is the smallest depth it occurs at."""
    app = build_apparatus(
        units=[
            UnitRow("a", "A", "top"),
            UnitRow("b", "B", "mid", parent_id="a"),
            UnitRow("c", "C", "low", parent_id="b"),
        ]
    )
    assert app.levels.name.tolist() == ["top", "mid", "low"]
    assert app.levels.rank.tolist() == [0, 1, 2]


def test_out_of_range_reference_is_refused() -> None:
    """An unknown parent id is a ValueError naming it."""
    with pytest.raises(ValueError, match="unknown parent unit 'zz'"):
        build_apparatus(levels=[LevelRow("x", 0)], units=[UnitRow("a", "A", "x", parent_id="zz")])
