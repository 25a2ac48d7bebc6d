"""Steps and dependencies derived from a plan's operations.

``build`` makes one step per operation, with its owner unit (the baseline parent of the first unit it
names, the root for a whole level), its level and a default duration by kind. ``dependencies`` gives
each step what it waits for: the steps its user named and, when the roadmap derives them, the rules

- *same unit*: an operation naming a unit (as input, output, receiver or parent) comes after the last
  earlier operation of the plan naming it other than as a parent — so a merged unit exists before
  tasks are transferred to it and its people are placed after the merger that forms it, while the
  children created under one parent do not wait for each other;
- *above* and *below*: an operation naming a unit comes after the last earlier operation naming one of
  its ancestors (below the root; so communes merge after the provinces above them did), and after
  every earlier operation naming a unit below it since it was last named (so departments merge
  before their provinces do);
- *level abolished last*: abolishing a level comes after every earlier operation naming a unit of that
  level or below it (its tasks have gone elsewhere, its children were arranged), and a later operation
  naming such a unit comes after the abolition, and so does a later transfer of any task (the
  abolition moved the duties it transfers).

Nothing else orders steps, so the levels run in parallel wherever these allow. What the rules miss,
the continuity check (``reorg.roadmap.continuity``) finds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping

import numpy as np

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.plan.operations import (
    AbolishLevel,
    Create,
    Dissolve,
    Merge,
    MovePeople,
    Operation,
    Plan,
    Rename,
    Split,
    Transfer,
)
from reorg.roadmap.steps import Roadmap, Step

__all__ = ["DURATIONS", "Dependency", "build", "dependencies", "names"]

#: default duration of a step, in days, by the kind of its first operation
DURATIONS: Mapping[str, int] = {
    "merge": 30,
    "split": 30,
    "dissolve": 30,
    "abolish_level": 60,
    "transfer": 14,
    "create": 14,
    "rename": 7,
    "move_people": 14,
    "release_people": 14,
}


@dataclasses.dataclass(frozen=True)
class Dependency:
    """Step ``step`` comes after step ``after`` because of ``rule`` (``user``, ``same_unit``,
    ``above``, ``below``, ``abolish``), about ``subject`` (a unit id or level name; empty for
    ``user``)."""

    step: str
    after: str
    rule: str
    subject: str = ""

    def to_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def names(op: Operation) -> list[str]:
    """The unit ids an operation names (inputs, outputs, receivers, parents), in a fixed order."""
    out: list[str] = []
    if isinstance(op, Merge):
        out = [*op.units, op.into.id, op.into.parent_id]
    elif isinstance(op, Split):
        out = [op.unit, *(p.id for p in op.parts), *(c for p in op.parts for c in p.children)]
    elif isinstance(op, Dissolve):
        out = [op.unit, op.successor]
    elif isinstance(op, Transfer):
        out = [op.from_unit, op.to_unit, op.scope]
    elif isinstance(op, Rename):
        out = [op.unit]
    elif isinstance(op, Create):
        out = [op.unit.id, op.unit.parent_id]
    elif isinstance(op, MovePeople):
        out = [op.to_unit, op.from_unit]
    return list(dict.fromkeys(x for x in out if x))


def _under_levels(app: Apparatus) -> list[frozenset[int]]:
    """Per baseline unit, the levels of itself and its ancestors."""
    parent = app.units.parent
    level = app.units.level
    out: list[frozenset[int]] = [frozenset()] * len(parent)
    for u in app.preorder.tolist():
        p = int(parent[u])
        out[u] = (out[p] if p >= 0 else frozenset()) | {int(level[u])}
    return out


class _Names:
    """What is known of each unit id while walking the plan: its levels-above set, level and owner."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.index = app.units.index
        self.levels = _under_levels(app)
        self.level_index = {str(n): i for i, n in enumerate(app.levels.name.tolist())}
        self.made: dict[str, tuple[frozenset[int], int, str]] = {}

    def info(self, uid: str) -> tuple[frozenset[int], int, str] | None:
        if uid in self.made:
            return self.made[uid]
        u = self.index.get(uid)
        if u is None:
            return None
        p = int(self.app.units.parent[u])
        return self.levels[u], int(self.app.units.level[u]), str(self.app.units.id[p]) if p >= 0 else uid

    def learn(self, op: Operation, frozen: set[int]) -> None:
        """Record units ``op`` creates: below what its sources were below (levels abolished already,
        ``frozen``, no longer count)."""
        known = [i for i in (self.info(x) for x in names(op)) if i is not None]
        if not known:
            return
        above = frozenset().union(*(i[0] for i in known)) - frozen
        level, owner = known[0][1], known[0][2]
        for uid in names(op):
            if uid not in self.index:
                self.made[uid] = (above, level, owner)


def _parents(op: Operation) -> set[str]:
    """The existing units an operation names only as the parent of what it creates."""
    if isinstance(op, Merge) and op.into.parent_id not in op.units:
        return {op.into.parent_id} - {""}
    if isinstance(op, Create):
        return {op.unit.parent_id} - {""}
    return set()


class _Ancestors:
    """The ancestors of each unit id below the root: a baseline unit's from the tree; a unit an
    operation creates inherits those of the units named with it."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.cache: dict[str, tuple[str, ...]] = {}

    def ancestors(self, uid: str) -> tuple[str, ...]:
        found = self.cache.get(uid)
        if found is not None:
            return found
        units = self.app.units
        u = units.index.get(uid)
        out: list[str] = []
        if u is not None:
            p = int(units.parent[u])
            while p >= 0 and int(units.parent[p]) >= 0:
                out.append(str(units.id[p]))
                p = int(units.parent[p])
        self.cache[uid] = tuple(out)
        return self.cache[uid]

    def learn(self, uid: str, named: list[str]) -> None:
        """A unit the baseline lacks takes the ancestors of the units named with it."""
        if uid in self.app.units.index or uid in self.cache:
            return
        above = dict.fromkeys(a for other in named if other != uid for a in self.ancestors(other))
        self.cache[uid] = tuple(a for a in above if a not in named)


def build(app: Apparatus, plan: Plan, *, start: dt.date, name: str = "") -> Roadmap:
    """The roadmap of ``plan`` on ``app``: one step per operation, from ``start``, dependencies derived."""
    known = _Names(app)
    root = str(app.units.id[int(np.flatnonzero(app.units.parent < 0)[0])]) if len(app.units.id) else ""
    steps = []
    for i, op in enumerate(plan.operations):
        level, owner = "", root
        if isinstance(op, AbolishLevel):
            level = op.level
        else:
            for uid in names(op):
                info = known.info(uid)
                if info is not None:
                    level, owner = str(app.levels.name[info[1]]), info[2]
                    break
        known.learn(op, set())
        subject = next(iter(names(op)), level)
        steps.append(
            Step(
                id=f"s{i + 1}",
                name=f"{op.op} {subject}".strip(),
                operations=(i,),
                owner=owner,
                level=level,
                duration=DURATIONS.get(op.op, 14),
                earliest=start,
            )
        )
    return Roadmap(name or plan.name, start, tuple(steps), True)


def dependencies(
    roadmap: Roadmap, app: Apparatus, plan: Plan, *, source: str = "roadmap"
) -> list[Dependency]:
    """Every dependency of ``roadmap``'s steps: the user's, then the derived ones (when the roadmap
    derives them), each pair once. A step naming an operation the plan does not have is an
    InputError naming the step (row) and the field."""
    n = len(plan.operations)
    step_of = [""] * n
    for row, s in enumerate(roadmap.steps, start=1):
        for op in s.operations:
            if not 0 <= op < n:
                raise InputError(
                    source,
                    f"an operation of the plan (0 to {n - 1})",
                    row=row,
                    field="operations",
                    value=str(op),
                )
            step_of[op] = s.id
    out: dict[tuple[str, str], Dependency] = {}
    for s in roadmap.steps:
        for d in s.depends:
            out.setdefault((s.id, d), Dependency(s.id, d, "user"))
    if roadmap.derive:
        for dep in _derived(app, plan, step_of):
            out.setdefault((dep.step, dep.after), dep)
    return list(out.values())


def _derived(app: Apparatus, plan: Plan, step_of: list[str]) -> Iterator[Dependency]:
    known = _Names(app)
    last: dict[str, str] = {}  # unit id -> step that last named it
    under: dict[int, list[tuple[str, str]]] = {}  # level -> (step, unit) naming a unit at or below it
    abolished: dict[int, str] = {}  # level -> the step abolishing it
    tree = _Ancestors(app)
    subs: dict[str, list[str]] = {}  # unit id -> steps since it was last named that named a unit below it
    for i, op in enumerate(plan.operations):
        step = step_of[i]
        if not step:
            continue
        if isinstance(op, AbolishLevel):
            level = known.level_index.get(op.level)
            if level is None:
                continue
            for before, uid in under.pop(level, []):
                if before != step:
                    yield Dependency(step, before, "abolish", uid)
            abolished[level] = step
            known.learn(op, set(abolished))
            continue
        named = names(op)
        if isinstance(op, Transfer):  # an abolition moved the duties of every task: transfers wait
            for level, abolition in abolished.items():
                if abolition != step:
                    yield Dependency(step, abolition, "abolish", str(known.app.levels.name[level]))
        parents = _parents(op)  # a parent is only referred to: its other children do not wait
        for uid in named:
            for a in tree.ancestors(uid):  # what re-arranged the units above comes first
                prev = last.get(a)
                if prev is not None and prev != step:
                    yield Dependency(step, prev, "above", a)
            for before in [] if uid in parents else subs.pop(uid, []):  # and what was done below
                if before != step:
                    yield Dependency(step, before, "below", uid)
        for uid in named:
            tree.learn(uid, named)
            for a in tree.ancestors(uid):
                subs.setdefault(a, []).append(step)
        for uid in named:
            prev = last.get(uid)
            if prev is not None and prev != step:
                yield Dependency(step, prev, "same_unit", uid)
            if uid not in parents:
                last[uid] = step
            info = known.info(uid)
            if info is None:
                continue
            for lv in info[0]:
                gone = abolished.get(lv)
                if gone is not None and gone != step:
                    yield Dependency(step, gone, "abolish", str(known.app.levels.name[lv]))
                else:
                    under.setdefault(lv, []).append((step, uid))
        known.learn(op, set(abolished))
