"""Writing bundles: what is written reads back equal, in CSV and XLSX alike."""

from __future__ import annotations

import csv
import dataclasses
import errno
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from reorg.errors import ReorgError
from reorg.io import load, write
from reorg.io.writer import number_text
from reorg.model import (
    Apparatus,
    DatasetInfo,
    LevelRow,
    LineageEdge,
    PersonRow,
    ResultRow,
    StandardRow,
    UnitRow,
    build_apparatus,
)

Same = Callable[[Apparatus, Apparatus], None]

#: text that must come back exactly as it was given
VERBATIM = [
    "<script>alert('x')</script>",
    "=SUM(A1)",
    '=HYPERLINK("http://example.com","click")',
    "+1-1",
    "'); DROP TABLE units;--",
    "Xã Đông Trạch",
    "Громада Їжакевичі",
    "بلدية الرياض",
    "北京市 東京都 서울",
    "🏛️ ministry of 🚀",
    "a" * 5000,
    'comma, "quotes" and\nnewlines\r\nand a lone \r return',
    "  spaces kept  ",
    "_x000D_ looks escaped",
    "007",
    "1e5",
    "true",
]


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_tiny_round_trips(tiny: Apparatus, tmp_path: Path, assert_same: Same, suffix: str) -> None:
    """The shared tiny apparatus written and read back is the same apparatus."""
    target = tmp_path / f"tiny{suffix}"
    write(tiny, target)
    assert_same(tiny.with_info(DatasetInfo(name="tiny")), load(target))


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_valid_bundle_round_trips(
    bundle: Callable[..., Path], tmp_path: Path, assert_same: Same, suffix: str
) -> None:
    """A bundle read, written and read again holds the same data, its dataset name included."""
    first = load(bundle())
    out = tmp_path / f"out{suffix}"
    write(first, out)
    assert_same(first, load(out))


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_text_is_kept_verbatim(tmp_path: Path, suffix: str) -> None:
    """Markup, formulas, SQL, any script, emoji, 5,000-character names and CSV specials are data."""
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "level", "parent_id"])
        out.writerow(["root", "Root", "nation", ""])
        for k, name in enumerate(VERBATIM):
            out.writerow([f"u{k}", name, "unit", "root"])
    app = load(folder)
    assert app.units.name.tolist()[1:] == VERBATIM
    target = tmp_path / f"out{suffix}"
    write(app, target)
    assert load(target).units.name.tolist()[1:] == VERBATIM


def test_numbers_are_written_shortest_and_exact() -> None:
    """Whole numbers lose the ".0", others keep every digit needed, absent numbers are empty."""
    values = np.array([3.0, 0.1 + 0.2, np.nan, 1e300, 2.5, -0.0, 2.0**60])
    text = number_text(values)
    assert text[:6] == ["3", "0.30000000000000004", "", "1e+300", "2.5", "0"]
    assert [float(t) for t in text if t] == [v for v in values.tolist() if v == v]


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_everything_optional_round_trips(tmp_path: Path, assert_same: Same, suffix: str) -> None:
    """Attributes (even an empty one), dates before 1900, weights, standards, attached levels, lineage
    and info survive."""
    app = build_apparatus(
        levels=[
            LevelRow("nation", 0, True),
            LevelRow("province", 1, True),
            LevelRow("committee", 2, attached=True),
        ],
        units=[
            UnitRow("r", "Root", "nation", attributes=(("budget", 1.5e9), ("staff_cost", float("nan")))),
            UnitRow(
                "a", "A", "province", "city", "r", quota=0.0, area_km2=1e-9, population=7, lat=-90, lon=180
            ),
            UnitRow("k", "Committee of A", "committee", parent_id="a"),
        ],
        people=[
            PersonRow("p", "a", "clerk", "A1", date(1899, 12, 31), "f", date(1900, 2, 28), 2.34),
            PersonRow("q", "a", birth_date=date(1900, 3, 1)),
        ],
        results=[
            ResultRow("p", "2024-Q1", "cases", 0.1 + 0.2, 1 / 3, 0.5),
            ResultRow("q", "2024", "x", 1, 2),
        ],
        standards=[StandardRow("province", 100.0, 5e5, 12)],
        info=DatasetInfo("demo", "a demo", "made up", ("people", "results")),
    )
    app = dataclasses.replace(app, lineage=(LineageEdge("old", "a", "merge", 0, 0.25),))
    assert app.levels.attached.tolist() == [False, False, True]
    target = tmp_path / f"all{suffix}"
    write(app, target)
    assert_same(app, load(target))


def test_writing_again_removes_stale_files(tiny: Apparatus, tmp_path: Path) -> None:
    """A CSV file the new apparatus has no rows for is removed, so it cannot be read back stale."""
    folder = tmp_path / "b"
    write(tiny, folder)
    assert (folder / "neighbours.csv").exists()
    bare = build_apparatus(units=[UnitRow("r", "Root", "nation")])
    write(bare, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["dataset.json", "levels.csv", "units.csv"]
    assert len(load(folder).neighbours) == 0


def test_writing_onto_a_file_is_refused(tiny: Apparatus, tmp_path: Path) -> None:
    """A path that is an existing file (not .xlsx) is neither a folder nor a workbook: refused."""
    path = tmp_path / "units.csv"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ReorgError, match="this is a file"):
        write(tiny, path)


def test_a_symbolic_link_in_the_target_folder_is_never_followed(tiny: Apparatus, tmp_path: Path) -> None:
    """A link planted in the folder (once followed: it overwrote a file outside) makes the write refused,
    and the file it points to is untouched."""
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "b"
    write(tiny, folder)
    (folder / "units.csv").unlink()
    (folder / "units.csv").symlink_to(outside)
    with pytest.raises(ReorgError, match=r"units\.csv"):
        write(tiny, folder)
    assert outside.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_a_target_that_is_a_symbolic_link_is_refused(tiny: Apparatus, tmp_path: Path, suffix: str) -> None:
    """The target itself may not be a link: what it points to is not replaced."""
    real = tmp_path / f"real{suffix}"
    write(tiny, real)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    with pytest.raises(ReorgError, match=r"link|not one"):
        write(tiny, link)


def test_a_folder_holding_other_files_is_not_replaced(tiny: Apparatus, tmp_path: Path) -> None:
    """Only a folder holding nothing but a bundle's files is replaced; a person's other files stay."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ReorgError, match=r"notes\.txt"):
        write(tiny, folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_stale_outline_file_is_not_kept(tiny: Apparatus, tmp_path: Path) -> None:
    """territories.geojson of the bundle replaced goes with it: it described other units."""
    folder = tmp_path / "b"
    write(tiny, folder)
    (folder / "territories.geojson").write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    write(tiny, folder)
    assert not (folder / "territories.geojson").exists()


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_a_path_under_a_regular_file_is_one_line_error(tiny: Apparatus, tmp_path: Path, suffix: str) -> None:
    """Writing below a file (once a traceback) is a ReorgError naming the path."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / f"out{suffix}"
    with pytest.raises(ReorgError) as caught:
        write(tiny, target)
    assert str(target) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_a_full_disk_leaves_the_old_bundle_and_no_debris(
    tiny: Apparatus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A write failing half-way (ENOSPC) is one ReorgError; the previous bundle is intact and no
    temporary file or folder is left beside it."""
    target = tmp_path / f"b{suffix}"
    write(tiny, target)
    before = sorted(p.name for p in tmp_path.iterdir())

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(f"reorg.io.writer.{'write_xlsx' if suffix else 'info_json'}", full)
    bare = build_apparatus(units=[UnitRow("r", "Root", "nation")])
    with pytest.raises(ReorgError, match="No space left on device"):
        write(bare, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert len(load(target).units) == len(tiny.units)
