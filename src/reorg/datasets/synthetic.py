"""Synthetic apparatuses of any size, for benchmarks, demos and tests: every part is generated.

``generate`` builds, fully vectorized from one seed, a nation shaped like Vietnam's apparatus before the
2025 reform: a nation root; territorial levels province > district > commune; agencies (ministries under
the nation, departments under provinces, offices under districts) in about the proportions of the real
one (per 1,000 units: 1 ministry, 3 provinces, 60 departments, 35 districts, 410 offices, the rest
communes). Each agency works in one field; every task belongs to a field and is led at one level, in each
place by the agency of its field there (or the territorial unit itself where it has no agency), so that
there is mostly one lead per task and place. About 1% of leads are duplicated by the leading unit's parent
and 0.5% dropped, so that a diagnosis has something to find. People are spread over units in proportion
to their quotas, aged 22-62 on 2025-01-01, with civil-service grades and salary coefficients 2.34-8.0.
Communes neighbour communes of their own district, districts those of their province, provinces each other.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
from reorg.model.tables import LEAD, SUPPORT

__all__ = ["LEVELS", "REFERENCE_DATE", "generate"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Text = npt.NDArray[np.object_]

#: (name, rank, territorial), in row order of the generated units
LEVELS = (
    ("nation", 0, True),
    ("ministry", 1, False),
    ("province", 1, True),
    ("department", 2, False),
    ("district", 2, True),
    ("office", 3, False),
    ("commune", 3, True),
)
NATION, MINISTRY, PROVINCE, DEPARTMENT, DISTRICT, OFFICE, COMMUNE = range(7)
#: units of each level per unit of the whole (communes take the rest)
SHARES = {MINISTRY: 0.001, PROVINCE: 0.003, DEPARTMENT: 0.06, DISTRICT: 0.035, OFFICE: 0.41}
#: median approved headcount of a unit of each level
QUOTA = (120.0, 600.0, 90.0, 60.0, 45.0, 15.0, 22.0)
FIELDS = (
    "land", "health", "education", "finance", "transport", "agriculture", "justice", "culture", "labour",
    "environment", "industry", "construction", "home affairs", "information", "science", "planning",
    "ethnic affairs", "foreign affairs", "security", "defence",
)  # fmt: skip
#: grade, lowest and highest salary coefficient, raise per three years of service
GRADES = (("specialist", 2.34, 4.98, 0.33), ("principal specialist", 4.40, 6.78, 0.34),
          ("senior specialist", 6.20, 8.00, 0.36))  # fmt: skip
INDICATORS = ("tasks completed", "on-time rate", "citizen satisfaction", "documents processed")
REFERENCE_DATE = np.datetime64("2025-01-01", "D")
YEAR = 365.25
#: level, min area (km²), min population — after Vietnam's 2016 standards for plains units
STANDARDS = ((PROVINCE, 5000.0, 1_000_000.0), (DISTRICT, 450.0, 120_000.0), (COMMUNE, 30.0, 8_000.0))
PARTS = ("levels", "units", "tasks", "duties", "people", "results", "neighbours", "standards")


def _text(values: list[str]) -> Text:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _level_sizes(units: int) -> list[int]:
    """Units per level (row order of LEVELS) adding up to ``units``."""
    if units < 5:
        raise ValueError("a synthetic apparatus needs at least 5 units: nation, ministry, province, ...")
    at_least_one = (MINISTRY, PROVINCE, DISTRICT)
    sizes = [1]
    for lv in (MINISTRY, PROVINCE, DEPARTMENT, DISTRICT, OFFICE):
        sizes.append(max(1 if lv in at_least_one else 0, round(units * SHARES[lv])))
    sizes.append(units - sum(sizes))
    for agency in (OFFICE, DEPARTMENT):  # communes must cover every district
        take = min(sizes[agency], max(0, sizes[DISTRICT] - sizes[COMMUNE]))
        sizes[agency] -= take
        sizes[COMMUNE] += take
    return sizes


def _spread(children: int, parents: int, rng: np.random.Generator) -> IntArray:
    """Sorted parent positions of ``children`` units: every parent gets one first (while there are
    enough), the rest go to parents drawn with uneven (log-normal) weights."""
    if children <= parents:
        return np.sort(rng.choice(parents, children, replace=False)).astype(np.int64)
    weights = rng.lognormal(0.0, 0.5, parents)
    extra = rng.choice(parents, children - parents, p=weights / weights.sum())
    return np.sort(np.concatenate([np.arange(parents), extra]))


def _ids(prefix: str, n: int) -> list[str]:
    width = len(str(max(n, 1)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _rank_within(group: IntArray, n_groups: int) -> tuple[IntArray, IntArray, IntArray]:
    """For rows sorted by ``group``: each row's position inside its group, and each group's first row
    and size."""
    count = np.bincount(group, minlength=n_groups)
    start = np.cumsum(count) - count
    return np.arange(len(group)) - start[group], start, count


def _tree(sizes: list[int], offset: IntArray, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Each unit's parent row, and each agency's field (the i-th agency of a place works in field i)."""
    units = int(offset[-1])
    parent = np.full(units, -1, dtype=np.int64)
    parent[offset[MINISTRY] : offset[DEPARTMENT]] = 0
    for child, up in ((DEPARTMENT, PROVINCE), (DISTRICT, PROVINCE), (OFFICE, DISTRICT), (COMMUNE, DISTRICT)):
        parent[offset[child] : offset[child + 1]] = offset[up] + _spread(sizes[child], sizes[up], rng)
    field = np.full(units, -1, dtype=np.int64)
    field[offset[MINISTRY] : offset[PROVINCE]] = np.arange(sizes[MINISTRY]) % len(FIELDS)
    for agency in (DEPARTMENT, OFFICE):
        lo, hi = offset[agency], offset[agency + 1]
        rank, _, _ = _rank_within(parent[lo:hi] - offset[agency - 1], sizes[agency - 1])
        field[lo:hi] = rank % len(FIELDS)
    return parent, field


def _territory(parent: IntArray, offset: IntArray, rng: np.random.Generator) -> list[FloatArray]:
    """Area (km²), population, lat, lon: drawn for communes and added up the tree; provinces placed in
    Viet Nam's bounding box, districts and communes scattered around their parent. NaN for agencies."""
    units = len(parent)
    area, population, lat, lon = (np.full(units, np.nan) for _ in range(4))
    n_communes = units - offset[COMMUNE]
    area[offset[COMMUNE] :] = np.round(rng.lognormal(np.log(30.0), 0.8, n_communes), 2)
    population[offset[COMMUNE] :] = np.round(rng.lognormal(np.log(9000.0), 0.7, n_communes))
    for lv in (COMMUNE, DISTRICT, PROVINCE):
        rows = np.arange(offset[lv], offset[lv + 1])
        up = np.unique(parent[rows])
        for column in (area, population):
            column[up] = np.bincount(parent[rows], weights=column[rows], minlength=units)[up]
    provinces = np.arange(offset[PROVINCE], offset[PROVINCE + 1])
    lat[provinces] = rng.uniform(8.6, 23.3, len(provinces))
    lon[provinces] = rng.uniform(102.2, 109.4, len(provinces))
    for lv, spread in ((DISTRICT, 0.3), (COMMUNE, 0.08)):
        rows = np.arange(offset[lv], offset[lv + 1])
        lat[rows] = lat[parent[rows]] + rng.normal(0.0, spread, len(rows))
        lon[rows] = lon[parent[rows]] + rng.normal(0.0, spread, len(rows))
    lat[0], lon[0] = np.mean(lat[provinces]), np.mean(lon[provinces])
    return [area, population, np.round(lat, 5), np.round(lon, 5)]


def _unit_names(sizes: list[int], field: IntArray) -> tuple[list[str], list[str]]:
    """Ids (``Pro001``, ``Com00042``...) and names (``Department of health 12``, ``Commune 42``)."""
    ids, names = ["VN"], ["Synthetic nation"]
    fields = field.tolist()
    row = 1
    for lv, (lv_name, _, _) in enumerate(LEVELS[1:], start=1):
        n = sizes[lv]
        ids += _ids(lv_name[0].upper() + lv_name[1:3], n)
        if lv in (MINISTRY, DEPARTMENT, OFFICE):
            names += [f"{lv_name.title()} of {FIELDS[fields[row + i]]} {i + 1}" for i in range(n)]
        else:
            names += [f"{lv_name.title()} {i + 1}" for i in range(n)]
        row += n
    return ids, names


def _units(units: int, people: int, rng: np.random.Generator) -> tuple[Units, IntArray, IntArray]:
    """The units, each unit's level, and each agency's field (-1 for territorial units); quotas are
    sized so that ``people`` fill them to about 95%."""
    sizes = _level_sizes(units)
    offset = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    level = np.repeat(np.arange(7), sizes)
    parent, field = _tree(sizes, offset, rng)
    area, population, lat, lon = _territory(parent, offset, rng)
    weight = np.asarray(QUOTA)[level] * rng.lognormal(0.0, 0.3, units)
    expected = weight / weight.sum() * people if people else weight
    quota = np.maximum(1.0, np.round(expected * rng.uniform(0.95, 1.15, units)))
    budget = np.round(quota * 0.25 * rng.lognormal(0.0, 0.2, units), 3)  # billion VND a year
    ids, names = _unit_names(sizes, field)
    table = Units(
        id=_text(ids),
        name=_text(names),
        level=level.astype(np.int32),
        kind=np.asarray([name for name, _, _ in LEVELS], dtype=object)[level],
        parent=parent.astype(np.int32),
        quota=quota,
        area_km2=area,
        population=population,
        lat=lat,
        lon=lon,
        attributes={"budget": budget},
    )
    return table, level, field


def _tasks(tasks: int, rng: np.random.Generator) -> tuple[Tasks, IntArray]:
    """The catalogue: one root task per field, the others under a field's root; and each task's field."""
    n_fields = min(len(FIELDS), tasks)
    field = np.concatenate([np.arange(n_fields), rng.integers(0, n_fields, tasks - n_fields)])
    parent = np.where(np.arange(tasks) < n_fields, -1, field)
    names = [FIELDS[f].capitalize() if i < n_fields else f"{FIELDS[f].capitalize()} task {i + 1}"
             for i, f in enumerate(field.tolist())]  # fmt: skip
    decree = rng.integers(1, 200, tasks)
    basis = [f"Decree {d}/2020/ND-CP" if d % 3 else "" for d in decree.tolist()]
    table = Tasks(
        id=_text(_ids("T", tasks)),
        name=_text(names),
        field=np.asarray(FIELDS, dtype=object)[field],
        parent=parent.astype(np.int32),
        legal_basis=_text(basis),
    )
    return table, field


def _leads(units: Units, level: IntArray, task_field: IntArray, budget: int,
           rng: np.random.Generator) -> tuple[IntArray, IntArray]:  # fmt: skip
    """(unit, task) of the lead duties: each task led at one level, in each place of that level by the
    agency of the task's field there (the territorial unit itself where it has none), within ``budget``
    duties in all."""
    n_tasks = len(task_field)
    place_level = np.array([NATION, PROVINCE, DISTRICT, COMMUNE])
    agency_level = np.array([MINISTRY, DEPARTMENT, OFFICE, -1])
    places = [np.flatnonzero(level == lv) for lv in place_level]
    cost = np.array([1] + [len(p) for p in places[1:]])
    order = rng.permutation(n_tasks)
    at = rng.choice(4, n_tasks, p=[0.45, 0.25, 0.15, 0.15])
    # every task is led at least nationally (1 duty); a local level costs one duty per place more, and
    # the tasks whose local cost no longer fits in what the national leads leave are led nationally
    extra = np.cumsum(cost[at[order]] - 1)
    at[order[extra > budget - n_tasks]] = 0
    led = np.zeros(n_tasks, dtype=bool)
    led[order[: max(budget, 0)]] = True  # a budget below one duty per task leaves the rest unled
    lead_units, lead_tasks = [], []
    for k in range(4):
        tasks = np.flatnonzero((at == k) & led)
        place = places[k]
        if k == 0:  # national: the ministry of the field
            ministries = np.flatnonzero(level == MINISTRY)
            lead_units.append(ministries[task_field[tasks] % len(ministries)])
            lead_tasks.append(tasks)
            continue
        task = np.repeat(tasks, len(place))
        where = np.tile(place, len(tasks))
        unit = where.copy()
        if agency_level[k] >= 0:
            agencies = np.flatnonzero(level == agency_level[k])
            _, start, count = _rank_within(units.parent[agencies] - place[0], len(place))
            local = where - place[0]
            has = count[local] > 0
            pick = start[local] + task_field[task] % np.maximum(count[local], 1)
            unit[has] = agencies[pick[has]]
        lead_units.append(unit)
        lead_tasks.append(task)
    return np.concatenate(lead_units), np.concatenate(lead_tasks)


def _duties(units: Units, level: IntArray, task_field: IntArray, duties: int,
            rng: np.random.Generator) -> Duties:  # fmt: skip
    """Leads (80% of ``duties`` at most; 1% duplicated by the leading unit's parent, 0.5% dropped), then
    supports by random units up to exactly ``duties`` rows; no (unit, task) pair twice."""
    n_units, n_tasks = len(units), len(task_field)
    unit, task = _leads(units, level, task_field, int(duties * 0.8), rng)
    keep = rng.random(len(unit)) >= 0.005
    dup = np.flatnonzero(keep & (rng.random(len(unit)) < 0.01) & (units.parent[unit] >= 0))
    unit = np.concatenate([unit[keep], units.parent[unit[dup]]])
    task = np.concatenate([task[keep], task[dup]])
    key = np.unique(unit * n_tasks + task)
    n_leads = min(len(key), duties)
    key = key[rng.permutation(len(key))[:n_leads]]
    wanted = duties - n_leads
    if wanted > n_units * n_tasks - n_leads:
        raise ValueError(f"{duties} duties do not fit {n_units} units x {n_tasks} tasks")
    support = np.empty(0, dtype=np.int64)
    while len(support) < wanted:
        draw = rng.integers(1, n_units, int((wanted - len(support)) * 1.2) + 16) * n_tasks
        draw += rng.integers(0, n_tasks, len(draw))
        fresh = np.setdiff1d(draw, key)
        support = np.union1d(support, fresh)
    support = support[rng.permutation(len(support))[:wanted]]
    keys = np.concatenate([key, np.sort(support)])
    roles = np.concatenate([np.full(n_leads, LEAD), np.full(wanted, SUPPORT)]).astype(np.int8)
    order = np.argsort(keys // n_tasks, kind="stable")  # by unit, leads before supports
    return Duties(
        unit=(keys[order] // n_tasks).astype(np.int32),
        task=(keys[order] % n_tasks).astype(np.int32),
        role=roles[order],
        scope=np.full(duties, -1, dtype=np.int32),
        legal_basis=np.full(duties, "", dtype=object),
    )


def _people(units: Units, people: int, rng: np.random.Generator) -> People:
    """People spread over units in proportion to quota; ages 22-62, service from age 21 on, grades by
    years of service, salary coefficients within the grade's range (2.34-8.0 overall)."""
    n_units = len(units)
    per_unit = rng.multinomial(people, units.quota / units.quota.sum()) if people else np.zeros(n_units, int)
    unit = np.repeat(np.arange(n_units), per_unit)
    age = rng.uniform(22 * YEAR, 62 * YEAR, people)
    birth = REFERENCE_DATE - age.astype(np.int64)
    start_age = rng.uniform(21 * YEAR, np.minimum(age, 40 * YEAR))
    service = (age - start_age) / YEAR
    u = rng.random(people)
    senior = np.clip((service - 15) / 40, 0, 0.25)
    principal = np.clip((service - 5) / 25, 0, 0.5)
    grade = np.where(u < senior, 2, np.where(u < senior + principal, 1, 0))
    low, high, step = (np.array([g[i] for g in GRADES]) for i in (1, 2, 3))
    coefficient = np.minimum(low[grade] + step[grade] * np.floor(service / 3), high[grade])
    rank, _, _ = _rank_within(unit, n_units)
    position = np.where(rank == 0, 0, np.where(rank <= 2, 1, 2))
    return People(
        id=_text(_ids("E", people)),
        unit=unit.astype(np.int32),
        position=np.array(["head", "deputy head", "staff"], dtype=object)[position],
        grade=np.array([g[0] for g in GRADES], dtype=object)[grade],
        birth_date=birth.astype("datetime64[D]"),
        gender=np.where(rng.random(people) < 0.48, "female", "male").astype(object),
        service_start=(birth + start_age.astype(np.int64)).astype("datetime64[D]"),
        salary_coefficient=np.round(coefficient, 2),
    )


def _results(people: int, per_person: int, rng: np.random.Generator) -> Results:
    """``per_person`` results for everyone: the indicators of INDICATORS over yearly periods back from
    2024; actual around 97% of target."""
    k = np.tile(np.arange(per_person), people)
    periods = np.array([str(2024 - i // len(INDICATORS)) for i in range(per_person)], dtype=object)
    target = np.array([100.0, 95.0, 90.0, 250.0])[k % len(INDICATORS)]
    actual = np.round(target * np.clip(rng.normal(0.97, 0.12, len(k)), 0.0, 1.5), 1)
    return Results(
        person=np.repeat(np.arange(people), per_person).astype(np.int32),
        period=periods[k],
        indicator=np.array(INDICATORS, dtype=object)[k % len(INDICATORS)],
        target=target,
        actual=actual,
        weight=rng.choice([1.0, 2.0], len(k)),
    )


def _neighbours(units: Units, level: IntArray, rng: np.random.Generator) -> Neighbours:
    """Consecutive communes of a district are neighbours (and every other one, three times in ten),
    likewise districts of a province and provinces of the nation; border lengths in km."""
    pairs = []
    for lv, km in ((COMMUNE, (1.0, 25.0)), (DISTRICT, (5.0, 60.0)), (PROVINCE, (20.0, 150.0))):
        rows = np.flatnonzero(level == lv)
        for gap, chance in ((1, 1.0), (2, 0.3)):
            a, b = rows[:-gap], rows[gap:]
            ok = (units.parent[a] == units.parent[b]) & (rng.random(len(a)) < chance)
            pairs.append((a[ok], b[ok], np.round(rng.uniform(*km, int(ok.sum())), 1)))
    a, b, border = (np.concatenate(column) for column in zip(*pairs, strict=True))
    order = np.lexsort((b, a))
    return Neighbours(a=a[order].astype(np.int32), b=b[order].astype(np.int32), border_km=border[order])


def generate(*, units: int, tasks: int, duties: int, people: int, results_per_person: int = 0,
             seed: int) -> Apparatus:  # fmt: skip
    """A synthetic apparatus of exactly ``units`` units, ``tasks`` tasks, ``duties`` duties and
    ``people`` people (with ``results_per_person`` results each); the same seed gives the same output."""
    if min(tasks, duties, people, results_per_person) < 0 or tasks < 1:
        raise ValueError("tasks must be at least 1 and the other counts at least 0")
    rng = np.random.default_rng(seed)
    unit_table, level, _ = _units(units, people, rng)
    task_table, task_field = _tasks(tasks, rng)
    standards = np.array(STANDARDS)
    return Apparatus(
        levels=Levels(
            name=np.array([name for name, _, _ in LEVELS], dtype=object),
            rank=np.array([rank for _, rank, _ in LEVELS], dtype=np.int32),
            territorial=np.array([t for _, _, t in LEVELS], dtype=bool),
            attached=np.zeros(len(LEVELS), dtype=bool),
        ),
        units=unit_table,
        tasks=task_table,
        duties=_duties(unit_table, level, task_field, duties, rng),
        people=_people(unit_table, people, rng),
        results=_results(people, results_per_person, rng),
        neighbours=_neighbours(unit_table, level, rng),
        standards=Standards(
            level=standards[:, 0].astype(np.int32),
            kind=np.full(len(standards), "", dtype=object),
            unit_class=np.full(len(standards), "", dtype=object),
            min_area_km2=standards[:, 1],
            min_population=standards[:, 2],
            max_units=np.full(len(standards), np.nan),
        ),
        info=DatasetInfo(
            name="synthetic",
            description=f"synthetic apparatus: {units} units, {tasks} tasks, {duties} duties, "
            f"{people} people (seed {seed})",
            source="reorg.datasets.synthetic",
            synthetic=PARTS,
        ),
    )
