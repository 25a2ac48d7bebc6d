"""A small clean apparatus with known defects planted in it, to test that a diagnosis finds every defect
and nothing else.

The clean part is a balanced tree::

    nation VN ── ministries M0..       each leads 6 national tasks N<i>.<j> (field "national <i>")
              └─ provinces P0.. ──┬─ departments P<p>.D<k>   each leads 3 tasks R<k>.<j> for its province
                                  │                          (field "provincial <k>"), supported by M<k>
                                  └─ districts P<p>.X<d> ─── communes P<p>.X<d>.C<c>
                                     lead DT.0-1 (field         lead CT.0-2 (field "commune")
                                     "district")

One lead per task and place, spans between 3 and 15, every territorial unit above its level's standards
(population and area spread evenly on a log scale over a factor of 8, from twice the standard up),
headcounts of 6 people per led task (±10 %) within quota.

Planted (each at places drawn from ``seed``; ``Planted`` records them): a national task also led by a
second ministry and a provincial task also led by one district; a task no one leads and a commune
without the lead of one commune task; two departments of one province, and a department and a
district, with identical portfolios; three offices under one commune (a branch deeper than the norm);
a district with one commune, one with two, one with many; a commune below the population standard; a
department over its quota; a commune with four times the staff; an extra department with no task; and
a provincial task led by every district instead of its department.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from reorg.model import (
    Apparatus,
    DatasetInfo,
    DutyRow,
    LevelRow,
    PersonRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)

__all__ = ["Planted", "planted"]

PER_TASK = 6  # people per led task in the clean part
#: level: (lowest population, lowest area km²) of the clean part; standards are half of these
BASE = {"province": (1_000_000.0, 2_000.0), "district": (100_000.0, 200.0), "commune": (5_000.0, 10.0)}
SPREAD = 8.0  # clean populations and areas span a factor of 8 above BASE


@dataclasses.dataclass(frozen=True)
class Planted:
    """One planted defect: the finding kind expected, and ids it must name (all of them)."""

    kind: str
    units: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    note: str = ""


@dataclasses.dataclass
class _Draft:
    """Rows being assembled."""

    units: list[UnitRow] = dataclasses.field(default_factory=list)
    tasks: list[TaskRow] = dataclasses.field(default_factory=list)
    duties: list[DutyRow] = dataclasses.field(default_factory=list)
    extra_people: dict[str, float] = dataclasses.field(default_factory=dict)
    quota_factor: dict[str, float] = dataclasses.field(default_factory=dict)
    fixed_people: dict[str, int] = dataclasses.field(default_factory=dict)


def _spread(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` factors evenly spaced over [1, SPREAD) on a log scale (so that no clean unit stands out),
    in random order."""
    q = (np.arange(n) + 0.5) / max(n, 1)
    return np.asarray(SPREAD ** rng.permutation(q))


def _territorial(
    draft: _Draft, rng: np.random.Generator, level: str, rows: list[tuple[str, str, str]]
) -> None:
    """Add territorial units (id, name, parent) of ``level`` with populations and areas above standard."""
    pop0, area0 = BASE[level]
    pops, areas = _spread(rng, len(rows)), _spread(rng, len(rows))
    for (uid, name, parent), p, a in zip(rows, pops, areas, strict=True):
        draft.units.append(
            UnitRow(
                uid, name, level, parent_id=parent, population=round(pop0 * p), area_km2=round(area0 * a, 1)
            )
        )


def planted(
    seed: int,
    *,
    ministries: int = 4,
    provinces: int = 6,
    departments: int = 4,
    districts: int = 4,
    communes: int = 5,
    wide: int = 18,
) -> tuple[Apparatus, list[Planted]]:
    """The apparatus and its planted defects (see the module docstring); the same seed gives the same
    output. Needs at least 4 ministries, 5 provinces, 4 departments and 3 districts per province, and
    3 to 15 communes per district (``wide`` communes, above 15, in the wide district)."""
    if ministries < 4 or provinces < 5 or departments < 4 or districts < 3 or not 3 <= communes <= 15:
        raise ValueError(
            "planted needs ministries>=4, provinces>=5, departments>=4, districts>=3, 3<=communes<=15"
        )
    if wide <= 15 or not 3 <= departments + districts <= 14 or ministries + provinces > 15:
        raise ValueError("planted: spans would leave the clean limits (3..15)")
    rng = np.random.default_rng(seed)
    draft = _Draft()
    found: list[Planted] = []
    p_dup, p_same, p_cross, p_idle, p_quota = (int(p) for p in rng.permutation(provinces)[:5])
    special = _pick_districts(rng, provinces, districts, p_dup, p_cross)
    sizes = dict.fromkeys(((p, d) for p in range(provinces) for d in range(districts)), communes)
    sizes[special["int"]], sizes[special["narrow"]], sizes[special["wide"]] = 1, 2, wide
    _skeleton(draft, rng, ministries, provinces, departments, districts, sizes)
    _tasks(draft, ministries, departments)
    _clean_duties(draft, ministries, provinces, departments, districts, sizes)
    regular = [(p, d) for (p, d) in sizes if (p, d) not in special.values()]
    picks = rng.permutation(len(regular))[:4]
    c_gap, c_small, c_deep, c_outlier = (_commune(regular[int(i)], rng.integers(communes)) for i in picks)
    found += _plant_responsibility(draft, p_dup, special["dup"], c_gap)
    found += _plant_overlap(draft, p_same, p_cross, special["cross"])
    found += _plant_structure(draft, special, c_deep)
    found += _plant_staffing(draft, c_small, p_quota, c_outlier, p_idle, departments)
    found += _plant_mismatch(draft, sizes)
    app = _assemble(draft, rng, seed)
    return app, found


def _district(key: tuple[int, int]) -> str:
    return f"P{key[0]}.X{key[1]}"


def _commune(key: tuple[int, int], c: int | np.integer) -> str:
    return f"{_district(key)}.C{int(c)}"


def _pick_districts(
    rng: np.random.Generator, provinces: int, districts: int, p_dup: int, p_cross: int
) -> dict[str, tuple[int, int]]:
    """Distinct districts for the district-level plants: one in ``p_dup``, one in ``p_cross``, and the
    intermediary, narrow and wide ones anywhere else."""
    dup = (p_dup, int(rng.integers(districts)))
    cross = (p_cross, int(rng.integers(districts)))
    rest = [(p, d) for p in range(provinces) for d in range(districts) if (p, d) not in (dup, cross)]
    a, b, c = (rest[int(i)] for i in rng.permutation(len(rest))[:3])
    return {"dup": dup, "cross": cross, "int": a, "narrow": b, "wide": c}


def _skeleton(
    draft: _Draft,
    rng: np.random.Generator,
    ministries: int,
    provinces: int,
    departments: int,
    districts: int,
    sizes: dict[tuple[int, int], int],
) -> None:
    """The clean unit tree."""
    draft.units.append(UnitRow("VN", "Nation", "nation"))
    draft.units += [UnitRow(f"M{i}", f"Ministry {i}", "ministry", parent_id="VN") for i in range(ministries)]
    _territorial(draft, rng, "province", [(f"P{p}", f"Province {p}", "VN") for p in range(provinces)])
    draft.units += [
        UnitRow(f"P{p}.D{k}", f"Department {k} of Province {p}", "department", parent_id=f"P{p}")
        for p in range(provinces)
        for k in range(departments)
    ]
    rows = [(f"P{p}.X{d}", f"District {p}.{d}", f"P{p}") for p in range(provinces) for d in range(districts)]
    _territorial(draft, rng, "district", rows)
    rows = [
        (_commune(key, c), f"Commune {key[0]}.{key[1]}.{c}", _district(key))
        for key, n in sizes.items()
        for c in range(n)
    ]
    _territorial(draft, rng, "commune", rows)


def _tasks(draft: _Draft, ministries: int, departments: int) -> None:
    """The clean task catalogue."""
    for i in range(ministries):
        draft.tasks += [
            TaskRow(f"N{i}.{j}", f"National task {i}.{j}", field=f"national {i}") for j in range(6)
        ]
    for k in range(departments):
        draft.tasks += [
            TaskRow(f"R{k}.{j}", f"Provincial task {k}.{j}", field=f"provincial {k}") for j in range(3)
        ]
    draft.tasks += [TaskRow(f"DT.{j}", f"District task {j}", field="district") for j in range(2)]
    draft.tasks += [TaskRow(f"CT.{j}", f"Commune task {j}", field="commune") for j in range(3)]


def _clean_duties(
    draft: _Draft,
    ministries: int,
    provinces: int,
    departments: int,
    districts: int,
    sizes: dict[tuple[int, int], int],
) -> None:
    """One lead per task and place; each ministry supports the provincial tasks of its field."""
    d = draft.duties
    d += [DutyRow(f"M{i}", f"N{i}.{j}") for i in range(ministries) for j in range(6)]
    d += [DutyRow(f"M{k % ministries}", f"R{k}.{j}", "support") for k in range(departments) for j in range(3)]
    d += [
        DutyRow(f"P{p}.D{k}", f"R{k}.{j}")
        for p in range(provinces)
        for k in range(departments)
        for j in range(3)
    ]
    d += [
        DutyRow(f"P{p}.X{x}", f"DT.{j}") for p in range(provinces) for x in range(districts) for j in range(2)
    ]
    d += [
        DutyRow(_commune(key, c), f"CT.{j}") for key, n in sizes.items() for c in range(n) for j in range(3)
    ]


def _plant_responsibility(draft: _Draft, p_dup: int, dup: tuple[int, int], c_gap: str) -> list[Planted]:
    """Two duplicated leads, a task no one leads, a commune missing one commune task's lead."""
    x = _district(dup)
    draft.duties += [DutyRow("M1", "N0.0"), DutyRow(x, "R0.0")]
    draft.tasks.append(TaskRow("T.orphan", "Orphan task", field="unassigned"))
    draft.duties.remove(DutyRow(c_gap, "CT.0"))
    return [
        Planted("multiple_leads", ("M0", "M1"), ("N0.0",), "a second ministry leads a national task"),
        Planted("multiple_leads", (f"P{p_dup}.D0", x), ("R0.0",), "a district leads its province's task"),
        Planted("no_lead", (), ("T.orphan",), "a task no one leads"),
        Planted("no_lead", (c_gap,), ("CT.0",), "a commune does not lead a commune task"),
    ]


def _plant_overlap(draft: _Draft, p_same: int, p_cross: int, cross: tuple[int, int]) -> list[Planted]:
    """Two departments of one province, and a department and a district, with identical portfolios."""
    d1, d2, d0, x = f"P{p_same}.D1", f"P{p_same}.D2", f"P{p_cross}.D0", _district(cross)
    draft.duties += [DutyRow(d1, f"R2.{j}", "support") for j in range(3)]
    draft.duties += [DutyRow(d2, f"R1.{j}", "support") for j in range(3)]
    draft.duties += [DutyRow(d0, f"DT.{j}", "support") for j in range(2)]
    draft.duties += [DutyRow(x, f"R0.{j}", "support") for j in range(3)]
    return [
        Planted("overlap", (d1, d2), (), "two departments support each other's tasks"),
        Planted("overlap", (d0, x), (), "a department and a district support each other's tasks"),
    ]


def _plant_structure(draft: _Draft, special: dict[str, tuple[int, int]], c_deep: str) -> list[Planted]:
    """Offices under a commune; the intermediary, narrow and wide districts were sized by the caller."""
    for j in range(3):
        office = f"{c_deep}.O{j}"
        draft.units.append(UnitRow(office, f"Office {j} of {c_deep}", "office", parent_id=c_deep))
        draft.duties.append(DutyRow(office, f"CT.{j}", "support"))
    return [
        Planted("deep_branch", (c_deep,), (), "three offices under a commune"),
        Planted("intermediary", (_district(special["int"]),), (), "a district with one commune"),
        Planted("narrow_span", (_district(special["narrow"]),), (), "a district with two communes"),
        Planted("wide_span", (_district(special["wide"]),), (), "a district with many communes"),
    ]


def _plant_staffing(
    draft: _Draft, c_small: str, p_quota: int, c_outlier: str, p_idle: int, departments: int
) -> list[Planted]:
    """A small commune, a department over quota, an overstaffed commune, a department with no task."""
    i = next(k for k, u in enumerate(draft.units) if u.id == c_small)
    pop = 0.8 * 0.5 * BASE["commune"][0]
    draft.units[i] = dataclasses.replace(draft.units[i], population=pop)
    over = f"P{p_quota}.D2"
    draft.quota_factor[over] = 0.8
    draft.extra_people[c_outlier] = 4.0
    idle = f"P{p_idle}.D{departments}"
    draft.units.append(
        UnitRow(idle, f"Department {departments} of Province {p_idle}", "department", parent_id=f"P{p_idle}")
    )
    draft.fixed_people[idle] = 3 * PER_TASK  # staffed like its siblings, with nothing to do
    return [
        Planted("below_standard", (c_small,), (), "population at 80% of the commune standard"),
        Planted("over_quota", (over,), (), "quota at 80% of headcount"),
        Planted("staffing_outlier", (c_outlier,), (), "four times the staff of its workload"),
        Planted("idle_unit", (idle,), (), "a department with people and no task"),
    ]


def _plant_mismatch(draft: _Draft, sizes: dict[tuple[int, int], int]) -> list[Planted]:
    """A provincial task of field ``provincial 3`` led by every district instead of department 3."""
    draft.tasks.append(TaskRow("R3.3", "Provincial task 3.3", field="provincial 3"))
    draft.duties += [DutyRow(_district(key), "R3.3") for key in sizes]
    return [Planted("level_mismatch", (), ("R3.3",), "led by the districts, unlike the rest of its field")]


def _assemble(draft: _Draft, rng: np.random.Generator, seed: int) -> Apparatus:
    """People and quotas from the final duties, standards from BASE, and the Apparatus."""
    led: dict[str, int] = {}
    for d in draft.duties:
        if d.role == "lead":
            led[d.unit_id] = led.get(d.unit_id, 0) + 1
    people: list[PersonRow] = []
    units: list[UnitRow] = []
    for u in draft.units:
        n = led.get(u.id, 0)
        count = round(PER_TASK * n * rng.uniform(0.9, 1.1) * draft.extra_people.get(u.id, 1.0))
        count = int(draft.fixed_people.get(u.id, count))
        people += [PersonRow(f"{u.id}#{k}", u.id) for k in range(count)]
        quota = (
            math.floor(count * draft.quota_factor[u.id])
            if u.id in draft.quota_factor
            else math.ceil(count * 1.1) + 1
        )
        units.append(dataclasses.replace(u, quota=float(quota)) if count else u)
    counts: dict[str, int] = {}
    for u in units:
        counts[u.level] = counts.get(u.level, 0) + 1
    standards = [StandardRow(lv, area / 2, pop / 2, 2.0 * counts[lv]) for lv, (pop, area) in BASE.items()]
    levels = [
        LevelRow("nation", 0, True),
        LevelRow("ministry", 1),
        LevelRow("province", 1, True),
        LevelRow("department", 2),
        LevelRow("district", 2, True),
        LevelRow("commune", 3, True),
        LevelRow("office", 4),
    ]
    info = DatasetInfo(
        name=f"planted-{seed}",
        description="a clean synthetic apparatus with planted defects (reorg.datasets.planted)",
        source="reorg.datasets.planted",
        synthetic=("units", "tasks", "duties", "people", "standards"),
    )
    return build_apparatus(
        levels=levels,
        units=units,
        tasks=draft.tasks,
        duties=draft.duties,
        people=people,
        standards=standards,
        info=info,
    )
