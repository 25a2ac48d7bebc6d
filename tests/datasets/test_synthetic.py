"""The synthetic generator: exact sizes, a plausible apparatus, and the same output for the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.datasets.synthetic import LEVELS, REFERENCE_DATE, generate
from reorg.model import LEAD, Apparatus

LEVEL = {name: i for i, (name, _, _) in enumerate(LEVELS)}


@pytest.fixture(scope="module")
def app() -> Apparatus:
    """A mid-sized synthetic apparatus: 3,000 units, 300 tasks, 40,000 duties, 30,000 people."""
    return generate(units=3_000, tasks=300, duties=40_000, people=30_000, results_per_person=2, seed=42)


def _columns(app: Apparatus) -> dict[str, np.ndarray]:
    out = {}
    for table in ("levels", "units", "tasks", "duties", "people", "results", "neighbours", "standards"):
        for name, column in getattr(app, table).columns():
            out[f"{table}.{name}"] = column
    out.update({f"units.attributes.{k}": v for k, v in app.units.attributes.items()})
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fM":
        return bool(np.array_equal(a.view(np.int64), b.view(np.int64)))
    return bool(np.array_equal(a, b))


@pytest.mark.parametrize(
    ("units", "tasks", "duties", "people", "results"),
    [(5, 1, 3, 0, 0), (9, 4, 30, 25, 3), (1_000, 120, 6_000, 5_000, 1), (20_000, 800, 100_000, 1_000, 0)],
)
def test_exact_sizes(units: int, tasks: int, duties: int, people: int, results: int) -> None:
    """The apparatus has exactly the units, tasks, duties, people and results asked for."""
    app = generate(units=units, tasks=tasks, duties=duties, people=people, results_per_person=results, seed=1)
    counts = app.counts()
    assert (counts["units"], counts["tasks"], counts["duties"], counts["people"]) == (
        units,
        tasks,
        duties,
        people,
    )
    assert counts["results"] == people * results


def test_same_seed_same_output(app: Apparatus) -> None:
    """The same seed gives identical columns, bit for bit; another seed does not."""
    again = _columns(
        generate(units=3_000, tasks=300, duties=40_000, people=30_000, results_per_person=2, seed=42)
    )
    columns = _columns(app)
    assert columns.keys() == again.keys()
    assert all(_same(columns[k], again[k]) for k in columns)
    other = _columns(
        generate(units=3_000, tasks=300, duties=40_000, people=30_000, results_per_person=2, seed=43)
    )
    assert not all(_same(columns[k], other[k]) for k in columns)


def test_unit_tree(app: Apparatus) -> None:
    """One nation root; ministries and provinces under it, departments and districts under provinces,
    offices and communes under districts, in roughly the real proportions."""
    units = app.units
    assert units.roots.tolist() == [0]
    assert (units.parent[1:] < np.arange(1, len(units))).all()
    expected_parent = {"ministry": "nation", "province": "nation", "department": "province",
                       "district": "province", "office": "district", "commune": "district"}  # fmt: skip
    for child, parent in expected_parent.items():
        rows = units.level == LEVEL[child]
        assert (units.level[units.parent[rows]] == LEVEL[parent]).all(), child
    per_level = app.units_per_level()
    assert per_level["nation"] == 1
    assert 0.4 < per_level["commune"] / len(units) < 0.6
    assert per_level["province"] < per_level["district"] < per_level["commune"]
    assert set(app.levels.name[app.levels.territorial]) == {"nation", "province", "district", "commune"}


def test_territory_adds_up(app: Apparatus) -> None:
    """Communes carry area and population; districts, provinces and the nation hold the sums."""
    units = app.units
    for level in ("district", "province"):
        rows = np.flatnonzero(units.level == LEVEL[level])
        below = np.flatnonzero(units.level == LEVEL[level] + 2)
        sums = np.bincount(units.parent[below], weights=units.area_km2[below], minlength=len(units))
        np.testing.assert_allclose(units.area_km2[rows], sums[rows])
    communes = units.level == LEVEL["commune"]
    assert units.population[0] == pytest.approx(units.population[communes].sum())
    agencies = ~app.levels.territorial[units.level]
    assert np.isnan(units.area_km2[agencies]).all()
    assert ((units.lat[communes] > 8) & (units.lat[communes] < 24)).mean() > 0.95


def test_people_plausible(app: Apparatus) -> None:
    """Ages 22-62, service from age 21 and before the reference date, coefficients 2.34-8.0, three grades,
    two genders; headcount below total quota."""
    people = app.people
    age = (REFERENCE_DATE - people.birth_date).astype(np.int64) / 365.25
    assert age.min() >= 21.99
    assert age.max() <= 62.01
    service_age = (people.service_start - people.birth_date).astype(np.int64) / 365.25
    assert service_age.min() >= 20.99
    assert (people.service_start <= REFERENCE_DATE).all()
    assert people.salary_coefficient.min() >= 2.34
    assert people.salary_coefficient.max() <= 8.0
    assert set(people.grade) == {"specialist", "principal specialist", "senior specialist"}
    assert set(people.gender) == {"female", "male"}
    assert len(people) <= app.units.quota.sum()
    assert (np.diff(people.unit) >= 0).all()


def test_duties_mostly_one_lead_per_task_and_place(app: Apparatus) -> None:
    """No (unit, task) pair twice; most tasks are led, and few (task, place) pairs have two leads."""
    duties = app.duties
    key = duties.unit.astype(np.int64) * len(app.tasks) + duties.task
    assert len(np.unique(key)) == len(key)
    lead = duties.role == LEAD
    assert 0.5 < lead.mean() <= 0.8
    assert len(np.unique(duties.task[lead])) > 0.95 * len(app.tasks)
    place = app.jurisdiction[duties.unit[lead]].astype(np.int64)
    pairs, counts = np.unique(duties.task[lead] * len(app.units) + place, return_counts=True)
    assert (counts > 1).sum() < 0.03 * len(pairs)


def test_neighbours_within_parent(app: Apparatus) -> None:
    """Neighbours are pairs a < b of the same level and the same parent (communes of one district...)."""
    a, b = app.neighbours.a, app.neighbours.b
    assert (a < b).all()
    assert (app.units.level[a] == app.units.level[b]).all()
    assert (app.units.parent[a] == app.units.parent[b]).all()
    assert set(app.units.level[a]) == {LEVEL["province"], LEVEL["district"], LEVEL["commune"]}


def test_info_says_synthetic(app: Apparatus) -> None:
    """Every part is labelled synthetic."""
    assert set(app.info.synthetic) == set(app.counts())
    assert "seed 42" in app.info.description


def test_too_few_units() -> None:
    """Fewer than five units cannot make a nation, a ministry and three territorial levels."""
    with pytest.raises(ValueError, match="at least 5 units"):
        generate(units=4, tasks=1, duties=1, people=0, seed=0)
