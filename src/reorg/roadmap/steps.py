"""Roadmap steps as data: what each step does (operations of the plan), who owns it, how long it takes
(days), when it may start and must end, and what it waits for.

A ``Roadmap`` is the plan laid out in time: its steps, the start date, and whether the dependencies
derived from the plan (``reorg.roadmap.derive``) are added to the ones the user wrote. It is plain
data: ``to_dict``/``from_dict`` round-trip, and ``reorg.roadmap.fileformat`` reads and writes it as
TOML for people to edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from reorg.errors import InputError

__all__ = ["Roadmap", "Step"]


@dataclasses.dataclass(frozen=True)
class Step:
    """One step: ``operations`` (0-based positions in the plan) done together by ``owner`` (a unit id
    of the baseline) at ``level``, taking ``duration`` days (at least 1), not before ``earliest``, due
    by ``deadline``, after the steps in ``depends`` (added by the user). ``targets`` are indicator
    values expected at the end (e.g. ``headcount``), which monitoring compares reports with."""

    id: str
    name: str
    operations: tuple[int, ...]
    owner: str
    level: str
    duration: int
    earliest: dt.date | None = None
    deadline: dt.date | None = None
    depends: tuple[str, ...] = ()
    targets: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "operations": list(self.operations),
            "owner": self.owner,
            "level": self.level,
            "duration": self.duration,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "depends": list(self.depends),
            "targets": dict(self.targets),
        }


@dataclasses.dataclass(frozen=True)
class Roadmap:
    """The steps of plan ``plan`` laid out from ``start``; ``derive``: add the dependencies derived
    from the plan's operations to the ones the steps name."""

    plan: str
    start: dt.date
    steps: tuple[Step, ...]
    derive: bool = True

    def __post_init__(self) -> None:
        check_steps(self.steps, "roadmap")

    @property
    def index(self) -> dict[str, int]:
        """Step id -> position."""
        return {s.id: i for i, s in enumerate(self.steps)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "start": self.start.isoformat(),
            "derive": self.derive,
            "steps": [s.to_dict() for s in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "roadmap") -> Roadmap:
        """The roadmap in ``data`` (as ``to_dict`` writes it, dates as ISO text or dates); a bad value
        is an InputError naming ``source``, the step (row, 1-based) and the field."""
        start = parse_date(data.get("start"), source, None, "start", required=True)
        assert start is not None
        plan = data.get("plan", "")
        if not isinstance(plan, str):
            raise InputError(source, "a plan name (text)", field="plan", value=repr(plan))
        derive = data.get("derive", True)
        if not isinstance(derive, bool):
            raise InputError(source, "true or false", field="derive", value=repr(derive))
        raw = data.get("steps", data.get("step", []))
        if not isinstance(raw, list):
            raise InputError(source, "a list of steps", field="steps")
        steps = tuple(_step(item, source, row) for row, item in enumerate(raw, start=1))
        check_steps(steps, source)
        return cls(plan, start, steps, derive)


def parse_date(
    value: Any, source: str, row: int | None, field: str, *, required: bool = False
) -> dt.date | None:
    """A date given as a date or as ISO text (YYYY-MM-DD); None when absent and not ``required``."""
    if value is None or value == "":
        if required:
            raise InputError(source, "a date (YYYY-MM-DD)", row=row, field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(source, "a date (YYYY-MM-DD)", row=row, field=field, value=str(value))


def _text(item: Mapping[str, Any], key: str, source: str, row: int, *, required: bool = False) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError(
            source, "a non-empty text" if required else "a text", row=row, field=key, value=str(value)
        )
    return value.strip()


def _ints(value: Any, source: str, row: int, field: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
        raise InputError(source, "a list of whole numbers", row=row, field=field, value=str(value))
    return tuple(value)


def _step(item: Any, source: str, row: int) -> Step:
    if not isinstance(item, Mapping):
        raise InputError(source, "a table of step fields", row=row)
    known = {f.name for f in dataclasses.fields(Step)}
    for key in item:
        if key not in known:
            raise InputError(source, "one of " + ", ".join(sorted(known)), row=row, field=str(key))
    duration = item.get("duration", 1)
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < 1:
        raise InputError(
            source, "a whole number of days, at least 1", row=row, field="duration", value=str(duration)
        )
    depends = item.get("depends", [])
    if not isinstance(depends, list) or not all(isinstance(x, str) for x in depends):
        raise InputError(source, "a list of step ids", row=row, field="depends", value=str(depends))
    targets = item.get("targets", {})
    if not isinstance(targets, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in targets.values()
    ):
        raise InputError(
            source, "a table of indicator = number", row=row, field="targets", value=str(targets)
        )
    return Step(
        id=_text(item, "id", source, row, required=True),
        name=_text(item, "name", source, row),
        operations=_ints(item.get("operations", []), source, row, "operations"),
        owner=_text(item, "owner", source, row),
        level=_text(item, "level", source, row),
        duration=duration,
        earliest=parse_date(item.get("earliest"), source, row, "earliest"),
        deadline=parse_date(item.get("deadline"), source, row, "deadline"),
        depends=tuple(depends),
        targets=tuple(sorted((str(k), float(v)) for k, v in targets.items())),
    )


def check_steps(steps: tuple[Step, ...], source: str) -> None:
    """Step ids unique, durations at least one day, dependencies naming known steps other than
    themselves, no operation in two steps; InputError naming the step (row) and field otherwise."""
    seen: dict[str, int] = {}
    owner_of: dict[int, str] = {}
    for row, s in enumerate(steps, start=1):
        if not s.id:
            raise InputError(source, "a step id", row=row, field="id")
        if s.id in seen:
            raise InputError(
                source, f"a step id not used by step {seen[s.id]}", row=row, field="id", value=s.id
            )
        seen[s.id] = row
        if s.duration < 1:
            raise InputError(source, "a whole number of days, at least 1", row=row, field="duration")
        for op in s.operations:
            if op in owner_of:
                raise InputError(
                    source,
                    f"an operation not already in step {owner_of[op]}",
                    row=row,
                    field="operations",
                    value=str(op),
                )
            owner_of[op] = s.id
    for row, s in enumerate(steps, start=1):
        for d in s.depends:
            if d not in seen or d == s.id:
                raise InputError(source, "the id of another step", row=row, field="depends", value=d)
