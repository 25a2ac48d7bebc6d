"""How long ``apply`` takes on a plan the size of Vietnam's 2025 reform.

The apparatus is generated here (vectorized, seeded): a nation, 63 provinces, 700 districts and
10,035 communes; about 71,000 agencies (ministries and their departments, provincial departments,
district offices, commune offices); 300 tasks led at the four levels (national tasks by ministries,
provincial ones by departments, district ones by offices, commune ones by communes), plus support
duties: about a million duties; a million people. Communes of a province lie on a grid (rook
neighbours). The plan, like the reform: abolish the district level (duties down), 471 splits,
about 3,300 merges of adjacent communes, 29 province merges: about 3,800 operations.

The figure to compare against is ``invariants.check`` on the result, measured in the same run: apply
does all its per-operation checking plus one full structural check, so a small multiple of it is right.

Run: .venv/bin/python benchmarks/apply_scale.py [--seed N]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

from reorg.model import (
    Apparatus,
    DatasetInfo,
    Duties,
    Levels,
    Neighbours,
    People,
    Results,
    Standards,
    Tasks,
    Units,
)
from reorg.plan import AbolishLevel, Merge, NewUnit, Plan, Split, SplitPart, apply, check, diff
from reorg.plan.invariants import STRUCTURAL

PROVINCES, DISTRICTS, COMMUNES = 63, 700, 10_035
MINISTRIES, MINISTRY_DEPTS, PROVINCE_DEPTS, DISTRICT_OFFICES, COMMUNE_OFFICES = 20, 50, 20, 12, 6
TASKS = {"nation": 100, "province": 100, "district": 60, "commune": 40}
PEOPLE = 1_000_000
LEVELS = [
    ("nation", 0, True), ("ministry", 1, False), ("province", 1, True), ("department", 2, False),
    ("district", 2, True), ("office", 3, False), ("commune", 3, True), ("commune office", 4, False),
]  # fmt: skip


def _text(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{i}" for i in range(n)], dtype=object)


def generate(seed: int) -> tuple[Apparatus, dict[str, np.ndarray]]:
    """The apparatus and the rows of each level (for building the plan)."""
    rng = np.random.default_rng(seed)
    province_of_district = np.sort(rng.integers(0, PROVINCES, DISTRICTS))
    province_of_district[:PROVINCES] = np.arange(PROVINCES)
    province_of_district.sort()
    district_of_commune = np.sort(rng.integers(0, DISTRICTS, COMMUNES))
    district_of_commune[:DISTRICTS] = np.arange(DISTRICTS)
    district_of_commune.sort()
    sizes = {
        "nation": 1, "ministry": MINISTRIES, "province": PROVINCES,
        "department": MINISTRIES * MINISTRY_DEPTS + PROVINCES * PROVINCE_DEPTS, "district": DISTRICTS,
        "office": DISTRICTS * DISTRICT_OFFICES, "commune": COMMUNES,
        "commune office": COMMUNES * COMMUNE_OFFICES,
    }  # fmt: skip
    start = dict(zip(sizes, np.cumsum([0, *sizes.values()])[:-1].tolist(), strict=True))
    rows = {k: np.arange(start[k], start[k] + n) for k, n in sizes.items()}
    n = sum(sizes.values())
    parent = np.full(n, -1, dtype=np.int64)
    parent[rows["ministry"]] = 0
    parent[rows["province"]] = 0
    dept = rows["department"]
    parent[dept[: MINISTRIES * MINISTRY_DEPTS]] = rows["ministry"][
        np.repeat(np.arange(MINISTRIES), MINISTRY_DEPTS)
    ]
    parent[dept[MINISTRIES * MINISTRY_DEPTS :]] = rows["province"][
        np.repeat(np.arange(PROVINCES), PROVINCE_DEPTS)
    ]
    parent[rows["district"]] = rows["province"][province_of_district]
    parent[rows["office"]] = rows["district"][np.repeat(np.arange(DISTRICTS), DISTRICT_OFFICES)]
    parent[rows["commune"]] = rows["district"][district_of_commune]
    parent[rows["commune office"]] = rows["commune"][np.repeat(np.arange(COMMUNES), COMMUNE_OFFICES)]
    level = np.concatenate([np.full(s, i) for i, s in enumerate(sizes.values())])
    area = np.full(n, np.nan)
    population = np.full(n, np.nan)
    area[rows["commune"]] = rng.uniform(5, 200, COMMUNES).round(1)
    population[rows["commune"]] = rng.integers(2_000, 30_000, COMMUNES)
    units = Units(
        id=_text("u", n), name=_text("Unit ", n), level=level.astype(np.int32),
        kind=np.full(n, "", dtype=object), parent=parent.astype(np.int32),
        quota=rng.integers(5, 60, n).astype(float), area_km2=area, population=population,
        lat=rng.uniform(8, 23, n), lon=rng.uniform(102, 110, n),
    )  # fmt: skip
    duties = _duties(rows, rng)
    people_unit = rng.integers(0, n, PEOPLE)
    people = People(
        id=_text("p", PEOPLE), unit=people_unit.astype(np.int32), position=np.full(PEOPLE, "", dtype=object),
        grade=np.full(PEOPLE, "", dtype=object), birth_date=np.full(PEOPLE, "NaT", dtype="datetime64[D]"),
        gender=np.full(PEOPLE, "", dtype=object), service_start=np.full(PEOPLE, "NaT", dtype="datetime64[D]"),
        salary_coefficient=np.full(PEOPLE, np.nan),
    )  # fmt: skip
    app = Apparatus(
        levels=Levels(
            name=np.array([x[0] for x in LEVELS], dtype=object),
            rank=np.array([x[1] for x in LEVELS], dtype=np.int32),
            territorial=np.array([x[2] for x in LEVELS]),
            attached=np.zeros(len(LEVELS), dtype=bool),
        ),
        units=units,
        tasks=Tasks(
            id=_text("t", sum(TASKS.values())),
            name=_text("Task ", sum(TASKS.values())),
            field=np.full(sum(TASKS.values()), "", dtype=object),
            parent=np.full(sum(TASKS.values()), -1, dtype=np.int32),
            legal_basis=np.full(sum(TASKS.values()), "", dtype=object),
        ),
        duties=duties,
        people=people,
        results=Results(
            person=np.zeros(0, np.int32),
            period=np.zeros(0, object),
            indicator=np.zeros(0, object),
            target=np.zeros(0),
            actual=np.zeros(0),
            weight=np.zeros(0),
        ),
        neighbours=_grid(rows, province_of_district, district_of_commune),
        standards=Standards(
            level=np.zeros(0, np.int32),
            kind=np.zeros(0, dtype=object),
            unit_class=np.zeros(0, dtype=object),
            min_area_km2=np.zeros(0),
            min_population=np.zeros(0),
            max_units=np.zeros(0),
        ),
        info=DatasetInfo(name="bench", synthetic=("units", "duties", "people")),
    )
    return app, rows


def _duties(rows: dict[str, np.ndarray], rng: np.random.Generator) -> Duties:
    """Leads at four levels (each task led once per place) and support duties of commune offices."""
    first = np.cumsum([0, *TASKS.values()])
    t_nat, t_prov, t_dist, t_comm = (np.arange(first[i], first[i + 1]) for i in range(4))
    ministries = rows["ministry"][t_nat % MINISTRIES]
    prov_depts = rows["department"][MINISTRIES * MINISTRY_DEPTS :].reshape(PROVINCES, PROVINCE_DEPTS)
    prov_lead = prov_depts[:, t_prov % PROVINCE_DEPTS]
    offices = rows["office"].reshape(DISTRICTS, DISTRICT_OFFICES)[:, (t_dist - first[2]) % DISTRICT_OFFICES]
    communes = np.repeat(rows["commune"], len(t_comm))
    comm_off = rows["commune office"]
    support_task = rng.integers(first[3], first[4], (len(comm_off), 8))
    unit = np.concatenate([ministries, prov_lead.ravel(), offices.ravel(), communes, np.repeat(comm_off, 8)])
    task = np.concatenate([t_nat, np.tile(t_prov, PROVINCES), np.tile(t_dist, DISTRICTS),
                           np.tile(t_comm, COMMUNES), support_task.ravel()])  # fmt: skip
    role = np.concatenate(
        [np.zeros(len(unit) - support_task.size, np.int8), np.ones(support_task.size, np.int8)]
    )
    pairs = np.unique(np.stack([unit, task, role]), axis=1)
    return Duties(
        unit=pairs[0].astype(np.int32), task=pairs[1].astype(np.int32), role=pairs[2].astype(np.int8),
        scope=np.full(pairs.shape[1], -1, np.int32), legal_basis=np.full(pairs.shape[1], "", dtype=object),
    )  # fmt: skip


def _grid(
    rows: dict[str, np.ndarray], province_of_district: np.ndarray, district_of_commune: np.ndarray
) -> Neighbours:
    """Each province's communes on a grid of rows of width ``ceil(sqrt(n))``, rook neighbours; provinces
    in a chain, the last commune of each touching the first of the next."""
    province = province_of_district[district_of_commune]
    a, b = [], []
    for p in range(PROVINCES):
        members = rows["commune"][province == p]
        w = int(np.ceil(np.sqrt(len(members))))
        i = np.arange(len(members))
        right = i[(i % w < w - 1) & (i + 1 < len(members))]
        down = i[i + w < len(members)]
        a += [members[right], members[down]]
        b += [members[right + 1], members[down + w]]
    first = [rows["commune"][province == p][0] for p in range(PROVINCES)]
    last = [rows["commune"][province == p][-1] for p in range(PROVINCES)]
    a += [np.array(last[:-1]), rows["province"][:-1]]
    b += [np.array(first[1:]), rows["province"][1:]]
    aa, bb = np.concatenate(a), np.concatenate(b)
    return Neighbours(a=aa.astype(np.int32), b=bb.astype(np.int32), border_km=np.full(len(aa), 3.0))


def reform(app: Apparatus, rows: dict[str, np.ndarray], rng: np.random.Generator) -> Plan:
    """Abolish districts, split 471 communes, merge grid triples of communes, merge provinces in pairs."""
    ids = app.units.id
    ops: list[object] = [AbolishLevel(level="district", duties="down", people="up")]
    communes = rows["commune"]
    split = set(rng.choice(communes, 471, replace=False).tolist())
    for c in sorted(split):
        ops.append(Split(unit=str(ids[c]), parts=(SplitPart(str(ids[c]), 0.6), SplitPart(f"{ids[c]}b", 0.4))))
    province = app.units.parent[app.units.parent[communes]]
    for p in np.unique(province):
        members = communes[province == p]
        w = int(np.ceil(np.sqrt(len(members))))
        for start in range(0, len(members) - 2, 3):
            row_ok = (start % w) + 2 < w
            if row_ok:
                trio = [str(ids[c]) for c in members[start : start + 3]]
                ops.append(Merge(units=tuple(trio), into=NewUnit(trio[0], f"New {trio[0]}")))
    provinces = rows["province"]
    depts = rows["department"][MINISTRIES * MINISTRY_DEPTS :].reshape(PROVINCES, PROVINCE_DEPTS)
    for i in range(0, 58, 2):
        for j in range(PROVINCE_DEPTS):  # a department takes over its counterpart's work first
            keep, other = str(ids[depts[i, j]]), str(ids[depts[i + 1, j]])
            ops.append(Merge(units=(keep, other), into=NewUnit(keep, f"New {keep}")))
        a, b = str(ids[provinces[i]]), str(ids[provinces[i + 1]])
        ops.append(Merge(units=(a, b), into=NewUnit(a, f"New {a}")))
    return Plan(baseline="bench", operations=tuple(ops), name="bench-reform")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--vietnam",
        type=float,
        metavar="SCALE",
        help="also apply the enacted-2025 plan to vietnam-2024 at SCALE",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    app, rows = generate(args.seed)
    plan = reform(app, rows, np.random.default_rng(args.seed))
    t1 = time.perf_counter()
    counts = app.counts()
    print(f"apparatus: {counts['units']:,} units, {counts['duties']:,} duties, {counts['people']:,} people "
          f"(generated in {t1 - t0:.1f} s)")  # fmt: skip
    kinds: dict[str, int] = {}
    for op in plan.operations:
        kinds[op.op] = kinds.get(op.op, 0) + 1
    print(f"plan: {len(plan.operations):,} operations {kinds}")
    t2, c2 = time.perf_counter(), time.process_time()
    after = apply(app, plan)
    t3, c3 = time.perf_counter(), time.process_time()
    violations = check(dataclasses.replace(after), STRUCTURAL)  # a fresh copy: no cached indexes
    t4 = time.perf_counter()
    print(f"after: {after.units_per_level()}")
    print(f"apply: {t3 - t2:.2f} s ({c3 - c2:.2f} s of CPU: the machine may be shared)")
    print(f"anchor, check(after, structural) alone: {t4 - t3:.2f} s ({len(violations)} violations); "
          f"ratio {(t3 - t2) / max(t4 - t3, 1e-9):.1f}x")  # fmt: skip
    t5 = time.perf_counter()
    changes = diff(app, after)
    print(f"diff: {time.perf_counter() - t5:.2f} s ({len(changes.people_moved):,} people moved)")
    if args.vietnam:
        _vietnam(args.vietnam)


def _vietnam(scale: float) -> None:
    """The enacted 2025 plan on the vietnam-2024 dataset (built by reorg.datasets.vietnam)."""
    from reorg.datasets import vietnam

    app = vietnam.build(scale=scale)
    plan = vietnam.enacted_plan(app)
    counts = app.counts()
    t, c = time.perf_counter(), time.process_time()
    apply(app, plan)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    size = f"scale {scale}: {counts['units']:,} units, {counts['people']:,} people"
    print(
        f"enacted-2025 on vietnam-2024 ({size}), {len(plan.operations):,} operations: "
        f"{wall:.2f} s ({cpu:.2f} s CPU)"
    )


if __name__ == "__main__":
    main()
