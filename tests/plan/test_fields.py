"""Plan fields of the wrong type or outside the value rules are refused with the operation and field named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reorg.errors import PlanError
from reorg.plan import Create, NewUnit, Plan, Rename

UNIT = {"id": "n", "name": "New", "level": "commune", "parent_id": "p"}


def refusal(op: dict[str, Any], position: int = 1) -> PlanError:
    """The PlanError for a plan whose operation ``position`` is ``op`` (after a valid rename)."""
    ops: list[dict[str, Any]] = [{"op": "rename", "unit": "a", "name": "A"}]
    ops.insert(position, op)
    with pytest.raises(PlanError) as caught:
        Plan.from_dict({"baseline": "x", "operations": ops})
    return caught.value


@pytest.mark.parametrize(
    ("op", "field", "expected"),
    [
        ({"op": "move_people", "to_unit": "a", "from_unit": "b", "count": "3"}, "count", "a whole number"),
        ({"op": "move_people", "to_unit": "a", "from_unit": "b", "count": 1.5}, "count", "a whole number"),
        ({"op": "move_people", "to_unit": "a", "from_unit": "b", "count": True}, "count", "a whole number"),
        ({"op": "move_people", "to_unit": "a", "from_unit": "b", "count": -1}, "count", ">= 0"),
        ({"op": "split", "unit": "a", "parts": [{"id": "b", "share": "0.5"}]}, "parts[0].share", "a number"),
        ({"op": "dissolve", "unit": {"a": 1}}, "unit", "text"),
        ({"op": "create", "unit": UNIT, "lat": "abc"}, "lat", "a number"),
        ({"op": "create", "unit": UNIT, "quota": -5}, "quota", "non-negative headcount"),
        ({"op": "create", "unit": UNIT, "lat": 1000}, "lat", "latitude"),
        ({"op": "create", "unit": UNIT, "area_km2": -3}, "area_km2", "non-negative area"),
        ({"op": "create", "unit": UNIT, "population": 1e400}, "population", "finite"),
        ({"op": "create", "unit": {**UNIT, "name": "\ud800"}}, "unit.name", "lone surrogate"),
        ({"op": "create", "unit": {**UNIT, "id": 7}}, "unit.id", "text"),
        ({"op": "create", "unit": {**UNIT, "colour": "red"}}, "unit.colour", "a known field"),
        ({"op": "create"}, "unit", "required"),
        ({"op": "rename", "unit": "a", "name": "A\x00B"}, "name", "U+0000"),
        ({"op": "rename", "unit": "a", "name": "\x1b[2J"}, "name", "U+001B"),
        ({"op": "rename", "unit": "a", "name": "x" * 40_000}, "name", "at most 32,767"),
        ({"op": "merge", "units": "ab", "into": UNIT}, "units", "a list of ids"),
        ({"op": "merge", "units": ["a", 2], "into": UNIT}, "units[1]", "text"),
        ({"op": "transfer", "task": "t", "to_unit": "a", "role": "boss"}, "role", "'lead' or 'support'"),
        ({"op": "abolish_level", "level": "d", "overrides": [["t"]]}, "overrides[0]", "a list of 2"),
        ({"op": "abolish_level", "level": "d", "overrides": {"t": "sideways"}}, "overrides[0][1]", "'up'"),
    ],
)
def test_a_field_of_the_wrong_type_or_value_names_the_operation_and_field(
    op: dict[str, Any], field: str, expected: str
) -> None:
    """Each bad field ends in one PlanError line naming the operation's position, its op and the field."""
    error = refusal(op)
    assert (error.operation, error.op) == (1, op["op"])
    message = str(error)
    assert message.startswith(f"operation 1 ({op['op']}): operation: field {field!r}: ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", [["merge"], {"a": 1}, 3, None])
def test_an_op_that_is_not_text_is_refused(kind: Any) -> None:
    """``"op": ["merge"]`` (once a TypeError: unhashable list) is an unknown op."""
    error = refusal({"op": kind}, position=0)
    assert error.operation == 0
    assert "unknown op" in str(error)


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ({"baseline": "x", "name": 3}, "field 'name': text"),
        ({"baseline": "x", "require": "contiguity"}, "field 'require': a list"),
        ({"baseline": "x", "require": ["speed"]}, '"require" must list'),
        ({"baseline": "x", "operation": []}, "field 'operation': a known field"),
        ({"baseline": "x\x07"}, "U\\+0007"),
    ],
)
def test_plan_level_fields_are_checked(plan: dict[str, Any], expected: str) -> None:
    """The plan's own fields are type-checked too, instead of being turned into text silently."""
    with pytest.raises(PlanError, match=expected):
        Plan.from_dict(plan)


@pytest.mark.parametrize(
    "text",
    [
        '{"baseline": "x", "operations": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"baseline": "x", "baseline": "y"}',
        '{"baseline": "x", "operations": [{"op": "release_people", "people": [' + "9" * 5000 + "]}]}",
        "[1, 2",
        b"\xff\xfe{\x00}\x00",
    ],
)
def test_json_that_is_too_deep_repeated_or_broken_is_one_plan_error(text: str | bytes) -> None:
    """JSON nested 100,000 deep (once a RecursionError), a repeated key, a 5,000-digit number, broken
    JSON and UTF-16 each end in a one-line PlanError."""
    with pytest.raises(PlanError, match="not valid JSON") as caught:
        Plan.from_json(text)
    assert "\n" not in str(caught.value)


def test_operations_built_in_python_obey_the_same_rules() -> None:
    """A plan made by code cannot hold what a bundle would refuse: the rules run when it is built."""
    with pytest.raises(PlanError, match="quota"):
        Create(NewUnit("n", "New", "commune", "p"), quota=-5)
    with pytest.raises(PlanError, match=r"U\+001B"):
        Rename("a", name="\x1b]8;;http://x\x1b\\")
    with pytest.raises(PlanError, match="lone surrogate"):
        NewUnit("n", "\udfff")


def test_valid_plans_still_round_trip() -> None:
    """A plan with every kind of field reads back equal from its JSON."""
    raw = {
        "baseline": "x",
        "name": "n",
        "description": "d",
        "require": ["contiguity", "standards"],
        "operations": [
            {"op": "create", "unit": UNIT, "quota": 6, "lat": -12.5, "lon": 105.0, "area_km2": None},
            {"op": "move_people", "to_unit": "a", "from_unit": "b", "count": 2},
            {"op": "abolish_level", "level": "d", "overrides": {"t": "up"}},
            {"op": "split", "unit": "a", "parts": [{"id": "b", "share": 1}]},
        ],
    }
    plan = Plan.from_dict(raw)
    assert Plan.from_json(plan.to_json()) == plan
    assert json.loads(plan.to_json())["operations"][2]["overrides"] == [["t", "up"]]
