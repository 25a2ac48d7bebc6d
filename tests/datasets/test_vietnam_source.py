"""The vietnamadminunits data as read: counts, the 2025 mapping's completeness, the estimated areas."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.datasets.vietnam import source, territory


@pytest.fixture(scope="module")
def terr() -> territory.Territory:
    return territory.load()


def test_legacy_counts() -> None:
    """The package gives 63 provinces, 696 districts and 10,035 communes before 2025."""
    data = source.load()
    assert (len(data.provinces.key), len(data.districts.key), len(data.communes.key)) == (63, 696, 10_035)


def test_legacy_types() -> None:
    """District and commune types match the official breakdown (508/49/87/52 and 7,695/1,724/616)."""
    data = source.load()
    districts = dict(zip(*np.unique(data.districts.type, return_counts=True), strict=True))
    communes = dict(zip(*np.unique(data.communes.type, return_counts=True), strict=True))
    assert districts == {"Huyện": 508, "Quận": 49, "Thành phố": 87, "Thị xã": 52}
    assert communes == {"Xã": 7695, "Phường": 1724, "Thị trấn": 616}


def test_new_counts() -> None:
    """34 provinces and 3,321 communes (2,621 xã, 687 phường, 13 đặc khu) from July 2025."""
    data = source.load()
    assert len(data.new_provinces.key) == 34
    types = dict(zip(*np.unique(data.new_communes.type, return_counts=True), strict=True))
    assert types == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


def test_new_province_members_cover_the_old_ones_once() -> None:
    """Each of the 63 old provinces is in exactly one new province; 11 are unchanged."""
    data = source.load()
    members = [p for group in data.new_provinces.members for p in group]
    assert sorted(members) == list(range(63))
    assert sum(len(g) == 1 for g in data.new_provinces.members) == 11


def test_every_old_unit_lands_once_or_is_split(terr: territory.Territory) -> None:
    """Every old commune and ward-less island district goes wholly into one new commune, or is
    split between 2 to 5 with shares summing to 1; 471 are split."""
    m = terr.data.mapping
    per_source = np.bincount(terr.edge_source, minlength=len(terr.area_km2))
    assert per_source.min() >= 1
    whole = ~m.divided
    assert np.all(per_source[terr.edge_source[whole]] == 1)
    split = np.unique(terr.edge_source[m.divided])
    assert len(split) == 471
    assert set(per_source[split].tolist()) == {2, 3, 4, 5}
    sums = np.bincount(terr.edge_source, weights=terr.share)
    np.testing.assert_allclose(sums, 1.0, atol=1e-12)
    assert terr.share.min() > 0


def test_every_new_commune_receives_something(terr: territory.Territory) -> None:
    """Each of the 3,321 new communes is the target of at least one mapping edge."""
    assert np.bincount(terr.data.mapping.new, minlength=3321).min() >= 1


def test_island_districts_without_communes(terr: territory.Territory) -> None:
    """The five ward-less island districts are the ones the reference names."""
    names = sorted(str(terr.data.districts.name[d]) for d in terr.islands)
    assert names == sorted(
        ["Huyện Bạch Long Vĩ", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn", "Huyện Côn Đảo"]
    )


def test_area_parts_sum_to_the_new_communes(terr: territory.Territory) -> None:
    """The estimated old-commune areas, split by their shares, add up to each new commune's known area."""
    m, new = terr.data.mapping, terr.data.new_communes
    parts = terr.area_km2[terr.edge_source] * terr.share
    per_new = np.bincount(m.new, weights=parts, minlength=len(new.key))
    known = np.isfinite(new.area_km2)
    np.testing.assert_allclose(per_new[known], new.area_km2[known], rtol=1e-9)
    np.testing.assert_allclose(per_new, terr.new_area_km2, rtol=1e-9)
    assert (~known).sum() == 4
    assert np.all(terr.new_area_km2[~known] > 0)


def test_populations_sum_to_the_official_figures(terr: territory.Territory) -> None:
    """Commune populations are whole people summing, per new province, to its official population."""
    n = terr.n_communes
    pop = terr.population[:n]
    assert np.all(pop == np.round(pop))
    assert np.isnan(terr.population[n:]).all()
    per_province = np.bincount(terr.new_province[:n], weights=pop)
    keys = terr.data.new_provinces.key.tolist()
    hanoi, hcmc = keys.index("thanhphohanoi"), keys.index("thanhphohochiminh")
    assert per_province[hanoi] == 8_587_100
    assert per_province[hcmc] == 14_002_598
    assert per_province.sum() == 111_453_810
