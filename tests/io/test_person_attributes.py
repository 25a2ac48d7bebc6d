"""Person attributes: extra columns of people are kept as text exactly as written, in CSV and XLSX."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from reorg.errors import InputError
from reorg.io import load, write
from reorg.model import Apparatus, DatasetInfo, PersonRow, UnitRow, build_apparatus

Bundle = Callable[..., Path]
Same = Callable[[Apparatus, Apparatus], None]

#: attribute text that must come back exactly as written
TRICKY = [
    "007",
    "1.50",
    "1e5",
    "true",
    "=SUM(A1)",
    "+1-1",
    "  spaces kept  ",
    'comma, "quotes" and\nnewlines\r\nand a lone \r return',
    "_x000D_ looks escaped",
    "Xã Đông Trạch",
    "Громада Їжакевичі",
    "🏛️",
]

PEOPLE = (
    "id,unit_id,birth_date,contract_type,badge,allowance\n"
    "x1,m1,1980-01-01,permanent,007,1.50\n"
    "x2,c1,1990-05-05,,1e5,\n"
)


def test_extra_people_columns_are_text_attributes(bundle: Bundle) -> None:
    """Extra columns of people.csv become attributes in header order, verbatim ("007", "1.50", "1e5"
    stay as written), "" where a cell is empty; the standard columns are read as before."""
    app = load(bundle({"people.csv": PEOPLE}))
    assert list(app.people.attributes) == ["contract_type", "badge", "allowance"]
    assert app.people.attributes["contract_type"].tolist() == ["permanent", ""]
    assert app.people.attributes["badge"].tolist() == ["007", "1e5"]
    assert app.people.attributes["allowance"].tolist() == ["1.50", ""]
    assert str(app.people.birth_date[0]) == "1980-01-01"


def test_people_without_extra_columns_have_no_attributes(bundle: Bundle) -> None:
    """A people file with only standard columns gives no attributes."""
    assert load(bundle()).people.attributes == {}


def test_an_attribute_column_named_twice_is_refused(bundle: Bundle) -> None:
    """An attribute column named twice in the header is refused like any repeated column."""
    with pytest.raises(InputError) as caught:
        load(bundle({"people.csv": "id,unit_id,badge,badge\nx1,m1,a,b\n"}))
    assert (caught.value.file, caught.value.row, caught.value.column) == ("people.csv", 1, "badge")


def test_attributes_do_not_stand_in_for_a_required_column(bundle: Bundle) -> None:
    """With extra columns allowed, a missing required column is still refused."""
    with pytest.raises(InputError) as caught:
        load(bundle({"people.csv": "id,badge\nx1,a\n"}))
    assert (caught.value.file, caught.value.column) == ("people.csv", "unit_id")


def _staff(values: list[str]) -> Apparatus:
    return build_apparatus(
        units=[UnitRow("u", "U", "top")],
        people=[
            PersonRow(f"p{k}", "u", attributes=(("note", v), ("never", ""))) for k, v in enumerate(values)
        ],
        info=DatasetInfo(name="staff"),
    )


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_person_attributes_round_trip(tmp_path: Path, assert_same: Same, suffix: str) -> None:
    """Tricky text (formulas, digits with leading zeros, line breaks, scripts) and an attribute that
    is never given survive write then load, in CSV and XLSX."""
    app = _staff(["", *TRICKY])
    target = tmp_path / f"staff{suffix}"
    write(app, target)
    loaded = load(target)
    assert_same(app, loaded)
    assert loaded.people.attributes["never"].tolist() == [""] * len(app.people)


def test_xlsx_writes_person_attributes_as_string_cells(tmp_path: Path) -> None:
    """In a workbook, person attributes are string cells, so that "007" is not turned into 7."""
    path = tmp_path / "staff.xlsx"
    write(_staff(["007", "=1+1"]), path)
    sheet = openpyxl.load_workbook(path)["people"]
    header = [c.value for c in sheet[1]]
    cells = [sheet.cell(row=r, column=header.index("note") + 1) for r in (2, 3)]
    assert [(c.value, c.data_type) for c in cells] == [("007", "s"), ("=1+1", "s")]


def test_a_number_cell_in_a_workbook_is_read_as_its_text(tmp_path: Path) -> None:
    """A person attribute typed as a number in a workbook reads as the number's shortest text."""
    book = openpyxl.Workbook()
    units = book.active
    assert units is not None
    units.title = "units"
    units.append(["id", "name", "level"])
    units.append(["u", "U", "top"])
    people = book.create_sheet("people")
    people.append(["id", "unit_id", "grade_step"])
    people.append(["p1", "u", 7])
    people.append(["p2", "u", 2.5])
    path = tmp_path / "typed.xlsx"
    book.save(path)
    assert load(path).people.attributes["grade_step"].tolist() == ["7", "2.5"]


def test_writing_an_attribute_named_as_a_column_is_refused(tmp_path: Path) -> None:
    """A person attribute may not take the name of a people.csv column (it would read back as that
    column): writing it is refused, naming the file and the column."""
    app = build_apparatus(
        units=[UnitRow("u", "U", "top")], people=[PersonRow("p", "u", attributes=(("grade", "x"),))]
    )
    with pytest.raises(InputError) as caught:
        write(app, tmp_path / "b")
    assert (caught.value.file, caught.value.column) == ("people.csv", "grade")
