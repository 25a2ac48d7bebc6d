"""Dataset vietnam-2024: counts per level and kind, tasks and duties, labels, synthetic staff."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from reorg.datasets import vietnam
from reorg.datasets.vietnam import staff
from reorg.model import Apparatus
from reorg.plan.invariants import check


@pytest.fixture(scope="module")
def app() -> Apparatus:
    return vietnam.build()


def _kinds(app: Apparatus, level: str) -> dict[str, int]:
    rows = app.units.level == app.levels.index[level]
    return dict(Counter(app.units.kind[rows].tolist()))


def test_units_per_level(app: Apparatus) -> None:
    """1 root, 30 central bodies, 63 provinces, 696 districts, 10,035 communes, plus the agencies; 16
    Party central bodies, 14 NA bodies, the Front and 6 mass organisations, and a Party and a Front
    committee in every province, district and commune."""
    assert app.units_per_level() == {
        "nation": 1,
        "ministry": 30,
        "province": 63,
        "department": 63 * 18,
        "district": 696,
        "district_office": 696 * 12,
        "commune": 10_035,
        "party_central": 16,
        "na_body": 14,
        "front_central": 1,
        "mass_org": 6,
        "party_province": 63,
        "front_province": 63,
        "party_district": 696,
        "front_district": 696,
        "party_commune": 10_035,
        "front_commune": 10_035,
    }


def test_every_unit_belongs_to_a_branch(app: Apparatus) -> None:
    """Each level is of one branch; the branches hold the units the reference lists before 2025."""
    assert set(app.levels.name.tolist()) == set(vietnam.BRANCHES)
    branch = np.array([vietnam.BRANCHES[str(x)] for x in app.levels.name], dtype=object)[app.units.level]
    assert dict(Counter(branch.tolist())) == {
        "state": 1 + 30 + 63 + 63 * 18 + 696 + 696 * 12 + 10_035,
        "party": 16 + 63 + 696 + 10_035,
        "legislature": 14,
        "front": 1 + 6 + 63 + 696 + 10_035,
    }


def test_commune_committees_sit_under_their_commune(app: Apparatus) -> None:
    """Each commune has exactly one Party and one Front committee as children, named after it."""
    u = app.units
    communes = np.flatnonzero(u.level == app.levels.index["commune"])
    for level, title in (("party_commune", "Đảng bộ"), ("front_commune", "Ủy ban Mặt trận Tổ quốc")):
        rows = np.flatnonzero(u.level == app.levels.index[level])
        assert sorted(u.parent[rows].tolist()) == communes.tolist()
        for r in rows[:50].tolist():
            assert u.name[r] == f"{title} {vietnam.ids.locative(str(u.name[u.parent[r]]))}"


def test_political_bodies_by_kind(app: Apparatus) -> None:
    """7 Party commissions and the Office; the Ethnic Council and 9 NA committees; five
    socio-political organisations and the mass associations."""
    assert _kinds(app, "party_central") == {
        "Ban Đảng Trung ương": 7,
        "Văn phòng Trung ương Đảng": 1,
        "Cơ quan khác của Trung ương": 1,
        "Đảng bộ trực thuộc Trung ương": 4,
        "Đảng đoàn, ban cán sự đảng": 3,
    }
    assert _kinds(app, "na_body") == {
        "Cơ quan của Quốc hội": 10,
        "Ban của Ủy ban Thường vụ Quốc hội": 2,
        "Đơn vị thuộc Ủy ban Thường vụ Quốc hội": 2,
    }
    assert _kinds(app, "mass_org") == {"Tổ chức chính trị - xã hội": 5, "Hội quần chúng": 1}


def test_central_bodies_by_kind(app: Apparatus) -> None:
    """18 ministries, 4 ministerial-level agencies and 8 government agencies before 2025."""
    assert _kinds(app, "ministry") == {"Bộ": 18, "Cơ quan ngang bộ": 4, "Cơ quan thuộc Chính phủ": 8}


def test_provinces_and_communes_by_kind(app: Apparatus) -> None:
    """6 centrally-run cities and 57 provinces; communes keep the package's types."""
    assert _kinds(app, "province") == {"Thành phố": 6, "Tỉnh": 57}
    assert _kinds(app, "commune") == {"Xã": 7695, "Phường": 1724, "Thị trấn": 616}


def test_names_are_vietnamese(app: Apparatus) -> None:
    """Units carry their Vietnamese names; agencies are named after their type and territory."""
    names = dict(zip(app.units.id.tolist(), app.units.name.tolist(), strict=True))
    assert names["vn"] == "Chính phủ"
    assert names["mof"] == "Bộ Tài chính"
    assert names["p01"] == "Thành phố Hà Nội"
    assert names["p02.so-tai-chinh"] == "Sở Tài chính tỉnh Hà Giang"
    assert names["c00001"] == "Phường Phúc Xá"
    assert names["p02.dang-bo"] == "Đảng bộ tỉnh Hà Giang"
    assert names["d001.mat-tran"] == "Ủy ban Mặt trận Tổ quốc quận Ba Đình"
    assert names["tw-prop"] == "Ban Tuyên giáo Trung ương"


def test_territory_sums(app: Apparatus) -> None:
    """Province and nation areas and populations are the sums of their communes'."""
    u = app.units
    communes = u.level == app.levels.index["commune"]
    provinces = u.level == app.levels.index["province"]
    np.testing.assert_allclose(u.area_km2[provinces].sum(), u.area_km2[communes].sum() + _island_area(app))
    np.testing.assert_allclose(u.area_km2[0], u.area_km2[provinces].sum())
    assert u.population[provinces].sum() == u.population[communes].sum() == u.population[0] == 111_453_810


def _island_area(app: Apparatus) -> float:
    u = app.units
    districts = np.flatnonzero(u.level == app.levels.index["district"])
    has_commune = np.zeros(len(u), bool)
    has_commune[u.parent[u.level == app.levels.index["commune"]]] = True
    return float(u.area_km2[districts[~has_commune[districts]]].sum())


def test_every_task_has_a_legal_basis(app: Apparatus) -> None:
    """Every task names its basis: a decree with citation keys, or the modelling assumption."""
    assert all(app.tasks.legal_basis)
    local = [b for i, b in zip(app.tasks.id, app.tasks.legal_basis, strict=True) if i.startswith("loc.")]
    assert all("modelling assumption" in b for b in local)


def test_structural_invariants_hold_except_the_modelled_duplications(app: Apparatus) -> None:
    """The tree, coverage and territory partition hold; one_lead finds exactly the three tasks led by
    both a provincial department and a district office, and foreign affairs, led by a Party commission,
    an NA committee and a ministry."""
    assert check(app, ["tree", "coverage", "territory_partition"]) == []
    duplicated = sorted(t for v in check(app, ["one_lead"]) for t in v.tasks)
    assert duplicated == [
        "loc.food-safety",
        "loc.inspection",
        "loc.social-protection",
        "mofa.foreign-affairs",
    ]


def test_info_labels_people_and_results_synthetic(app: Apparatus) -> None:
    """The dataset names itself, its sources, and says people and results are synthetic."""
    assert app.info.name == "vietnam-2024"
    assert app.info.synthetic == ("people", "results")
    assert "vietnamadminunits" in app.info.source
    assert "SYNTHETIC" in app.info.description
    assert all(pid.startswith("syn-") for pid in app.people.id[:100].tolist())


def test_same_seed_same_data() -> None:
    """Same scale and seed give identical people and results; another seed gives others."""
    a, b, c = (vietnam.build(scale=0.005, seed=s) for s in (1, 1, 2))
    for name in ("unit", "birth_date", "salary_coefficient", "grade"):
        assert np.array_equal(getattr(a.people, name), getattr(b.people, name))
    assert np.array_equal(a.results.actual, b.results.actual)
    assert not np.array_equal(a.people.unit, c.people.unit)


def test_staff_scales(app: Apparatus) -> None:
    """The default scale gives tens of thousands of people, in proportion to the norms."""
    n = len(app.people)
    expected = sum(staff.NORMS[k] for k in _norm_keys(app)) * vietnam.DEFAULT_SCALE
    assert abs(n - expected) / expected < 0.03


def _norm_keys(app: Apparatus) -> list[str]:
    level = app.levels.name[app.units.level]
    return [
        f"{lv}/{k}" if lv in staff.KIND_NORMS else lv
        for lv, k in zip(level.tolist(), app.units.kind.tolist(), strict=True)
    ]


def test_staff_distributions_are_plausible(app: Apparatus) -> None:
    """Ages lie between 22 and the retirement age, service starts after 18, coefficients on the scale,
    each unit has at most one head, and every person has 3 to 5 results."""
    p = app.people
    age = (staff.REFERENCE_DATE - p.birth_date).astype(np.int64) / 365.25
    assert age.min() >= 21.9
    assert age.max() <= 61.01
    assert np.all(((p.service_start - p.birth_date).astype(np.int64) / 365.25) >= 18)
    assert np.all(p.service_start <= staff.REFERENCE_DATE)
    assert p.salary_coefficient.min() >= 1.86
    assert p.salary_coefficient.max() <= 8.0
    assert set(p.gender.tolist()) == {"nam", "nữ"}
    heads = Counter(
        p.unit[np.isin(p.position, ["Giám đốc", "Trưởng phòng", "Chủ tịch Ủy ban nhân dân"])].tolist()
    )
    assert max(heads.values()) == 1
    per_person = np.bincount(app.results.person, minlength=len(p))
    assert per_person.min() == 3
    assert per_person.max() == 5
    assert np.all(app.results.target > 0)


def test_scale_is_bounded() -> None:
    """A scale outside (0, 1] is refused."""
    with pytest.raises(ValueError, match="scale"):
        vietnam.build(scale=0)
    with pytest.raises(ValueError, match="scale"):
        vietnam.build(scale=1.5)


def test_every_political_row_cites_keys_listed_in_the_readme() -> None:
    """Every Party, NA and Front body, task, change and overlap names source keys, each listed in the
    dataset README's source tables, and a confidence mark."""
    cat = vietnam.catalogue.load()
    readme = (Path(vietnam.__file__).parent / "README.md").read_text(encoding="utf-8")
    listed = {
        key.strip()
        for line in readme.splitlines()
        if line.startswith("| ") and not line.startswith("| key")
        for key in line.split("|")[1].split(",")
    }
    rows = (*cat.political_bodies, *cat.political_tasks, *cat.political_reform, *cat.shared_leads)
    for row in rows:
        keys = row.sources.split()
        assert keys, row
        assert set(keys) <= listed, (row, set(keys) - listed)
    assert set(vietnam.structure.COMMITTEE_SOURCES) == set(vietnam.structure.COMMITTEES)
    for level, sources in vietnam.structure.COMMITTEE_SOURCES.items():
        assert set(sources.split()) <= listed, (level, set(sources.split()) - listed)
    assert all(r.confidence in ("S", "M", "U") for r in (*cat.political_bodies, *cat.political_tasks))
    assert all(t.confidence == "U" for t in cat.political_tasks)  # fields named after the bodies


def test_branch_tasks_have_a_lead_or_a_level(app: Apparatus) -> None:
    """Each Party, NA and Front task is led by its body, or by every committee of its level (the
    commune committees' tasks also by the committees of the five island districts without communes)."""
    cat = vietnam.catalogue.load()
    d = app.duties
    led = Counter(str(app.tasks.id[t]) for t, r in zip(d.task, d.role, strict=True) if r == 0)
    for t in cat.political_tasks:
        expected = app.units_per_level()[t.level] if t.level else 1
        expected += 5 if t.level in ("party_commune", "front_commune") else 0
        assert led[t.id] == expected, t.id
