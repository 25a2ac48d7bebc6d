"""Fixtures for reading and writing bundles.

``bundle`` copies the small valid bundle of tests/data/valid/ (a nation, a ministry, a province with two
communes, two tasks, three duties, two people) into a temporary folder, with some files replaced or
removed, so that each refusal test differs from a valid bundle in exactly one way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reorg.model import Apparatus

DATA = Path(__file__).parent.parent / "data"

Files = dict[str, str | bytes | None]
Bundle = Callable[..., Path]


@pytest.fixture
def valid() -> dict[str, str]:
    """The text of each file of tests/data/valid/."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((DATA / "valid").iterdir())}


@pytest.fixture
def bundle(tmp_path: Path, valid: dict[str, str]) -> Bundle:
    """Makes a folder holding the valid bundle with ``files`` replaced (str or bytes) or removed (None)."""

    def make(files: Files | None = None, name: str = "bundle") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        merged: Files = {**valid, **(files or {})}
        for filename, content in merged.items():
            if content is not None:
                data = content.encode("utf-8") if isinstance(content, str) else content
                (folder / filename).write_bytes(data)
        return folder

    return make


def _assert_same(a: Apparatus, b: Apparatus) -> None:
    for table in ("levels", "units", "tasks", "duties", "people", "results", "neighbours", "standards"):
        left, right = getattr(a, table), getattr(b, table)
        for name, column in left.columns():
            other = getattr(right, name)
            assert column.dtype == other.dtype, f"{table}.{name}"
            if column.dtype.kind == "f":
                assert np.array_equal(column, other, equal_nan=True), f"{table}.{name}"
            elif column.dtype.kind == "M":
                assert column.view("i8").tolist() == other.view("i8").tolist(), f"{table}.{name}"
            else:
                assert column.tolist() == other.tolist(), f"{table}.{name}"
    assert a.units.attributes.keys() == b.units.attributes.keys()
    for key, column in a.units.attributes.items():
        assert np.array_equal(column, b.units.attributes[key], equal_nan=True), key
    assert sorted(a.people.attributes) == sorted(b.people.attributes)
    for key, column in a.people.attributes.items():
        assert column.tolist() == b.people.attributes[key].tolist(), key
    assert a.info == b.info
    assert a.lineage == b.lineage


@pytest.fixture(scope="session")
def assert_same() -> Callable[[Apparatus, Apparatus], None]:
    """Asserts that two apparatuses hold the same data: every column (NaN = NaN, NaT = NaT), the unit
    and person attributes, the dataset info and the lineage."""
    return _assert_same
