"""Area estimates, split pre-shares and centroid cleaning on small hand-made inputs."""

from __future__ import annotations

import numpy as np

from reorg.datasets.vietnam import geometry


def _sources(
    boxes: list[tuple[float, float, float, float]], fallback: list[bool] | None = None
) -> geometry.Sources:
    b = np.asarray(boxes, dtype=np.float64)
    return geometry.Sources(
        lat=(b[:, 0] + b[:, 2]) / 2,
        lon=(b[:, 1] + b[:, 3]) / 2,
        bounds=b,
        district=np.zeros(len(b), dtype=np.int32),
        fallback=np.asarray(fallback or [False] * len(b)),
    )


def test_box_area_of_a_tenth_degree_at_the_equator() -> None:
    """A 0.1° x 0.1° box at the equator is about 123.6 km²."""
    area = geometry.box_area_km2(np.array([[0.0, 100.0, 0.1, 100.1]]))
    assert abs(area[0] - 123.6) < 0.5


def test_areas_follow_box_weights_and_sum_to_the_new_area() -> None:
    """Two whole communes with boxes 1:3 into a new commune of 100 km² get 25 and 75 km²."""
    src = _sources([(10.0, 106.0, 10.01, 106.01), (10.0, 106.01, 10.03, 106.02)])
    est = geometry.estimate_areas(
        src,
        edge_src=np.array([0, 1], dtype=np.int32),
        edge_new=np.array([0, 0], dtype=np.int32),
        preshare=np.ones(2),
        new_area=np.array([100.0]),
        new_province=np.array([0], dtype=np.int32),
    )
    np.testing.assert_allclose(est.area_km2, [25.0, 75.0], rtol=1e-3)
    np.testing.assert_allclose(est.share, [1.0, 1.0])


def test_fallback_box_counts_as_the_median() -> None:
    """A geocoder-fallback box (here huge) weighs as the median of the others, not its own size."""
    src = _sources(
        [(10.0, 106.0, 10.01, 106.01), (10.0, 106.0, 10.01, 106.01), (9.0, 105.0, 11.0, 107.0)],
        fallback=[False, False, True],
    )
    est = geometry.estimate_areas(
        src,
        edge_src=np.array([0, 1, 2], dtype=np.int32),
        edge_new=np.array([0, 0, 0], dtype=np.int32),
        preshare=np.ones(3),
        new_area=np.array([90.0]),
        new_province=np.array([0], dtype=np.int32),
    )
    np.testing.assert_allclose(est.area_km2, [30.0, 30.0, 30.0])


def test_split_commune_area_is_divided_by_its_shares() -> None:
    """A commune split between two new communes gets part of each; every new area is kept exactly."""
    src = _sources([(10.0, 106.0, 10.02, 106.02), (10.0, 106.02, 10.02, 106.04)])
    est = geometry.estimate_areas(
        src,
        edge_src=np.array([0, 0, 1], dtype=np.int32),
        edge_new=np.array([0, 1, 1], dtype=np.int32),
        preshare=np.array([0.5, 0.5, 1.0]),
        new_area=np.array([10.0, 30.0]),
        new_province=np.array([0, 0], dtype=np.int32),
    )
    np.testing.assert_allclose(np.bincount([0, 1, 1], weights=est.part_km2), [10.0, 30.0])
    np.testing.assert_allclose(est.area_km2[0], 10.0 + 10.0)
    np.testing.assert_allclose(est.share[:2], [0.5, 0.5])


def test_missing_new_area_is_estimated_from_the_province_ratio() -> None:
    """A new commune without an area gets its weights times the province's area/weight ratio."""
    box = (10.0, 106.0, 10.01, 106.01)
    src = _sources([box, box])
    est = geometry.estimate_areas(
        src,
        edge_src=np.array([0, 1], dtype=np.int32),
        edge_new=np.array([0, 1], dtype=np.int32),
        preshare=np.ones(2),
        new_area=np.array([50.0, np.nan]),
        new_province=np.array([0, 0], dtype=np.int32),
    )
    np.testing.assert_allclose(est.new_area_km2, [50.0, 50.0])


def test_split_preshares_follow_the_overlap() -> None:
    """The target whose square covers the old box gets most of it; shares sum to 1 and stay positive."""
    box = np.array([10.0, 106.0, 10.1, 106.1])
    share = geometry.split_preshares(
        box, np.array([10.05, 12.0]), np.array([106.05, 108.0]), np.array([120.0, 120.0])
    )
    assert share[0] > 0.9
    assert share[1] > 0
    assert abs(share.sum() - 1) < 1e-12


def test_split_preshares_equal_without_overlap() -> None:
    """With no overlap at all the split is equal."""
    share = geometry.split_preshares(
        np.array([10.0, 106.0, 10.1, 106.1]),
        np.array([0.0, 1.0, 2.0]),
        np.array([0.0, 1.0, 2.0]),
        np.array([1.0, 1.0, 1.0]),
    )
    np.testing.assert_allclose(share, [1 / 3] * 3)


def test_fallback_centroid_moves_to_its_co_sources() -> None:
    """A centroid equal to its district's is replaced by the mean of the other sources of its new commune."""
    src = _sources(
        [(10.0, 106.0, 10.02, 106.02), (10.02, 106.0, 10.04, 106.02), (10.0, 106.0, 10.04, 106.04)]
    )
    src = geometry.Sources(
        lat=np.array([10.01, 10.03, 10.5]),
        lon=np.array([106.01, 106.01, 106.5]),
        bounds=src.bounds,
        district=src.district,
        fallback=src.fallback,
    )
    lat, lon, moved = geometry.clean_locations(
        src,
        district_lat=np.array([10.5]),
        district_lon=np.array([106.5]),
        district_bounds=np.array([[10.0, 106.0, 11.0, 107.0]]),
        edge_src=np.array([0, 1, 2], dtype=np.int32),
        edge_new=np.array([0, 0, 0], dtype=np.int32),
        new_lat=np.array([10.02]),
        new_lon=np.array([106.02]),
    )
    assert moved.tolist() == [False, False, True]
    np.testing.assert_allclose([lat[2], lon[2]], [10.02, 106.01])


def test_coinciding_points_are_spread() -> None:
    """Points that coincide after cleaning end up distinct, within a kilometre or two."""
    box = (10.0, 106.0, 10.02, 106.02)
    src = _sources([box, box, box])
    lat, lon, _ = geometry.clean_locations(
        src,
        district_lat=np.array([0.0]),
        district_lon=np.array([0.0]),
        district_bounds=np.array([[9.0, 105.0, 11.0, 107.0]]),
        edge_src=np.array([0, 1, 2], dtype=np.int32),
        edge_new=np.array([0, 1, 2], dtype=np.int32),
        new_lat=np.zeros(3),
        new_lon=np.zeros(3),
    )
    xy = geometry.project_km(lat, lon)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert np.all(d[np.triu_indices(3, 1)] > 0.1)
    assert d.max() < 2.0
