"""Bad bundles are refused with an InputError naming file, row and column; nothing is returned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reorg.errors import InputError
from reorg.io import load

Files = dict[str, str | bytes | None]
DATA = Path(__file__).parent.parent / "data"
#: the valid bundle each case changes in one way (tests/data/valid/)
VALID = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "valid").iterdir()}


@dataclass(frozen=True)
class Bad:
    """A bundle that differs from VALID in ``files``, and where the error must point."""

    files: Files
    file: str
    row: int | None
    column: str | None
    says: str


ASCII = "ASCII digits"
UNITS_HEADER = "id,name,level,parent_id\n"
PEOPLE_HEADER = "id,unit_id,birth_date,service_start,salary_coefficient\n"


def units(*rows: str) -> Files:
    """units.csv with these rows after the nation and its ministry (parent column 4)."""
    return {"units.csv": UNITS_HEADER + "vn,Nation,nation,\nm1,Ministry,ministry,vn\n" + "".join(rows)}


def replace(filename: str, old: str, new: str) -> Files:
    """VALID's ``filename`` with ``old`` replaced by ``new`` (which must occur)."""
    assert old in VALID[filename]
    return {filename: VALID[filename].replace(old, new)}


CASES = {
    # identities
    "duplicate unit id": Bad(
        units("p1,P,province,vn\n", "p1,Q,province,vn\n"), "units.csv", 5, "id", "row 4"
    ),
    "duplicate task id": Bad(
        {"tasks.csv": "id,name\nland,Land\nland,Again\n"}, "tasks.csv", 3, "id", "unique"
    ),
    "duplicate person id": Bad(replace("people.csv", "x2,", "x1,"), "people.csv", 3, "id", "unique"),
    "empty unit id": Bad(units(",Nameless,province,vn\n"), "units.csv", 4, "id", "required"),
    "empty task name": Bad({"tasks.csv": "id,name\nland,\n"}, "tasks.csv", 2, "name", "required"),
    # the unit and task trees
    "unknown parent": Bad(units("p1,P,province,nowhere\n"), "units.csv", 4, "parent_id", "another unit"),
    "unit is its own parent": Bad(units("p1,P,province,p1\n"), "units.csv", 4, "parent_id", "itself"),
    "unit cycle": Bad(
        units("p1,P,province,c1\n", "c1,C,commune,p1\n"), "units.csv", 4, "parent_id", "p1 → c1 → p1"
    ),
    "task cycle": Bad(
        {"tasks.csv": "id,name,parent_id\nland,Land,reg\nreg,Registration,land\n"},
        "tasks.csv",
        2,
        "parent_id",
        "land → reg → land",
    ),
    "unknown level": Bad(units("p1,P,provinse,vn\n"), "units.csv", 4, "level", "levels"),
    # the tree invariant, as apply keeps it (reorg.plan.invariants.tree)
    "a forest of two roots": Bad(
        units("p1,P,province,\n"), "units.csv", 4, "parent_id", "2 roots (vn and p1)"
    ),
    "a child at its parent's level": Bad(
        units("p1,P,province,vn\n", "p2,Q,province,p1\n"), "units.csv", 5, "level", "not ranked above"
    ),
    "a child ranked above its parent": Bad(
        units("p1,P,province,vn\n", "c1,C,commune,p1\n", "x,X,nation,c1\n"), "units.csv", 6, "level", "x"
    ),
    # number formats and limits (reorg.model.values)
    "rank beyond a 32-bit integer": Bad(
        replace("levels.csv", "commune,2", "commune,1e12"), "levels.csv", 5, "rank", "2,147,483,647"
    ),
    "digit separator": Bad(replace("units.csv", ",120,", ",1_000,"), "units.csv", 3, "quota", "ASCII digits"),
    "full-width digits": Bad(
        replace("units.csv", ",120,", ",１２０,"), "units.csv", 3, "quota", "ASCII digits"
    ),
    "Arabic-Indic digits": Bad(
        replace("units.csv", ",120,", ",١٢٠,"), "units.csv", 3, "quota", "ASCII digits"
    ),
    "text over the cell limit": Bad(
        units("p1," + "x" * 32_768 + ",province,vn\n"), "units.csv", 4, "name", "at most 32,767"
    ),
    "header over the column limit": Bad(
        {"units.csv": "id,name,level," + ",".join(f"a{k}" for k in range(1100)) + "\n"},
        "units.csv",
        1,
        None,
        "at most 1,024 columns",
    ),
    # encodings and separators
    "semicolon-separated": Bad(
        {"units.csv": VALID["units.csv"].replace(",", ";")}, "units.csv", 1, None, "separated by semicolons"
    ),
    "UTF-16 with a byte order mark": Bad(
        {"units.csv": VALID["units.csv"].encode("utf-16")}, "units.csv", None, None, "found UTF-16"
    ),
    "UTF-16 without a byte order mark": Bad(
        {"units.csv": VALID["units.csv"].encode("utf-16-le")}, "units.csv", None, None, "found UTF-16"
    ),
    "dataset.json nested too deep": Bad(
        {"dataset.json": '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"},
        "dataset.json",
        None,
        None,
        "nested at most 64 deep",
    ),
    "dataset.json with a control character": Bad(
        {"dataset.json": '{"name": "a\\u001b[2Jb"}'}, "dataset.json", None, "name", "U+001B"
    ),
    "territories nested too deep": Bad(
        {"territories.geojson": "[" * 100_000 + "]" * 100_000},
        "territories.geojson",
        None,
        None,
        "nested at most 64 deep",
    ),
    # references
    "duty at unknown unit": Bad(
        replace("duties.csv", "p1,reg", "p9,reg"), "duties.csv", 3, "unit_id", "unit"
    ),
    "duty at unknown task": Bad(
        replace("duties.csv", "p1,reg", "p1,tax"), "duties.csv", 3, "task_id", "task"
    ),
    "person at unknown unit": Bad(
        replace("people.csv", "x2,c1", "x2,c9"), "people.csv", 3, "unit_id", "unit"
    ),
    "result of unknown person": Bad(
        replace("results.csv", "x1,2024", "x7,2024"), "results.csv", 2, "person_id", "person"
    ),
    "invalid role": Bad(
        replace("duties.csv", "support", "helper"), "duties.csv", 4, "role", "lead or support"
    ),
    "duplicate duty": Bad(
        {"duties.csv": VALID["duties.csv"] + "p1,reg,lead,\n"}, "duties.csv", 5, None, "row 3"
    ),
    "scope not territorial": Bad(
        replace("duties.csv", "support,c1", "support,m1"), "duties.csv", 4, "scope", "territorial"
    ),
    "neighbour unknown unit": Bad({"neighbours.csv": "a,b\nc1,c9\n"}, "neighbours.csv", 2, "b", "unit"),
    "neighbour of itself": Bad({"neighbours.csv": "a,b\nc1,c1\n"}, "neighbours.csv", 2, "b", "itself"),
    "neighbour pair twice": Bad(
        {"neighbours.csv": "a,b\nc1,c2\nc2,c1\n"}, "neighbours.csv", 3, None, "row 2"
    ),
    # numbers
    "non-numeric area": Bad(
        replace("units.csv", ",100,5000", ",ten,5000"), "units.csv", 4, "area_km2", "km²"
    ),
    "negative population": Bad(
        replace("units.csv", ",5000,", ",-5000,"), "units.csv", 4, "population", "people"
    ),
    "NaN quota": Bad(replace("units.csv", "vn,120", "vn,nan"), "units.csv", 3, "quota", "finite"),
    "infinite border": Bad(
        replace("neighbours.csv", "4.5", "inf"), "neighbours.csv", 2, "border_km", "finite"
    ),
    "negative salary": Bad(
        replace("people.csv", ",2.34", ",-2.34"), "people.csv", 2, "salary_coefficient", "non-negative"
    ),
    "negative target": Bad(
        replace("results.csv", ",10,9,", ",-10,9,"), "results.csv", 2, "target", "non-negative"
    ),
    "missing actual": Bad(replace("results.csv", ",10,9,", ",10,,"), "results.csv", 2, "actual", "required"),
    "negative weight": Bad(
        replace("results.csv", ",9,1", ",9,-1"), "results.csv", 2, "weight", "non-negative"
    ),
    "latitude out of range": Bad(replace("units.csv", "16.5,", "96.5,"), "units.csv", 4, "lat", "-90 to 90"),
    "longitude out of range": Bad(
        replace("units.csv", "107.2", "187.2"), "units.csv", 6, "lon", "-180 to 180"
    ),
    "comma decimal": Bad(replace("units.csv", "16.5,", '"16,5",'), "units.csv", 4, "lat", "latitude"),
    "fractional rank": Bad(
        replace("levels.csv", "commune,2", "commune,2.5"), "levels.csv", 5, "rank", "whole"
    ),
    "non-numeric attribute": Bad(
        {"units.csv": "id,name,level,parent_id,budget\nvn,Nation,nation,,7\nm1,Ministry,ministry,vn,lots\n"},
        "units.csv",
        3,
        "budget",
        "numeric attribute",
    ),
    # dates
    "impossible date": Bad(
        replace("people.csv", "1990-05-05", "2024-02-30"), "people.csv", 3, "birth_date", "exists"
    ),
    "date in another format": Bad(
        replace("people.csv", "1990-05-05", "05/05/1990"), "people.csv", 3, "birth_date", "YYYY-MM-DD"
    ),
    "a birth date in year 0 (PostgreSQL has none)": Bad(
        replace("people.csv", "1990-05-05", "0000-01-01"), "people.csv", 3, "birth_date", "from 1800-01-01"
    ),
    "an attribute name longer than the store keeps": Bad(
        {"units.csv": "id,name,level," + "b" * 250 + "\nvn,Nation,nation,1\n"},
        "units.csv",
        1,
        "b" * 64 + "…",
        "at most 64 characters",
    ),
    "future birth date": Bad(
        replace("people.csv", "1980-01-01", "2999-01-01"), "people.csv", 2, "birth_date", "not after today"
    ),
    "future service start": Bad(
        replace("people.csv", "2015-03-01", "2999-03-01"), "people.csv", 3, "service_start", "not after today"
    ),
    "service before birth": Bad(
        replace("people.csv", "2005-01-01", "1975-01-01"), "people.csv", 2, "service_start", "birth_date"
    ),
    # file structure
    "missing required column": Bad(
        {"tasks.csv": "id,field\nland,x\n"}, "tasks.csv", 1, "name", "required column"
    ),
    "unknown column": Bad({"tasks.csv": "id,nmae\nland,Land\n"}, "tasks.csv", 1, "nmae", "known column"),
    "column twice": Bad({"tasks.csv": "id,name,name\nland,Land,L\n"}, "tasks.csv", 1, "name", "once"),
    "empty file": Bad({"duties.csv": b""}, "duties.csv", None, None, "0 bytes"),
    "header-only file": Bad(
        {"results.csv": "person_id,period,indicator,target,actual\n"},
        "results.csv",
        None,
        None,
        "leave the file out",
    ),
    "not UTF-8": Bad({"tasks.csv": "id,name\nland,Земля\n".encode("cp1251")}, "tasks.csv", 2, None, "UTF-8"),
    "binary garbage": Bad({"tasks.csv": b"id,name\nland,\x00\x01\x02\xff\n"}, "tasks.csv", 2, None, "binary"),
    "control character": Bad({"tasks.csv": "id,name\nland,La\x07nd\n"}, "tasks.csv", 2, None, "control"),
    "ragged row": Bad(
        {"tasks.csv": "id,name\nland,Land\nreg,Registration,extra\n"}, "tasks.csv", 3, None, "2 fields"
    ),
    "unclosed quote": Bad(
        {"tasks.csv": 'id,name\nland,Land\nreg,"Registration\n'}, "tasks.csv", 3, None, "quote"
    ),
    "no units": Bad({"units.csv": None}, "units.csv", None, None, "every bundle has one"),
    "misspelt file": Bad(
        {"dutys.csv": "unit_id,task_id,role\nm1,land,lead\n"}, "dutys.csv", None, None, "known file name"
    ),
    "standards for unknown level": Bad(
        {"standards.csv": "level,min_population\nhamlet,10\n"}, "standards.csv", 2, "level", "level"
    ),
    "standards row twice for one level, kind and class": Bad(
        {
            "standards.csv": "level,kind,class,min_population\n"
            "commune,ward,,10\ncommune,,,5\ncommune,ward,,20\n"
        },
        "standards.csv",
        4,
        "level",
        "one row per level, kind and class; already at row 2",
    ),
    "standards class not a name": Bad(
        {"standards.csv": "level,class,min_population\ncommune,high land,10\n"},
        "standards.csv",
        2,
        "class",
        "class name",
    ),
    "result twice": Bad(
        {"results.csv": VALID["results.csv"] + "x1,2024,kpi,5,5,1\n"}, "results.csv", 3, None, "row 2"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_bundle_is_refused_naming_where(bundle: Callable[[Files], Path], case: Bad) -> None:
    """Each bad input raises InputError with the file, row and column a person needs to fix it."""
    folder = bundle(case.files)
    with pytest.raises(InputError) as caught:
        load(folder)
    error = caught.value
    assert (error.file, error.row, error.column) == (case.file, case.row, case.column), str(error)
    assert case.says in str(error)


def test_valid_bundle_loads(bundle: Callable[..., Path]) -> None:
    """The bundle every refusal case starts from is itself valid, so each case fails for its one reason."""
    app = load(bundle())
    assert app.counts() == {
        "levels": 4,
        "units": 5,
        "tasks": 2,
        "duties": 3,
        "people": 2,
        "results": 1,
        "neighbours": 1,
        "standards": 1,
    }


def test_levels_are_inferred_when_levels_file_is_absent(bundle: Callable[..., Path]) -> None:
    """Without levels.csv, levels come from the tree: rank = shallowest depth, none territorial."""
    app = load(
        bundle({"levels.csv": None, "duties.csv": VALID["duties.csv"].replace("support,c1", "support,vn")})
    )
    ranks = dict(zip(app.levels.name.tolist(), app.levels.rank.tolist(), strict=True))
    assert ranks == {"nation": 0, "ministry": 1, "province": 1, "commune": 2}
    assert not app.levels.territorial.any()


def test_scope_must_be_the_root_when_levels_are_inferred(bundle: Callable[..., Path]) -> None:
    """With inferred levels only the root carries territory, so a commune scope is refused."""
    with pytest.raises(InputError, match="territorial") as caught:
        load(bundle({"levels.csv": None}))
    assert (caught.value.file, caught.value.row, caught.value.column) == ("duties.csv", 4, "scope")


def test_fixture_files_are_refused_as_documented() -> None:
    """The readable bad-bundle fixtures in tests/data/bad each raise the error their README names."""
    root = DATA / "bad"
    expected = {
        "not_utf8": ("units.csv", 2, "UTF-8"),
        "binary": ("units.csv", 3, "binary"),
        "unit_cycle": ("units.csv", 3, "a → c → b → a"),
        "unclosed_quote": ("units.csv", 3, "quote"),
        "bom_ok_but_ragged": ("units.csv", 3, "4 fields"),
    }
    assert sorted(p.name for p in root.iterdir()) == sorted(expected)
    for case, (file, row, says) in expected.items():
        with pytest.raises(InputError) as caught:
            load(root / case)
        assert (caught.value.file, caught.value.row) == (file, row), case
        assert says in str(caught.value), case
