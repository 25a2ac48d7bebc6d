"""On an apparatus with planted defects every defect is found and the clean parts give nothing."""

from __future__ import annotations

from typing import Any

import pytest

from reorg.datasets.planted import Planted, planted
from reorg.diagnose import KINDS, Finding, diagnose


def matches(f: Finding, p: Planted) -> bool:
    """A finding matches a planted defect of its kind when it names all the defect's ids."""
    return f.kind == p.kind and set(p.units) <= set(f.units) and set(p.tasks) <= set(f.tasks)


SIZES: list[dict[str, Any]] = [
    {},
    {"ministries": 8, "provinces": 7},
    {"provinces": 5, "districts": 3, "communes": 3},
    {"provinces": 10, "districts": 5, "communes": 10, "departments": 6, "wide": 40},
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", SIZES)
def test_every_planted_defect_is_found_and_nothing_else(seed: int, size: dict[str, Any]) -> None:
    """Each planted defect has a matching finding; each finding matches a planted defect."""
    app, plants = planted(seed, **size)
    findings = diagnose(app).findings
    missed = [p for p in plants if not any(matches(f, p) for f in findings)]
    false = [f.explanation for f in findings if not any(matches(f, p) for p in plants)]
    assert missed == []
    assert false == []


def test_every_kind_is_planted() -> None:
    """The generator plants at least one defect of every kind but a broken tree (which would undo the
    premises of the other checks; tests/diagnose/test_rules_agree.py generates those)."""
    _, plants = planted(0)
    assert {p.kind for p in plants} == set(KINDS) - {"broken_tree"}
