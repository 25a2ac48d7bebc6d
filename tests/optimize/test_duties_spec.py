"""LeadsSpec: validation on construction and loading from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.optimize.duties import LeadsSpec, LeadWeights


def test_toml_round_trip(tmp_path: Path) -> None:
    """max_per_unit and every weight of the TOML form land in the spec."""
    path = tmp_path / "leads.toml"
    path.write_text("max_per_unit = 7\n[weights]\nportfolio = 2.0\nlevel = 0.5\nload = 0\nchange = 3\n")
    spec = LeadsSpec.from_toml(path)
    assert spec == LeadsSpec(LeadWeights(portfolio=2.0, level=0.5, load=0.0, change=3.0), max_per_unit=7)


@pytest.mark.parametrize(
    "text",
    [
        "max_per_unit = 0",
        "max_per_unit = 1.5",
        "max_per_unit = true",
        "colour = 1",
        "[weights]\nportfolio = -1",
        "[weights]\nspeed = 1",
        "weights = 3",
        "[weights]\nlevel = 'high'",
        "max_per_unit = ",
    ],
)
def test_bad_spec_names_the_file(tmp_path: Path, text: str) -> None:
    """A bad value, an unknown key or broken TOML is an InputError naming the file."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=r"bad\.toml"):
        LeadsSpec.from_toml(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    """A spec file that does not exist is an InputError, not an OSError."""
    with pytest.raises(InputError, match=r"nope\.toml"):
        LeadsSpec.from_toml(tmp_path / "nope.toml")
