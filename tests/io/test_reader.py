"""load(): where a bundle comes from, its dataset description, progress, and all-or-nothing reading."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.io import load

Bundle = Callable[..., Path]


def test_progress_is_reported_per_file(bundle: Bundle) -> None:
    """The callback hears of each file before it is read, then the end, with a fixed total."""
    calls: list[tuple[int, int | None, str]] = []
    load(bundle(), progress=lambda done, total, stage: calls.append((done, total, stage)))
    assert [c[0] for c in calls] == list(range(9))
    assert {c[1] for c in calls} == {8}
    assert calls[1][2] == "reading units.csv"
    assert calls[-1][2] == "read"


def test_dataset_name_defaults_to_the_folder(bundle: Bundle) -> None:
    """Without dataset.json the dataset is named after its folder, with nothing marked synthetic."""
    info = load(bundle(name="province-2024")).info
    assert (info.name, info.synthetic) == ("province-2024", ())


def test_dataset_json_describes_the_dataset(bundle: Bundle) -> None:
    """dataset.json gives name, description, source and the synthetic parts."""
    text = '{"name": "demo", "description": "d", "source": "s", "synthetic": ["people", "results"]}'
    info = load(bundle({"dataset.json": text})).info
    assert (info.name, info.description, info.source, info.synthetic) == (
        "demo",
        "d",
        "s",
        ("people", "results"),
    )


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ('{"name": "x", "colour": "red"}', "colour"),
        ('{"synthetic": ["persons"]}', "synthetic"),
        ('{"synthetic": "people"}', "synthetic"),
        ('{"name": 7}', "name"),
        ("[1, 2]", None),
        ("{not json", None),
    ],
    ids=["unknown key", "unknown part", "not a list", "name not text", "not an object", "not JSON"],
)
def test_bad_dataset_json_is_refused(bundle: Bundle, text: str, column: str | None) -> None:
    """A dataset.json with an unknown key, part or type is refused, naming the key."""
    with pytest.raises(InputError) as caught:
        load(bundle({"dataset.json": text}))
    assert (caught.value.file, caught.value.column) == ("dataset.json", column)


def test_blank_lines_are_skipped_but_rows_keep_their_numbers(bundle: Bundle) -> None:
    """Blank lines (an editor's trailing newline, a gap) are not rows, and later rows keep their number."""
    tasks = "id,name\n\nland,Land\n\nreg,Registration\n\n\n"
    assert load(bundle({"tasks.csv": tasks})).tasks.id.tolist() == ["land", "reg"]
    with pytest.raises(InputError) as caught:
        load(bundle({"tasks.csv": "id,name\n\nland,Land\n\nland,Again\n"}, name="twice"))
    assert caught.value.row == 5


def test_byte_order_mark_and_crlf_are_fine(bundle: Bundle) -> None:
    """A UTF-8 BOM (as Excel writes) and Windows line ends read like plain UTF-8."""
    tasks = "\ufeffid,name\r\nland,Land\r\nreg,Registration\r\n".encode()
    app = load(bundle({"tasks.csv": tasks}))
    assert app.tasks.id.tolist() == ["land", "reg"]


def test_quoted_fields_hold_commas_quotes_and_newlines(bundle: Bundle) -> None:
    """RFC 4180 quoting: the record spans lines, and the next record is the next row."""
    tasks = 'id,name\nland,"Land, ""all of it""\nand water"\nreg,Registration,\n'
    with pytest.raises(InputError) as caught:
        load(bundle({"tasks.csv": tasks}))
    assert caught.value.row == 3  # the record after the two-line one, counted as one row
    app = load(bundle({"tasks.csv": tasks.replace("Registration,", "Registration")}, name="ok"))
    assert app.tasks.name.tolist()[0] == 'Land, "all of it"\nand water'


@pytest.mark.parametrize("where", ["missing", "file.csv"])
def test_path_that_is_not_a_bundle_is_refused(tmp_path: Path, where: str) -> None:
    """A path that does not exist, or a lone CSV file, is not a bundle."""
    path = tmp_path / where
    if where.endswith(".csv"):
        path.write_text("id,name,level\nvn,Nation,nation\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"folder of CSV files or an \.xlsx workbook"):
        load(path)


def test_collector_is_restored_after_a_failed_load(bundle: Bundle) -> None:
    """Reading pauses the cyclic garbage collector and always switches it back on."""
    assert gc.isenabled()
    with pytest.raises(InputError):
        load(bundle({"units.csv": None}))
    assert gc.isenabled()
