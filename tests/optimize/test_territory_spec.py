"""TerritorySpec: validation on construction and loading from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.optimize.territory import Effort, TerritorySpec, Weights

SPEC_TOML = """
target = 12
nest_by = "province"
seed = 3
locked_together = [["a", "b"]]
kept_apart = [["c", "d"]]

[minimums]
population = 16000
area_km2 = 30

[maximums]
population = 250000

[weights]
compactness = 0.5
balance = 1.0
balance_by = "population"
homogeneity = { income = 2.0 }
cohesion = { district = 1.0 }

[effort]
restarts = 10
time_limit_s = 5
"""


def test_toml_round_trip(tmp_path: Path) -> None:
    """Every section of the TOML form lands in the spec."""
    path = tmp_path / "spec.toml"
    path.write_text(SPEC_TOML, encoding="utf-8")
    spec = TerritorySpec.from_toml(path)
    assert spec.target == 12
    assert spec.nest_by == "province"
    assert spec.seed == 3
    assert spec.minimums == {"population": 16000, "area_km2": 30}
    assert spec.maximums == {"population": 250000}
    assert spec.weights == Weights(
        compactness=0.5,
        homogeneity={"income": 2.0},
        balance=1.0,
        balance_by="population",
        cohesion={"district": 1.0},
    )
    assert spec.effort == Effort(restarts=10, time_limit_s=5)
    assert spec.locked_together == (("a", "b"),)
    assert spec.kept_apart == (("c", "d"),)
    assert spec.constrained == ["population", "area_km2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1", "unknown key"),
        ("target = 0", "positive integer"),
        ("[minimums]\npopulation = -1", "numbers >= 0"),
        ("[minimums]\np = 10\n[maximums]\np = 5", "at least its minimum"),
        ("[weights]\ncompactness = -1", "not negative"),
        ("[weights]\ncohesion = { district = -1 }", "not negative"),
        ("[weights]\nshape = 1", "unknown weights key"),
        ("kept_apart = [['a', 'a']]", "two different unit ids"),
        ("method = 'magic'", "heuristic"),
        ("target = ", "valid TOML"),
    ],
)
def test_bad_toml_is_an_input_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    """A bad spec file raises InputError with the file name and what is wrong."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        TerritorySpec.from_toml(path)
    assert info.value.file == str(path)


def test_target_table_and_defaults() -> None:
    """A per-group target table is kept as a dict; defaults give max-p nested by parent."""
    spec = TerritorySpec(target={"p1": 3})
    assert spec.target == {"p1": 3}
    default = TerritorySpec()
    assert default.target is None
    assert default.nest_by == "parent"
    assert default.method == "heuristic"
