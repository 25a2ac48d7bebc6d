"""The roadmap file: TOML that round-trips, and bad input named by file, row and field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from roadmap_kit import START, apparatus, handover_plan

from reorg.errors import InputError
from reorg.roadmap import build
from reorg.roadmap.fileformat import dumps, loads, read, write


def test_export_and_reimport_give_the_same_roadmap(tmp_path: Path) -> None:
    """A roadmap written and read back is equal, names with quotes and Vietnamese included."""
    rm = build(apparatus(), handover_plan(), start=START)
    steps = list(rm.steps)
    steps[0] = dataclasses.replace(
        steps[0], name='Bàn giao "local"', deadline=START, depends=("s2",), targets=(("headcount", 12.5),)
    )
    rm = dataclasses.replace(rm, steps=tuple(steps))
    path = tmp_path / "rm.toml"
    write(rm, path)
    assert read(path) == rm


@pytest.mark.parametrize(
    ("edit", "row", "field"),
    [
        (("duration = 14", "duration = 0"), 1, "duration"),
        (("earliest = 2025-03-01", 'earliest = "March"'), 1, "earliest"),
        (("depends = []", 'depends = ["nope"]'), 1, "depends"),
        (('id = "s2"', 'id = "s1"'), 2, "id"),
        (("operations = [1]", 'operations = ["x"]'), 2, "operations"),
        (("owner =", "colour = 1\nowner ="), 1, "colour"),
    ],
)
def test_bad_values_name_file_row_and_field(edit: tuple[str, str], row: int, field: str) -> None:
    """Each bad value is refused with the file, the step (row) and the field."""
    text = dumps(build(apparatus(), handover_plan(), start=START))
    bad = text.replace(edit[0], edit[1], 1)
    assert bad != text
    with pytest.raises(InputError) as err:
        loads(bad, source="rm.toml")
    assert (err.value.file, err.value.row, err.value.field) == ("rm.toml", row, field)


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    """Text that is not TOML is an InputError naming the file."""
    path = tmp_path / "rm.toml"
    path.write_text("[[step]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.file == str(path)
