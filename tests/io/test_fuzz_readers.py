"""Fuzzed input to every bundle reader (CSV, XLSX, GeoJSON, dataset.json) ends in an apparatus or one
ReorgError line, within a hang guard: never a traceback, a hang or a message of several lines."""

from __future__ import annotations

import io as bytes_io
import json
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from hostile_kit import JSON, NASTY_TEXT, outcome
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reorg.io import load
from reorg.io.schema import FILES

VALID = Path(__file__).parent.parent / "data" / "valid"
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
STEMS = sorted(FILES)


def load_folder(files: dict[str, bytes]) -> object:
    """The outcome of loading the valid bundle with ``files`` replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "b"
        folder.mkdir()
        for p in VALID.iterdir():
            (folder / p.name).write_bytes(p.read_bytes())
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return outcome(lambda: load(folder))


def csv_text(rows: list[list[str]]) -> bytes:
    out = bytes_io.StringIO()
    import csv

    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file of the bundle with a header of known (and some unknown) columns and hostile cells."""
    stem = draw(st.sampled_from(STEMS))
    spec = FILES[stem]
    header = draw(
        st.lists(st.sampled_from([*spec.columns, "extra", "", "ID"]), min_size=1, max_size=8, unique=True)
    )
    rows = draw(st.lists(st.lists(NASTY_TEXT, min_size=len(header), max_size=len(header)), max_size=4))
    return spec.filename, csv_text([header, *rows])


@FUZZ
@seed(14)
@given(case=csv_files())
def test_fuzzed_csv_files_end_cleanly(case: tuple[str, bytes]) -> None:
    """A CSV file of known columns and hostile cells is read or refused in one line."""
    name, data = case
    load_folder({name: data})


@FUZZ
@seed(14)
@given(name=st.sampled_from([f"{s}.csv" for s in STEMS]), data=st.binary(max_size=300))
def test_random_bytes_as_csv_end_cleanly(name: str, data: bytes) -> None:
    """Arbitrary bytes in place of a CSV file are refused in one line (or happen to be a valid file)."""
    load_folder({name: data})


@FUZZ
@seed(14)
@given(doc=JSON)
def test_fuzzed_dataset_json_ends_cleanly(doc: Any) -> None:
    """Any JSON value as dataset.json is read or refused in one line."""
    load_folder({"dataset.json": json.dumps(doc).encode()})


@st.composite
def geojson(draw: st.DrawFn) -> Any:
    """Feature collections of unit ids and hostile geometries, or any JSON value."""
    coordinate = st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(), max_size=3)
    ring = st.lists(coordinate, max_size=6)
    geometry = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "x"]),
            "coordinates": st.one_of(st.lists(ring, max_size=2), st.lists(st.lists(ring, max_size=2)), JSON),
        }
    )
    feature = st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "properties": st.fixed_dictionaries({"id": st.sampled_from(["vn", "p1", "c1", "c2", "zz", 7])})
            | JSON,
            "geometry": geometry | JSON,
        }
    )
    collection = st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=3)}
    )
    return draw(collection | JSON)


@FUZZ
@seed(14)
@given(doc=geojson())
def test_fuzzed_geojson_ends_cleanly(doc: Any) -> None:
    """Any feature collection (or other JSON) as territories.geojson is read or refused in one line."""
    load_folder({"territories.geojson": json.dumps(doc).encode()})


CELL = st.one_of(
    st.none(),
    NASTY_TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
)


def write_book(sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = bytes_io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _clean_cell(value: Any) -> Any:
    """openpyxl itself refuses control characters in strings; the fuzzed text keeps the rest."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")[:32_767]
    return value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A workbook of sheets named as bundle files (or not), known and unknown headers, hostile cells."""
    titles = draw(
        st.lists(st.sampled_from([*STEMS, "dataset", "Notes"]), min_size=1, max_size=3, unique=True)
    )
    sheets = {}
    for title in titles:
        columns = FILES[title].columns if title in FILES else ("name", "description", "x")
        header = draw(st.lists(st.sampled_from([*columns, "extra"]), min_size=1, max_size=6, unique=True))
        rows = draw(st.lists(st.lists(CELL.map(_clean_cell), max_size=len(header) + 1), max_size=4))
        sheets[title] = [header, *rows]
    return write_book(sheets)


def load_book(data: bytes) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        path.write_bytes(data)
        return outcome(lambda: load(path))


@FUZZ
@seed(14)
@given(data=workbooks())
def test_fuzzed_workbooks_end_cleanly(data: bytes) -> None:
    """A workbook with hostile sheets and cells is read or refused in one line."""
    load_book(data)


VALID_BOOK: Callable[[], bytes] = lambda: write_book(  # noqa: E731
    {"units": [["id", "name", "level"], ["r", "Root", "top"], ["a", "A", "low", None]]}
)


@FUZZ
@seed(14)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_workbooks_end_cleanly(flips: list[tuple[int, int]]) -> None:
    """A valid workbook with some bytes overwritten (a damaged zip, damaged XML) ends in one line."""
    data = bytearray(VALID_BOOK())
    for position, value in flips:
        data[position % len(data)] = value
    load_book(bytes(data))


@FUZZ
@seed(14)
@given(
    member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"]),
    xml=st.binary(max_size=200) | NASTY_TEXT.map(str.encode),
)
def test_workbooks_with_a_hostile_part_end_cleanly(member: str, xml: bytes) -> None:
    """A workbook one of whose XML parts is replaced by arbitrary bytes ends in one line."""
    src = zipfile.ZipFile(bytes_io.BytesIO(VALID_BOOK()))
    out = bytes_io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, xml if item.filename == member else src.read(item.filename))
    load_book(out.getvalue())
