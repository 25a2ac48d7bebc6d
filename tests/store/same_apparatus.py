"""``assert_same_apparatus``: two apparatuses hold the same data, column by column."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus

TABLES = ("levels", "units", "tasks", "duties", "people", "results", "neighbours", "standards")


def _same_column(where: str, a: npt.NDArray[Any], b: npt.NDArray[Any]) -> None:
    assert a.dtype == b.dtype, f"{where}: dtype {a.dtype} != {b.dtype}"
    assert a.shape == b.shape, f"{where}: {a.shape} rows != {b.shape}"
    if a.dtype.kind == "f":
        same = np.array_equal(a, b, equal_nan=True)
    elif a.dtype.kind == "M":
        same = bool(
            np.array_equal(np.isnat(a), np.isnat(b)) and np.array_equal(a[~np.isnat(a)], b[~np.isnat(b)])
        )
    else:
        same = np.array_equal(a, b)
    if not same:
        bad = next(i for i in range(len(a)) if not (a[i] == b[i] or (a[i] != a[i] and b[i] != b[i])))
        raise AssertionError(f"{where}: row {bad}: {a[bad]!r} != {b[bad]!r}")


def assert_same_apparatus(a: Apparatus, b: Apparatus) -> None:
    """Every column of every table equal (dtype too; NaN equals NaN, NaT equals NaT), unit and person
    attributes, dataset info and lineage equal."""
    for name in TABLES:
        ta, tb = getattr(a, name), getattr(b, name)
        for column, values in ta.columns():
            _same_column(f"{name}.{column}", values, getattr(tb, column))
    assert sorted(a.units.attributes) == sorted(b.units.attributes), "unit attribute names differ"
    for key, values in a.units.attributes.items():
        _same_column(f"units.attributes[{key!r}]", values, b.units.attributes[key])
    assert sorted(a.people.attributes) == sorted(b.people.attributes), "person attribute names differ"
    for key, values in a.people.attributes.items():
        _same_column(f"people.attributes[{key!r}]", values, b.people.attributes[key])
    assert a.info == b.info
    assert a.lineage == b.lineage
