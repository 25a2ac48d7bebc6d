"""docs/data-format.md stays true: its column tables are the registry's, its CSV snippets parse under
their file's rules, its plans load."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reorg.io.schema import FILES
from reorg.io.sheets import parse_csv
from reorg.model.columns import REGISTRY, TableDef, doc_table
from reorg.plan.operations import OPERATIONS, Plan

DOC = (Path(__file__).parent.parent.parent / "docs" / "data-format.md").read_text(encoding="utf-8")


def csv_snippets() -> list[tuple[str, str]]:
    """(file stem, snippet) for each ```csv block, the stem taken from the heading above it."""
    out = []
    for section in re.split(r"^### ", DOC, flags=re.M)[1:]:
        stem = section.split(".csv", 1)[0].strip()
        out += [(stem, block) for block in re.findall(r"```csv\n(.*?)```", section, flags=re.S)]
    return out


@pytest.mark.parametrize(("stem", "snippet"), csv_snippets(), ids=[s for s, _ in csv_snippets()])
def test_csv_examples_parse(stem: str, snippet: str) -> None:
    """Each documented CSV example has known columns, its required ones, and full rows."""
    sheet = parse_csv(snippet.encode(), f"{stem}.csv", FILES[stem])
    assert sheet.n >= 1


def _section(stem: str) -> str:
    """The text of the ``### {stem}.csv`` section."""
    sections = re.split(r"^### ", DOC, flags=re.M)[1:]
    return next(s for s in sections if s.split(".csv", 1)[0].strip() == stem)


@pytest.mark.parametrize("table", REGISTRY, ids=[t.name for t in REGISTRY])
def test_column_table_is_the_registry(table: TableDef) -> None:
    """Each file's column table in the docs is the one the column registry renders (names, required
    in bold, types, units, meanings, attributes), so that a column added to the registry is documented."""
    documented = re.search(r"^\| column \|.*?(?=\n\n)", _section(table.name), flags=re.M | re.S)
    assert documented is not None, f"no column table under ### {table.name}.csv"
    assert documented.group() == doc_table(table)


def test_every_file_has_an_example() -> None:
    """Every CSV file of a bundle is shown by example."""
    assert {stem for stem, _ in csv_snippets()} == set(FILES)


def test_plan_examples_load() -> None:
    """The documented plan parses, and every documented operation line is a valid operation."""
    blocks = re.findall(r"```json\n(.*?)```", DOC, flags=re.S)
    plan = Plan.from_json(next(b for b in blocks if '"baseline"' in b))
    assert plan.operations
    ops = [
        json.loads(line) for b in blocks for line in _objects(b) if '"op"' in line and '"baseline"' not in b
    ]
    documented = {op["op"] for op in ops} | {op.op for op in plan.operations}
    assert documented == set(OPERATIONS)
    Plan.from_dict({"baseline": "x", "operations": ops})


def _objects(block: str) -> list[str]:
    """Top-level JSON objects of a block holding one object per (possibly continued) line."""
    out, depth, current = [], 0, ""
    for ch in block:
        if depth or ch == "{":
            current += ch
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and current:
            out.append(current)
            current = ""
    return out
