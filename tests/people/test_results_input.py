"""What the bundle reader already refuses in results.csv, so that evaluation never sees it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.io import load

EXAMPLE = Path(__file__).parents[2] / "src/reorg/datasets/example"


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("e999,2024,files handled on time,11,8,2", "person_id", "the id of a person in people"),
        ("e001,2025,files handled on time,11,8,-2", "weight", "a non-negative number"),
        ("e001,2025,files handled on time,,8,2", "target", "this column is required"),
        ("e001,2025,files handled on time,11,,2", "actual", "this column is required"),
    ],
)
def test_the_reader_refuses_bad_results_naming_file_row_and_field(
    tmp_path: Path, row: str, column: str, expected: str
) -> None:
    """An unknown person, a negative weight, an indicator with no target or actual: refused at reading."""
    bundle = tmp_path / "b"
    shutil.copytree(EXAMPLE, bundle)
    path = bundle / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(bundle)
    error = info.value
    assert error.file.endswith("results.csv")
    assert (error.row, error.column) == (len(lines) + 1, column)
    assert expected in error.expected
