"""MergeSpec: validation on construction and loading from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.optimize.merge import MergeSpec


def test_toml_round_trip(tmp_path: Path) -> None:
    """Every key of the TOML form lands in the spec, pairs as tuples."""
    path = tmp_path / "merge.toml"
    path.write_text(
        "target = 3\nmin_similarity = 0.4\nfield_weight = 0\nmax_tasks = 9\nmax_headcount = 120.5\n"
        'locked_together = [["a", "b"]]\nkept_apart = [["c", "d"]]\nuntouchable = ["e"]\n'
        'method = "greedy"\ndissolve_contained = false\n'
    )
    spec = MergeSpec.from_toml(path)
    assert spec == MergeSpec(
        target=3,
        min_similarity=0.4,
        field_weight=0.0,
        max_tasks=9,
        max_headcount=120.5,
        locked_together=(("a", "b"),),
        kept_apart=(("c", "d"),),
        untouchable=("e",),
        method="greedy",
        dissolve_contained=False,
    )


def test_the_fixed_central_spec_loads() -> None:
    """docs/specs/merge-central.toml (fixed before the Vietnam comparison) is a valid spec."""
    spec = MergeSpec.from_toml(Path(__file__).parents[2] / "docs" / "specs" / "merge-central.toml")
    assert (spec.min_similarity, spec.field_weight, spec.target) == (0.5, 0.8, None)


@pytest.mark.parametrize(
    "text",
    [
        "target = 0",
        "target = 1.5",
        "min_similarity = 0",
        "min_similarity = 1.2",
        "field_weight = -0.1",
        "max_tasks = true",
        "max_headcount = -3",
        'method = "magic"',
        'locked_together = [["a"]]',
        'kept_apart = [["a", "a"]]',
        'locked_together = [["a", "b"]]\nkept_apart = [["b", "a"]]',
        "untouchable = [1]",
        "dissolve_contained = 1",
        "colour = 1",
        "target = ",
    ],
)
def test_bad_spec_names_the_file(tmp_path: Path, text: str) -> None:
    """A bad value, an unknown key or broken TOML is an InputError naming the file."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=r"bad\.toml"):
        MergeSpec.from_toml(path)
