"""The example bundle shipped in the package: loads, says it is synthetic, and holds what it promises."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from reorg.io import load, write
from reorg.model import LEAD, Apparatus

EXAMPLE = Path(str(files("reorg.datasets") / "example"))


@pytest.fixture(scope="module")
def example() -> Apparatus:
    """The example bundle, loaded once."""
    return load(EXAMPLE)


def test_example_is_marked_synthetic(example: Apparatus) -> None:
    """Every generated part is listed as synthetic, so pages and reports can say so."""
    assert example.info.name == "example"
    assert {"units", "tasks", "duties", "people", "results"} <= set(example.info.synthetic)
    assert "fictional" in (EXAMPLE / "README.md").read_text(encoding="utf-8")


def test_example_has_the_promised_shape(example: Apparatus) -> None:
    """3 ministries, 4 provinces, 12 communes with neighbours, 15 tasks, about 60 people with results."""
    assert example.units_per_level() == {
        "nation": 1,
        "ministry": 3,
        "province": 4,
        "department": 8,
        "commune": 12,
    }
    assert len(example.tasks) == 15
    assert 50 <= len(example.people) <= 70
    assert set(example.results.person.tolist()) == set(range(len(example.people)))
    communes = np.flatnonzero(example.levels.name[example.units.level] == "commune")
    assert np.isin(communes, np.concatenate([example.neighbours.a, example.neighbours.b])).all()


def test_example_plants_a_duplication_and_a_gap(example: Apparatus) -> None:
    """agri-forest has two leads whose territories overlap; home-digital has supports but no lead."""
    lead = example.duties.role == LEAD
    task = example.tasks.index
    forest = example.duties.unit[lead & (example.duties.task == task["agri-forest"])]
    assert sorted(example.units.id[forest].tolist()) == ["d-north-agri", "m-agri"]
    digital = example.duties.task == task["home-digital"]
    assert digital.any()
    assert not (digital & lead).any()


def test_example_neighbours_match_its_outlines(example: Apparatus, tmp_path: Path) -> None:
    """neighbours.csv is what the outlines give when it is left out (same pairs, same lengths to 1 m)."""
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    (copy / "neighbours.csv").unlink()
    derived = load(copy)
    assert derived.neighbours.a.tolist() == example.neighbours.a.tolist()
    assert derived.neighbours.b.tolist() == example.neighbours.b.tolist()
    assert np.allclose(derived.neighbours.border_km, example.neighbours.border_km, atol=1e-3)


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_example_round_trips(
    example: Apparatus, tmp_path: Path, assert_same: Callable[[Apparatus, Apparatus], None], suffix: str
) -> None:
    """The example written as CSV or XLSX reads back the same."""
    target = tmp_path / f"example{suffix}"
    write(example, target)
    assert_same(example, load(target))
