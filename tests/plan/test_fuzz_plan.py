"""Fuzzed plan JSON ends in a plan or one PlanError line; a plan that parses applies or is refused in
one line; never a traceback or a hang."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hostile_kit import JSON, NASTY_TEXT, outcome
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reorg.errors import PlanError, ReorgError
from reorg.model import Apparatus, LevelRow, NeighbourRow, UnitRow, build_apparatus
from reorg.plan import NewUnit, Plan, SplitPart, apply
from reorg.plan.operations import OPERATIONS

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
#: every field name any operation (or its nested objects) has
FIELDS = sorted(
    {f.name for cls in (*OPERATIONS.values(), NewUnit, SplitPart) for f in dataclasses.fields(cls)}
)
BASE: Apparatus = build_apparatus(
    levels=[LevelRow("nation", 0, True), LevelRow("province", 1, True), LevelRow("commune", 2, True)],
    units=[
        UnitRow("vn", "Nation", "nation"),
        UnitRow("p1", "P1", "province", parent_id="vn", population=100.0),
        UnitRow("a", "A", "commune", parent_id="p1", area_km2=3.0),
        UnitRow("b", "B", "commune", parent_id="p1", quota=2.0),
    ],
    neighbours=[NeighbourRow("a", "b", 1.0)],
)
VALUE = st.one_of(
    JSON,
    NASTY_TEXT,
    st.sampled_from(["vn", "p1", "a", "b", "commune", "lead", "up", "down", "release"]),
    st.lists(st.sampled_from(["a", "b", "p1", "zz"]), max_size=3),
    st.fixed_dictionaries({"id": st.sampled_from(["a", "n"]), "name": NASTY_TEXT}),
    st.lists(st.fixed_dictionaries({"id": st.sampled_from(["a", "n", "m"]), "share": JSON}), max_size=3),
)


@st.composite
def raw_operations(draw: st.DrawFn) -> dict[str, Any]:
    op = draw(st.sampled_from([*OPERATIONS, "nope"]) | JSON)
    fields = draw(st.dictionaries(st.sampled_from([*FIELDS, "other"]), VALUE, max_size=5))
    return {"op": op, **fields}


@FUZZ
@seed(14)
@given(doc=JSON)
def test_any_json_as_a_plan_ends_cleanly(doc: Any) -> None:
    """Any JSON value is a plan or a one-line PlanError."""
    result = outcome(lambda: Plan.from_json(json.dumps(doc)))
    assert isinstance(result, Plan | PlanError)


@FUZZ
@seed(14)
@given(
    ops=st.lists(raw_operations(), max_size=4),
    extra=st.dictionaries(st.sampled_from(["name", "require", "x"]), VALUE, max_size=2),
)
def test_fuzzed_operations_parse_and_apply_cleanly(ops: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    """Operations of known and unknown kinds with hostile fields parse or are refused naming the
    operation; what parses applies or is refused, each in one line; and a parsed plan reads back
    equal from its own JSON."""
    doc = {"baseline": "base", "operations": ops, **extra}
    plan = outcome(lambda: Plan.from_json(json.dumps(doc)))
    if isinstance(plan, ReorgError):
        assert isinstance(plan, PlanError)
        return
    assert Plan.from_json(plan.to_json()) == plan
    outcome(lambda: apply(BASE, dataclasses.replace(plan, require=())))


@FUZZ
@seed(14)
@given(data=st.binary(max_size=200) | NASTY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_bytes_as_a_plan_end_cleanly(data: bytes) -> None:
    """Arbitrary bytes (not UTF-8, truncated JSON, control characters) are one PlanError line."""
    outcome(lambda: Plan.from_json(data))
