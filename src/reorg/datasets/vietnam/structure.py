"""The 2024 apparatus without staff: units, levels, tasks, duties, neighbours and standards.

Tree (rows in preorder)::

    vn  Chính phủ (nation: the whole country)
    ├── 30 central bodies (level ministry; kind Bộ / Cơ quan ngang bộ / Cơ quan thuộc Chính phủ)
    ├── 16 Party central bodies (level party_central: 7 commissions, the Office, ...)
    ├── 14 National Assembly bodies (level na_body: the Ethnic Council, 9 committees, 2 boards, 2 units)
    ├── the Fatherland Front (front_central) and 6 mass organisations (mass_org)
    └── 63 provinces
        ├── 18 departments (level department, kind Sở), mirroring central bodies
        ├── the provincial Party committee (party_province) and Front committee (front_province)
        └── districts
            ├── 12 district offices (level district_office, kind Phòng), mirroring central bodies
            ├── the district Party committee (party_district) and Front committee (front_district)
            └── communes
                └── the commune Party committee (party_commune) and Front committee (front_commune)

Each level belongs to one branch of the political system (``BRANCHES``: party, state, legislature,
front): a unit's branch is its level's, which merges and splits keep (a unit attribute is a number that
merges add up, so it cannot carry a branch).

Duties: each central body leads its national fields for the whole country; each department, district
office and commune leads the local tasks of its level for its own territory (``local_tasks.csv``); the
five island districts without communes lead the commune tasks themselves, and their Party and Front
committees the commune committees' tasks. Each Party and Front committee leads its level's task for its
territory (the committee's parent).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np

from reorg.datasets.vietnam import catalogue, ids
from reorg.datasets.vietnam.neighbours import lift_edges
from reorg.datasets.vietnam.territory import Territory
from reorg.datasets.vietnam.territory import load as load_territory
from reorg.model import (
    Apparatus,
    DatasetInfo,
    DutyRow,
    LevelRow,
    NeighbourRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.plan.kinds import class_attribute

__all__ = [
    "AGENCY_KINDS",
    "BRANCHES",
    "COMMITTEES",
    "COMMITTEE_SOURCES",
    "ISLAND",
    "LEVELS",
    "LOCAL_COMMITTEES",
    "MOUNTAINOUS",
    "STANDARDS",
    "STANDARD_SOURCES",
    "load",
    "task_legal_basis",
]

#: the levels; those of the Party, the National Assembly and the Front (the mass organisations too,
#: which sit under the nation until the 2025 reform puts them under the Front) sit under a state unit
#: (the nation, a province, a district, a commune) for its territory, not under its direction: they are
#: *attached*, so they are not in its span of control nor among its departments
LEVELS = (
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1, False),
    LevelRow("province", 1, True),
    LevelRow("department", 2, False),
    LevelRow("district", 2, True),
    LevelRow("district_office", 3, False),
    LevelRow("commune", 3, True),
    LevelRow("party_central", 1, False, attached=True),
    LevelRow("na_body", 1, False, attached=True),
    LevelRow("front_central", 1, False, attached=True),
    LevelRow("mass_org", 2, False, attached=True),
    LevelRow("party_province", 2, False, attached=True),
    LevelRow("front_province", 2, False, attached=True),
    LevelRow("party_district", 3, False, attached=True),
    LevelRow("front_district", 3, False, attached=True),
    LevelRow("party_commune", 4, False, attached=True),
    LevelRow("front_commune", 4, False, attached=True),
)

#: the branch of the political system of each level: every unit belongs to its level's branch
BRANCHES = {
    "nation": "state",
    "ministry": "state",
    "province": "state",
    "department": "state",
    "district": "state",
    "district_office": "state",
    "commune": "state",
    "party_central": "party",
    "party_province": "party",
    "party_district": "party",
    "party_commune": "party",
    "na_body": "legislature",
    "front_central": "front",
    "mass_org": "front",
    "front_province": "front",
    "front_district": "front",
    "front_commune": "front",
}

#: the Party and Front committees inside each province, district and commune: level -> (id suffix, kind,
#: name); ``COMMITTEE_SOURCES`` gives the citation keys of each level (the README's source tables)
COMMITTEES = {
    "party_province": ("dang-bo", "Đảng bộ cấp tỉnh", "Đảng bộ"),
    "front_province": ("mat-tran", "Ủy ban Mặt trận Tổ quốc cấp tỉnh", "Ủy ban Mặt trận Tổ quốc"),
    "party_district": ("dang-bo", "Đảng bộ cấp huyện", "Đảng bộ"),
    "front_district": ("mat-tran", "Ủy ban Mặt trận Tổ quốc cấp huyện", "Ủy ban Mặt trận Tổ quốc"),
    "party_commune": ("dang-bo", "Đảng bộ cấp xã", "Đảng bộ"),
    "front_commune": ("mat-tran", "Ủy ban Mặt trận Tổ quốc cấp xã", "Ủy ban Mặt trận Tổ quốc"),
}
COMMITTEE_SOURCES = {
    "party_province": "CF23 LDAG",
    "front_province": "LD301 TVPL301",
    "party_district": "LD31a BN31",
    "front_district": "BHD31",
    "party_commune": "LD31a BN31 LD31b DNHS",
    "front_commune": "LD301 BHD31 LD03",
}
#: the committee levels of each territorial level, in the order they are built
LOCAL_COMMITTEES = {
    "province": ("party_province", "front_province"),
    "district": ("party_district", "front_district"),
    "commune": ("party_commune", "front_commune"),
}

#: kinds of the agencies below the centre
AGENCY_KINDS = {"department": "Sở", "district_office": "Phòng"}

#: the unit kinds of the package (its ``type`` of each unit) that standards name
WARD, TOWNSHIP, COMMUNE, SPECIAL_ZONE, CITY = "Phường", "Thị trấn", "Xã", "Đặc khu", "Thành phố"
#: the class of the communes that went into a 2025 special zone (đặc khu), the island units; a commune
#: carries ``island_km2`` (its area if it went into one, else 0; see the README)
ISLAND = "island"
#: the class of mountainous and highland units; no unit of the dataset carries it (the package does not
#: say which communes are mountainous), so the row only applies to data that adds ``mountainous_km2``
MOUNTAINOUS = "mountainous"

#: NASC Res. 112/2025/UBTVQH15 (= the thresholds derived from Res. 76/2025), shared reference §2.2
#: [LD15, LD16, VR1]: per kind of unit and class, the most specific applying. The level rows are the
#: standards of a province and of a commune that are neither mountainous nor island; townships (thị
#: trấn, abolished in 2025) have no row of their own and are judged as other communes; special zones
#: (đặc khu, the island units of 2025) are judged by the island commune standard [U: an assumption,
#: the reference gives no standard of their own].
STANDARDS = (
    StandardRow("province", min_area_km2=5000.0, min_population=1_400_000.0),
    StandardRow("province", min_area_km2=2500.0, min_population=2_500_000.0, kind=CITY),
    StandardRow("province", min_area_km2=8000.0, min_population=900_000.0, unit_class=MOUNTAINOUS),
    StandardRow("commune", min_area_km2=30.0, min_population=16_000.0),
    StandardRow("commune", min_area_km2=5.5, min_population=21_000.0, kind=WARD),
    StandardRow("commune", min_area_km2=15.0, min_population=2_500.0, kind=SPECIAL_ZONE),
    StandardRow("commune", min_area_km2=100.0, min_population=5_000.0, unit_class=MOUNTAINOUS),
    StandardRow("commune", min_area_km2=15.0, min_population=2_500.0, unit_class=ISLAND),
)

#: where each standards row comes from, by (level, kind, class): the citation keys of the README
STANDARD_SOURCES = {
    ("province", "", ""): "Res. 112/2025/UBTVQH15, other provinces [LD15, LD16]",
    ("province", CITY, ""): "Res. 112/2025/UBTVQH15, centrally-run cities [LD15, LD16]",
    ("province", "", MOUNTAINOUS): "Res. 112/2025/UBTVQH15, mountainous provinces [LD15, LD16]",
    ("commune", "", ""): "Res. 112/2025/UBTVQH15 = Res. 76/2025 derived, other communes [LD15, LD16, VR1]",
    ("commune", WARD, ""): "Res. 112/2025/UBTVQH15, wards; Res. 76/2025 [LD15, LD16, VR1]",
    ("commune", SPECIAL_ZONE, ""): "island commune standard of Res. 112/2025 applied to special zones [U]",
    ("commune", "", MOUNTAINOUS): "Res. 112/2025/UBTVQH15, mountainous communes [LD15, LD16, VR1]",
    ("commune", "", ISLAND): "Res. 112/2025/UBTVQH15, island communes [LD15, LD16]",
}

NAN = math.nan
MODEL_NOTE = "modelling assumption: the local share of a national field (see the dataset README)"


def task_legal_basis(t: catalogue.NationalTask) -> str:
    """The legal basis column of a national task: the decree, the citation keys, and [U] when the
    fields were not retrieved from the decree."""
    keys = f" [{t.sources}]" if t.sources else ""
    return f"{t.legal_basis}{keys}" + (" [U]" if t.confidence == "U" else "")


def _tasks(cat: catalogue.Catalogue) -> list[TaskRow]:
    national = {t.id: t for t in cat.national_tasks}
    rows = [
        TaskRow(t.id, t.name, t.lead or t.level, "", task_legal_basis(t))
        for t in (*cat.national_tasks, *cat.political_tasks)
    ]
    for t in cat.local_tasks:
        field = national[t.field]
        rows.append(TaskRow(t.id, t.name, field.lead, "", f"{MODEL_NOTE}; field: {task_legal_basis(field)}"))
    return rows


def _central(cat: catalogue.Catalogue) -> Iterator[UnitRow | DutyRow]:
    for b in cat.bodies:
        yield UnitRow(b.id, b.name, "ministry", kind=b.kind, parent_id=ids.ROOT)
    for p in cat.political_bodies:
        yield UnitRow(p.id, p.name, p.level, kind=p.kind, parent_id=p.parent)
    for t in (*cat.national_tasks, *cat.political_tasks):
        if not t.lead:
            continue  # led by the local committees of its level
        basis = task_legal_basis(t)
        yield DutyRow(t.lead, t.id, "lead", legal_basis=basis)
        for s in t.supports:
            yield DutyRow(s, t.id, "support", legal_basis=basis)
    for shared in cat.shared_leads:
        keys = f" [{shared.sources}] [{shared.confidence}]"
        yield DutyRow(shared.unit, shared.task, "lead", legal_basis=shared.legal_basis + keys)


#: per committee level, the tasks its committees lead: (task id, legal basis)
LevelTasks = dict[str, tuple[tuple[str, str], ...]]


def _level_tasks(cat: catalogue.Catalogue) -> LevelTasks:
    out: dict[str, list[tuple[str, str]]] = {level: [] for level in COMMITTEES}
    for t in cat.political_tasks:
        if t.level:
            out[t.level].append((t.id, task_legal_basis(t)))
    return {level: tuple(tasks) for level, tasks in out.items()}


def _committees(
    unit_id: str, place: str, levels: tuple[str, ...], led: LevelTasks
) -> Iterator[UnitRow | DutyRow]:
    """The Party and Front committees of territorial unit ``unit_id`` (levels of ``COMMITTEES``), each
    leading its level's tasks for that territory."""
    where = ids.locative(place)
    for level in levels:
        suffix, kind, name = COMMITTEES[level]
        cid = ids.agency(unit_id, suffix)
        yield UnitRow(cid, f"{name} {where}", level, kind=kind, parent_id=unit_id)
        for task, basis in led[level]:
            yield DutyRow(cid, task, "lead", legal_basis=basis)


def _province(
    terr: Territory, p: int, cat: catalogue.Catalogue, led: LevelTasks
) -> Iterator[UnitRow | DutyRow]:
    """A province, its departments, its districts (with their offices and communes) and their duties."""
    prov = terr.data.provinces
    pid = ids.province(str(prov.code[p]))
    area, pop = _sums(terr, terr.province == p)
    yield UnitRow(
        pid,
        str(prov.name[p]),
        "province",
        kind=str(prov.type[p]),
        parent_id=ids.ROOT,
        area_km2=area,
        population=pop,
        lat=float(prov.lat[p]),
        lon=float(prov.lon[p]),
    )
    yield from _agencies(pid, str(prov.name[p]), "department", [d for d in cat.departments if d.in_2024])
    yield from _committees(pid, str(prov.name[p]), LOCAL_COMMITTEES["province"], led)
    for t in cat.local_tasks:
        if t.level in ("province", "both"):
            yield DutyRow(ids.agency(pid, t.department), t.id, "lead", legal_basis=MODEL_NOTE)
    for d in np.flatnonzero(terr.data.districts.parent == p).tolist():
        yield from _district(terr, d, pid, cat, led)


def _agencies(
    parent: str, place: str, level: str, types: Iterable[catalogue.Department]
) -> Iterator[UnitRow]:
    """One agency of each type inside territorial unit ``parent``, named "<type> <place>"."""
    where = ids.locative(place)
    for a in types:
        yield UnitRow(
            ids.agency(parent, a.id), f"{a.name} {where}", level, kind=AGENCY_KINDS[level], parent_id=parent
        )


def _district(
    terr: Territory, d: int, pid: str, cat: catalogue.Catalogue, led: LevelTasks
) -> Iterator[UnitRow | DutyRow]:
    dist = terr.data.districts
    did = ids.district(str(dist.code[d]))
    area, pop = _sums(terr, terr.district == d)
    yield UnitRow(
        did,
        str(dist.name[d]),
        "district",
        kind=str(dist.type[d]),
        parent_id=pid,
        area_km2=area,
        population=pop,
        lat=float(dist.lat[d]),
        lon=float(dist.lon[d]),
    )
    yield from _agencies(did, str(dist.name[d]), "district_office", cat.district_offices)
    yield from _committees(did, str(dist.name[d]), LOCAL_COMMITTEES["district"], led)
    for t in cat.local_tasks:
        if t.level in ("district", "both"):
            yield DutyRow(ids.agency(did, t.district_office), t.id, "lead", legal_basis=MODEL_NOTE)
    communes = np.flatnonzero(terr.district[: terr.n_communes] == d).tolist()
    commune_tasks = [t.id for t in cat.local_tasks if t.level == "commune"]
    # each district office supports (guides, supervises) the commune tasks of the fields it mirrors
    for office in cat.district_offices:
        for t in cat.local_tasks:
            if t.level == "commune" and t.field.split(".")[0] in office.mirrors:
                yield DutyRow(ids.agency(did, office.id), t.id, "support", legal_basis=MODEL_NOTE)
    if not communes:  # an island district without communes does the commune tasks itself
        for task in commune_tasks:
            yield DutyRow(did, task, "lead", legal_basis=MODEL_NOTE)
        # and its committees those of the commune committees (derived: see the README)
        for district_level, commune_level in zip(
            LOCAL_COMMITTEES["district"], LOCAL_COMMITTEES["commune"], strict=True
        ):
            committee = ids.agency(did, COMMITTEES[district_level][0])
            for task, basis in led[commune_level]:
                yield DutyRow(committee, task, "lead", legal_basis=basis)
    com = terr.data.communes
    for c in communes:
        cid = ids.commune(str(com.code[c]))
        yield UnitRow(
            cid,
            str(com.name[c]),
            "commune",
            kind=str(com.type[c]),
            parent_id=did,
            area_km2=float(terr.area_km2[c]),
            population=float(terr.population[c]),
            lat=float(terr.lat[c]),
            lon=float(terr.lon[c]),
            attributes=((class_attribute(ISLAND), float(terr.area_km2[c]) if terr.zone[c] >= 0 else 0.0),),
        )
        for task in commune_tasks:
            yield DutyRow(cid, task, "lead", legal_basis=MODEL_NOTE)
        yield from _committees(cid, str(com.name[c]), LOCAL_COMMITTEES["commune"], led)


def _sums(terr: Territory, mask: np.ndarray) -> tuple[float, float]:
    """Area and population of the sources in ``mask`` (km², people; population NaN if none known)."""
    pop = terr.population[mask]
    known = np.isfinite(pop)
    return float(terr.area_km2[mask].sum()), float(pop[known].sum()) if known.any() else NAN


def _neighbours(terr: Territory) -> list[NeighbourRow]:
    """Commune pairs, then the district and province pairs they imply (border length unknown)."""
    data = terr.data
    n = terr.n_communes
    e = terr.edges[(terr.edges[:, 0] < n) & (terr.edges[:, 1] < n)]
    code = data.communes.code
    rows = [NeighbourRow(ids.commune(str(code[a])), ids.commune(str(code[b]))) for a, b in e.tolist()]
    for a, b in lift_edges(terr.edges, terr.district).tolist():
        rows.append(
            NeighbourRow(ids.district(str(data.districts.code[a])), ids.district(str(data.districts.code[b])))
        )
    for a, b in lift_edges(terr.edges, terr.province).tolist():
        rows.append(
            NeighbourRow(ids.province(str(data.provinces.code[a])), ids.province(str(data.provinces.code[b])))
        )
    return rows


@lru_cache(maxsize=1)
def load() -> Apparatus:
    """The staff-less 2024 apparatus (built once per process)."""
    terr = load_territory()
    cat = catalogue.load()
    area, pop = _sums(terr, np.ones(len(terr.area_km2), dtype=bool))
    rows: list[UnitRow | DutyRow] = [
        UnitRow(ids.ROOT, ids.ROOT_NAME, "nation", kind=ids.ROOT_NAME, area_km2=area, population=pop)
    ]
    rows.extend(_central(cat))
    led = _level_tasks(cat)
    for p in range(len(terr.data.provinces.key)):
        rows.extend(_province(terr, p, cat, led))
    return build_apparatus(
        levels=LEVELS,
        units=[r for r in rows if isinstance(r, UnitRow)],
        tasks=_tasks(cat),
        duties=[r for r in rows if isinstance(r, DutyRow)],
        neighbours=_neighbours(terr),
        standards=STANDARDS,
        info=DatasetInfo(),
    )
