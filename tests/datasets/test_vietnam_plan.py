"""Plan enacted-2025: it applies to vietnam-2024 and gives the official counts."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from reorg.datasets import vietnam
from reorg.errors import PlanError
from reorg.model import Apparatus
from reorg.plan.apply import validate
from reorg.plan.diff import diff
from reorg.plan.invariants import STRUCTURAL, check
from reorg.plan.operations import Plan, Split


@pytest.fixture(scope="module")
def baseline() -> Apparatus:
    return vietnam.build(scale=0.005)


@pytest.fixture(scope="module")
def plan(baseline: Apparatus) -> Plan:
    return vietnam.enacted_plan(baseline)


@pytest.fixture(scope="module")
def after(baseline: Apparatus, plan: Plan) -> Apparatus:
    result = validate(baseline, plan)
    assert result.errors == ()
    return result.after


def _kinds(app: Apparatus, level: str) -> dict[str, int]:
    return dict(Counter(app.units.kind[app.units.level == app.levels.index[level]].tolist()))


def test_plan_names_its_baseline(plan: Plan) -> None:
    """The plan is enacted-2025 against vietnam-2024, and does not ask for contiguity."""
    assert (plan.name, plan.baseline, plan.require) == ("enacted-2025", "vietnam-2024", ())


def test_official_counts_after(after: Apparatus) -> None:
    """63 -> 34 provinces, 696 -> 0 districts, 10,035 -> 3,321 communes, 30 -> 22 central bodies."""
    levels = after.units_per_level()
    assert (levels["province"], levels["district"], levels["commune"], levels["ministry"]) == (
        34,
        0,
        3321,
        22,
    )
    assert levels["district_office"] == 0


def test_central_bodies_by_kind_after(after: Apparatus) -> None:
    """14 ministries + 3 ministerial-level agencies and 5 government agencies after 1 March 2025."""
    assert _kinds(after, "ministry") == {"Bộ": 14, "Cơ quan ngang bộ": 3, "Cơ quan thuộc Chính phủ": 5}
    ids = set(after.units.id.tolist())
    assert {"mae", "memr", "mof", "moc", "most", "moha"} <= ids
    assert not {"mpi", "mot", "mard", "monre", "mic", "molisa", "cema", "vss", "cmsc", "hcmm"} & ids


def test_commune_types_after(after: Apparatus) -> None:
    """2,621 xã, 687 phường and 13 đặc khu, the official split of the 3,321 new communes."""
    assert _kinds(after, "commune") == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


def test_provinces_after(after: Apparatus) -> None:
    """6 centrally-run cities and 28 provinces, named after one of their old names."""
    assert _kinds(after, "province") == {"Thành phố": 6, "Tỉnh": 28}
    names = set(after.units.name.tolist())
    assert {"Tỉnh Tuyên Quang", "Thành phố Hồ Chí Minh", "Tỉnh An Giang", "Thành phố Huế"} <= names


def test_result_passes_every_structural_invariant(after: Apparatus) -> None:
    """No duplication, gap or broken tree is left: the three modelled duplications are gone."""
    assert check(after, list(STRUCTURAL)) == []


def test_transfers_land_where_the_decrees_say(after: Apparatus) -> None:
    """Driving licences are led by MPS, press by MOCST, vocational education by MOET, religion by MEMR."""
    leads = {
        str(after.tasks.id[t]): str(after.units.id[u])
        for u, t, r in zip(after.duties.unit, after.duties.task, after.duties.role, strict=True)
        if r == 0 and after.units.id[u] in {"mps", "mocst", "moet", "memr", "moh", "mae", "mof"}
    }
    assert leads["mot.driving-licences"] == "mps"
    assert leads["mic.press"] == "mocst"
    assert leads["molisa.vocational"] == "moet"
    assert leads["moha.religion"] == "memr"
    assert leads["molisa.social-protection"] == "moh"
    assert leads["molisa.poverty"] == "mae"
    assert leads["mpi.statistics"] == "mof"


def test_area_and_people_are_conserved(baseline: Apparatus, after: Apparatus) -> None:
    """The nation's area and population, and the headcount, are the same before and after."""
    np.testing.assert_allclose(after.units.area_km2[0], baseline.units.area_km2[0])
    assert after.units.population[0] == baseline.units.population[0]
    assert len(after.people) == len(baseline.people)


def test_new_commune_areas_are_the_package_areas(after: Apparatus) -> None:
    """Each new commune's area after the plan is its area in the package (estimated for four), whether
    the plan formed it anew or kept an unchanged old commune."""
    terr = vietnam.territory.load()
    new, m = terr.data.new_communes, terr.data.mapping
    area = dict(zip(after.units.id.tolist(), after.units.area_km2.tolist(), strict=True))
    for j in range(len(new.key)):
        nid = f"c2025-{new.code[j]}"
        if nid not in area:
            (source,) = terr.edge_source[m.new == j]
            nid = f"c{terr.data.communes.code[source]}"
        np.testing.assert_allclose(area[nid], terr.new_area_km2[j], rtol=1e-9)


def test_split_shares_sum_to_one(plan: Plan) -> None:
    """The 471 communes divided in 2025, and their Party and Front committees, are split with shares
    summing to 1."""
    splits = [op for op in plan.operations if isinstance(op, Split) and len(op.parts) > 1]
    assert Counter(op.unit.rpartition(".")[2] if "." in op.unit else "" for op in splits) == {
        "": 471,
        "dang-bo": 471,
        "mat-tran": 471,
    }
    for op in splits:
        assert abs(sum(p.share for p in op.parts) - 1) < 1e-9


def test_plan_round_trips_through_json(plan: Plan) -> None:
    """The plan survives its JSON form unchanged."""
    assert Plan.from_json(plan.to_json()) == plan


def test_plan_refuses_a_baseline_without_its_units() -> None:
    """Checked against an apparatus that lacks its units, the plan says which."""
    from reorg.model import UnitRow, build_apparatus

    other = build_apparatus(units=[UnitRow("vn", "Chính phủ", "nation")])
    with pytest.raises(PlanError, match="lacks"):
        vietnam.enacted_plan(other)


def test_plan_does_not_depend_on_staff(baseline: Apparatus) -> None:
    """The same plan comes out whatever the scale and seed of the baseline."""
    assert vietnam.enacted_plan() == vietnam.enacted_plan(baseline)


def test_branch_counts_per_level_and_kind(baseline: Apparatus, after: Apparatus) -> None:
    """Party commissions 7 -> 5 (the Office kept), NA council and committees 10 -> 8, provincial Party
    committees 63 -> 34, district ones 696 -> 0, commune ones 10,035 -> 3,320 (3,321 communes, Hoàng Sa
    with a Party cell instead); the Government's and local figures as before."""
    d = diff(baseline, after)
    assert d.kinds["party_central"]["Ban Đảng Trung ương"] == (7, 5)
    assert d.kinds["party_central"]["Văn phòng Trung ương Đảng"] == (1, 1)
    assert d.kinds["party_central"]["Đảng bộ trực thuộc Trung ương"] == (4, 6)
    assert d.kinds["party_central"]["Đảng đoàn, ban cán sự đảng"] == (3, 0)
    assert d.kinds["na_body"]["Cơ quan của Quốc hội"] == (10, 8)
    assert d.levels["na_body"] == (14, 8)
    assert (d.levels["party_province"], d.levels["party_district"]) == ((63, 34), (696, 0))
    assert (d.levels["front_province"], d.levels["front_district"]) == ((63, 34), (696, 0))
    assert (d.levels["party_commune"], d.levels["front_commune"]) == ((10_035, 3320), (10_035, 3320))
    assert d.kinds["party_commune"] == {"Đảng bộ cấp xã": (10_035, 3320)}
    assert d.parents["party_commune"] == {"commune": (10_035, 3320)}
    assert d.kinds["ministry"] == {
        "Bộ": (18, 14),
        "Cơ quan thuộc Chính phủ": (8, 5),
        "Cơ quan ngang bộ": (4, 3),
    }
    assert (d.levels["province"], d.levels["district"], d.levels["commune"]) == (
        (63, 34),
        (696, 0),
        (10_035, 3321),
    )
    assert d.grouped(vietnam.BRANCHES) == {
        "state": (20_311, 3820),
        "party": (775 + 10_035, 46 + 3320),
        "legislature": (14, 8),
        "front": (766 + 10_035, 41 + 3320),
    }


def test_mass_organisations_move_under_the_front(baseline: Apparatus, after: Apparatus) -> None:
    """The five socio-political organisations and the mass associations sit under the Front after."""
    assert diff(baseline, after).parents["mass_org"] == {"nation": (6, 0), "front_central": (0, 6)}
    u = after.units
    mass = np.flatnonzero(u.level == after.levels.index["mass_org"])
    assert set(u.id[u.parent[mass]].tolist()) == {"mt-tw"}


def test_party_and_na_bodies_after(after: Apparatus) -> None:
    """The merged and renamed bodies carry their 2025 names; the ended ones are gone."""
    names = dict(zip(after.units.id.tolist(), after.units.name.tolist(), strict=True))
    assert names["tw-tgdv"] == "Ban Tuyên giáo và Dân vận Trung ương"
    assert names["tw-econ"] == "Ban Chính sách, chiến lược Trung ương"
    assert names["qh-ubqpan"] == "Ủy ban Quốc phòng, An ninh và Đối ngoại"
    assert names["qh-bdn"] == "Ủy ban Dân nguyện và Giám sát"
    assert {"du-cqd", "du-cp", "du-qh", "du-mt", "qh-ubpltp", "qh-ubkttc", "qh-ubvhxh"} <= set(names)
    gone = {
        "tw-ext",
        "tw-prop",
        "tw-mob",
        "du-kcq",
        "du-kdn",
        "bcs-cp",
        "dd-qh",
        "dd-mt",
        "qh-ubdn",
        "qh-vnclp",
    }
    assert not gone & set(names)


def test_the_cross_branch_duplication_is_removed(after: Apparatus) -> None:
    """Foreign affairs, led before by a Party commission, an NA committee and MOFA, is led by MOFA
    alone; the NA keeps its own foreign-affairs oversight in the merged committee."""
    d = after.duties
    leads = {
        (str(after.tasks.id[t]), str(after.units.id[u]))
        for u, t, r in zip(d.unit, d.task, d.role, strict=True)
        if r == 0
    }
    assert {u for t, u in leads if t == "mofa.foreign-affairs"} == {"mofa"}
    assert {u for t, u in leads if t == "qh.foreign-affairs"} == {"qh-ubqpan"}
    assert {u for t, u in leads if t in ("dang.propaganda", "dang.mass-mobilisation")} == {"tw-tgdv"}
    assert {u for t, u in leads if t == "dang.government"} == {"du-cp"}


def test_changes_are_dated_in_order_and_cited() -> None:
    """Every central change has a date, the plan takes them in date order, and each cites its keys."""
    cat = vietnam.catalogue.load()
    changes = cat.changes()
    assert [c.date for c in changes] == sorted(c.date for c in changes)
    assert all(c.date and c.sources and c.legal_basis for c in changes)
    assert changes[0].units == ("qh-vnclp",)


def test_district_committees_work_goes_to_the_provincial_ones(after: Apparatus) -> None:
    """After the district committees end, the district Party and Front tasks are led by the provincial
    committees only (for the communes they now lead directly), and the provincial tasks by 34 each."""
    d = after.duties
    level = after.levels.name[after.units.level[d.unit]]
    task = after.tasks.id[d.task]
    lead = d.role == 0
    assert set(level[lead & (task == "dang.district")].tolist()) == {"party_province"}
    assert set(level[lead & (task == "mt.district")].tolist()) == {"front_province"}
    assert int((lead & (task == "dang.province")).sum()) == 34


def test_commune_committees_follow_the_communes(after: Apparatus) -> None:
    """After the plan every new commune but Hoàng Sa has one Party and one Front committee, each
    leading its task for that commune alone; Hoàng Sa's are led by Đà Nẵng's provincial committees."""
    u, d = after.units, after.duties
    communes = set(np.flatnonzero(u.level == after.levels.index["commune"]).tolist())
    hoang_sa = int(np.flatnonzero(u.name == "Đặc khu Hoàng Sa")[0])
    for level, task in (("party_commune", "dang.commune"), ("front_commune", "mt.commune")):
        rows = np.flatnonzero(u.level == after.levels.index[level])
        assert Counter(u.parent[rows].tolist()) == dict.fromkeys(communes - {hoang_sa}, 1)
        lead = (d.task == after.tasks.index[task]) & (d.role == 0)
        holders = u.level[d.unit[lead]]
        assert Counter(after.levels.name[holders].tolist()) == {
            level: 3320,
            level.replace("commune", "province"): 1,
        }
        assert (d.scope[lead & np.isin(d.unit, rows)] < 0).all()
