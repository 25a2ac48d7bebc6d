"""Operations and plans as data, with their JSON form.

A plan is JSON::

    {"baseline": "vietnam-2024", "name": "...", "description": "...",
     "operations": [{"op": "merge", "units": ["a", "b"], "into": {"id": "ab", "name": "A-B"}}, ...]}

Every operation is a frozen dataclass; ``to_dict``/``from_dict`` round-trip exactly. What each operation
does to an apparatus is in ``reorg.plan.apply``; the JSON fields of each are listed in
docs/data-format.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from reorg.errors import PlanError
from reorg.model.values import JsonError, load_json
from reorg.plan.fields import FieldError, build, check_values, show, value_problem

__all__ = [
    "OPERATIONS",
    "OPTIONAL_INVARIANTS",
    "AbolishLevel",
    "Create",
    "Dissolve",
    "Merge",
    "Move",
    "MovePeople",
    "NewUnit",
    "Operation",
    "Plan",
    "ReleasePeople",
    "Rename",
    "Split",
    "SplitPart",
    "Transfer",
]

Role = Literal["lead", "support"]


def _checked(obj: Any, op: str | None = None) -> None:
    """Refuse a field of ``obj`` that breaks the value rules shared with bundles (PlanError)."""
    try:
        check_values(obj)
    except FieldError as exc:
        raise PlanError(str(exc), op=op) from None


@dataclasses.dataclass(frozen=True)
class NewUnit:
    """The unit an operation creates (or keeps, when ``id`` is one of the units merged).

    Empty ``level``/``parent_id`` mean "as the units it comes from"; an empty ``kind`` of a merged unit is
    decided by ``reorg.plan.kinds.merged_kind`` (a ward if any member is; else the kind holding most
    people)."""

    id: str
    name: str
    level: str = ""
    parent_id: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        _checked(self)


@dataclasses.dataclass(frozen=True)
class Operation:
    """Base of all operations; ``op`` is the JSON tag."""

    op: ClassVar[str] = ""

    def __post_init__(self) -> None:
        _checked(self, self.op)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op}
        out.update(_plain(dataclasses.asdict(self)))
        return out


@dataclasses.dataclass(frozen=True)
class Merge(Operation):
    """Units of one level become one unit: territory, attributes (area, population, quota), duties,
    people and children are pooled. ``into.id`` may name one of ``units`` (that one absorbs the rest).
    A moved duty keeps covering the territory it covered (its scope is kept)."""

    op: ClassVar[str] = "merge"
    units: tuple[str, ...]
    into: NewUnit


@dataclasses.dataclass(frozen=True)
class SplitPart:
    """One part of a split: the unit receiving ``share`` (0..1] of the split unit's territory and
    additive attributes. ``id`` may be an existing unit of the same level (it then grows) or new."""

    id: str
    share: float
    name: str = ""
    children: tuple[str, ...] = ()
    people: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _checked(self)


@dataclasses.dataclass(frozen=True)
class Split(Operation):
    """A unit is divided between ``parts`` whose shares sum to 1. Each part gets the unit's duties for
    its own territory; children and people go where the parts name them, the rest to the first part."""

    op: ClassVar[str] = "split"
    unit: str
    parts: tuple[SplitPart, ...]


@dataclasses.dataclass(frozen=True)
class Dissolve(Operation):
    """A unit ceases to exist. Its duties, people and children go to ``successor`` (default: its
    parent); people named in ``release`` leave instead. Moved duties keep the territory they covered."""

    op: ClassVar[str] = "dissolve"
    unit: str
    successor: str = ""
    release: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Transfer(Operation):
    """A task's duty moves: ``from_unit`` stops and ``to_unit`` starts doing ``task`` in ``role``.
    Empty ``from_unit`` adds a duty; empty ``to_unit`` removes one. ``scope`` is the territory the new
    duty covers (empty: the receiving unit's jurisdiction)."""

    op: ClassVar[str] = "transfer"
    task: str
    from_unit: str = ""
    to_unit: str = ""
    role: Role = "lead"
    scope: str = ""


@dataclasses.dataclass(frozen=True)
class AbolishLevel(Operation):
    """Every unit of ``level`` ceases to exist, and with it the agencies that act inside it. Children
    are re-attached to the nearest surviving ancestor. Duties go ``up`` (to that ancestor) or ``down``
    (to each territorial child, for its own territory) as ``duties`` says, task by task where
    ``overrides`` names a task; people go with the duties' receivers ``up`` or are released."""

    op: ClassVar[str] = "abolish_level"
    level: str
    duties: Literal["up", "down"] = "down"
    overrides: tuple[tuple[str, Literal["up", "down"]], ...] = ()
    people: Literal["up", "release"] = "up"


@dataclasses.dataclass(frozen=True)
class Rename(Operation):
    """A unit gets a new ``name`` and/or ``kind`` (a township reclassified as a commune, a ward as a
    special zone); empty fields stay as they are. Nothing else changes."""

    op: ClassVar[str] = "rename"
    unit: str
    name: str = ""
    kind: str = ""


@dataclasses.dataclass(frozen=True)
class Move(Operation):
    """A unit, with everything below it, is re-attached under ``parent`` (mass organisations brought
    under the Fatherland Front). Its duties, people and children stay with it; a duty without a scope
    covers its new jurisdiction. Nothing else changes."""

    op: ClassVar[str] = "move"
    unit: str
    parent: str


@dataclasses.dataclass(frozen=True)
class Create(Operation):
    """A new unit (``level`` and ``parent_id`` required) with optional attributes."""

    op: ClassVar[str] = "create"
    unit: NewUnit
    quota: float | None = None
    area_km2: float | None = None
    population: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclasses.dataclass(frozen=True)
class MovePeople(Operation):
    """People move to ``to_unit``: those named in ``people``, or else ``count`` of ``from_unit``'s
    staff (the first by id), or else all of them."""

    op: ClassVar[str] = "move_people"
    to_unit: str
    people: tuple[str, ...] = ()
    from_unit: str = ""
    count: int | None = None


@dataclasses.dataclass(frozen=True)
class ReleasePeople(Operation):
    """People leave the apparatus (retire, resign); ``reason`` is kept for the benefit rulesets."""

    op: ClassVar[str] = "release_people"
    people: tuple[str, ...]
    reason: str = ""


#: invariants a plan may ask for in ``require`` (the structural ones always hold)
OPTIONAL_INVARIANTS = ("contiguity", "standards")

OPERATIONS: Mapping[str, type[Operation]] = {
    cls.op: cls
    for cls in (
        Merge,
        Split,
        Dissolve,
        Transfer,
        AbolishLevel,
        Rename,
        Move,
        Create,
        MovePeople,
        ReleasePeople,
    )
}


@dataclasses.dataclass(frozen=True)
class Plan:
    """A scenario: operations applied in order to the apparatus named by ``baseline``.

    ``require`` names the optional invariants the plan asks ``apply`` to enforce on top of the
    structural ones: ``contiguity`` (merged territory is connected in the neighbour graph) and
    ``standards`` (units meet the standards that judge them after the plan)."""

    baseline: str
    operations: tuple[Operation, ...] = ()
    name: str = ""
    description: str = ""
    require: tuple[str, ...] = ("contiguity",)

    def __post_init__(self) -> None:
        for name in ("baseline", "name", "description"):
            problem = value_problem(name, getattr(self, name))
            if problem:
                raise PlanError(str(FieldError(name, problem, getattr(self, name))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "name": self.name,
            "description": self.description,
            "require": list(self.require),
            "operations": [op.to_dict() for op in self.operations],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """A plan from its JSON form; a malformed operation raises PlanError naming its position."""
        if not isinstance(data, Mapping) or not isinstance(data.get("baseline"), str):
            raise PlanError('a plan is an object with a "baseline" dataset id')
        raw_ops = data.get("operations", [])
        if not isinstance(raw_ops, list):
            raise PlanError('"operations" must be a list')
        try:
            fields = build(_PlanFields, {k: v for k, v in data.items() if k != "operations"})
        except FieldError as exc:
            raise PlanError(str(exc)) from None
        unknown = set(fields.require) - set(OPTIONAL_INVARIANTS)
        if unknown:
            raise PlanError(f'"require" must list some of {", ".join(OPTIONAL_INVARIANTS)}')
        ops = tuple(_operation(i, raw) for i, raw in enumerate(raw_ops))
        return cls(
            baseline=fields.baseline,
            operations=ops,
            name=fields.name,
            description=fields.description,
            require=fields.require,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        """A plan from JSON text (or UTF-8 bytes); see ``reorg.model.values.load_json`` for the limits."""
        try:
            data = load_json(text)
        except JsonError as exc:
            raise PlanError(f"not valid JSON: {exc}") from None
        return cls.from_dict(data)


@dataclasses.dataclass(frozen=True)
class _PlanFields:
    """The fields of a plan other than its operations, as JSON gives them."""

    baseline: str
    name: str = ""
    description: str = ""
    require: tuple[str, ...] = ("contiguity",)


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, for JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _operation(position: int, raw: Any) -> Operation:
    if not isinstance(raw, Mapping) or "op" not in raw:
        raise PlanError('each operation is an object with an "op" field', operation=position)
    kind = raw["op"]
    cls = OPERATIONS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise PlanError(
            f"unknown op {show(kind)}; expected one of {', '.join(OPERATIONS)}", operation=position
        )
    fields = {k: v for k, v in raw.items() if k != "op"}
    if cls is AbolishLevel and isinstance(fields.get("overrides"), Mapping):
        fields["overrides"] = [list(pair) for pair in fields["overrides"].items()]
    try:
        operation: Operation = build(cls, fields)
    except FieldError as exc:
        raise PlanError(str(exc), operation=position, op=kind) from None
    return operation
