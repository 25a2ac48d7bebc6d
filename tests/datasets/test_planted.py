"""The planted-defect generator: deterministic, and clean outside the planted places."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.datasets.planted import planted


def test_the_same_seed_gives_the_same_apparatus_and_defects() -> None:
    """Seeded: same ids, duties, people and planted list; another seed plants elsewhere."""
    a, pa = planted(7)
    b, pb = planted(7)
    assert pa == pb
    assert a.units.id.tolist() == b.units.id.tolist()
    assert np.array_equal(a.duties.unit, b.duties.unit)
    assert np.array_equal(a.headcount, b.headcount)
    assert np.array_equal(a.units.population, b.units.population, equal_nan=True)
    _, pc = planted(8)
    assert pc != pa


def test_planted_ids_exist() -> None:
    """Every id a planted defect names is a unit or a task of the apparatus."""
    app, plants = planted(0)
    for p in plants:
        assert set(p.units) <= set(app.units.index)
        assert set(p.tasks) <= set(app.tasks.index)


def test_the_clean_part_is_clean() -> None:
    """Outside planted places: headcount within quota, population above standard, spans 3..15."""
    app, plants = planted(4)
    named = {u for p in plants for u in p.units}
    clean = np.array([uid not in named for uid in app.units.id.tolist()])
    quota = app.units.quota
    assert np.all((app.headcount <= np.nan_to_num(quota, nan=0.0))[clean])
    spans = np.bincount(app.units.parent[app.units.parent >= 0], minlength=len(app.units))
    assert np.all(((spans == 0) | ((spans >= 3) & (spans <= 15)))[clean])
    commune = app.levels.index["commune"]
    pops = app.units.population[clean & (app.units.level == commune)]
    assert pops.min() >= 5_000


@pytest.mark.parametrize("change", [{"provinces": 4}, {"departments": 3}, {"communes": 16}, {"wide": 15}])
def test_sizes_that_cannot_hold_the_defects_are_refused(change: dict[str, int]) -> None:
    """Too few places to plant in, or clean spans out of range, raise ValueError."""
    with pytest.raises(ValueError, match="planted"):
        planted(0, **change)
