"""Steps and dependencies derived from a plan's operations.

``build`` makes one step per operation, with its owner unit (the baseline parent of the first unit it
names, the root for a whole level), its level and a default duration by kind — but for *together*: a
merge or split of the lowest territorial units' own bodies (a level with at most one unit under each
commune: its Party committee, its Front committee) whose parents are exactly the units a later
territorial merge or split reshapes goes in that one's step, when nothing between them names its
units (the commune's committees are merged and split with the commune). ``dependencies`` gives
each step what it waits for: the steps its user named and, when the roadmap derives them, only the
orders that matter — a later operation waits for an earlier one when applying them the other way
round would fail or give another apparatus:

- *same unit*: an operation touching a unit as a unit (creating, merging, splitting, dissolving or
  re-attaching it) comes after every earlier touch of that unit, and any touch comes after the last
  such one (a merged unit exists before tasks are transferred to it; people are placed after the
  merger that forms their unit). Lighter touches (``references``) keep their order only when they do
  not commute: two transfers of the same task through a unit, a pour of a dissolved unit (which may
  bring any task) against a transfer, two moves of staff, two renames. Transfers of different tasks,
  dissolutions into one successor and units created under one parent run in parallel;
- *below*: touching a unit as a unit comes after every earlier operation naming a unit below it since
  (a province's departments merge before the province does, so no task is led twice in between);
- *above*: a transfer comes after what last re-arranged the units above those it names up to the
  nearest territorial one (its jurisdiction, read then; none for a territorial unit), a dissolution
  into the parent after what re-arranged any unit above; a merge of units with different
  parents comes after what made the parents one: the merge of the ancestors they do not share, or the
  abolition of their level (communes of two districts merge once the districts are gone; communes of
  one district merge while it still stands);
- *abolish*: abolishing a level comes after every earlier operation naming a unit of that level or
  below it (its tasks have moved, its committees are gone). After it, an operation naming a unit of
  that level, a staff move naming a unit below it, a transfer of a task the removed units may hold
  (``_Held``) naming a unit below it, a transfer or staff move naming one of the units its duties go up
  to (the abolition gives them duties and staff), a transfer adding or removing a duty outright, and
  a dissolution into the parent below it come after the abolition; nothing else does.

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
    Move,
    MovePeople,
    Operation,
    Plan,
    Rename,
    Split,
    Transfer,
)
from reorg.roadmap.steps import Roadmap, Step

__all__ = ["DURATIONS", "Dependency", "build", "dependencies", "names", "references"]

#: how an operation touches a unit it creates, reshapes, removes or re-attaches
UNIT = "unit"

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
    elif isinstance(op, Move):
        out = [op.unit, op.parent]
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
        if isinstance(op, Create) and op.unit.level in self.level_index:  # made at the level it names
            level = self.level_index[op.unit.level]
            above |= {level}
        for uid in names(op):
            if uid not in self.index and uid not in self.made:  # a unit keeps what it was made as
                self.made[uid] = (above, level, owner)


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
        if u is None:
            return ()  # not learned yet
        out: list[str] = []
        p = int(units.parent[u])
        while p >= 0 and int(units.parent[p]) >= 0:
            out.append(str(units.id[p]))
            p = int(units.parent[p])
        self.cache[uid] = tuple(out)
        return self.cache[uid]

    def learn(self, uid: str, named: list[str], parent: str = "") -> None:
        """A unit the baseline lacks takes the ancestors of the units named with it (its ``parent``
        and the parent's, when the operation says where it goes)."""
        if uid in self.app.units.index or uid in self.cache:
            return
        if parent:
            units = self.app.units
            root = parent in units.index and int(units.parent[units.index[parent]]) < 0
            self.cache[uid] = () if root else (parent, *self.ancestors(parent))
            return
        above = dict.fromkeys(a for other in named if other != uid for a in self.ancestors(other))
        self.cache[uid] = tuple(a for a in above if a not in named)


class _Parents:
    """The parent of each unit id while walking the plan in order: the baseline's, then as the
    operations create, split, merge, dissolve and re-attach units (a unit merged or dissolved away is
    followed to the unit that took its place)."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.set: dict[str, str] = {}
        self.replaced: dict[str, str] = {}

    def _current(self, uid: str) -> str:
        seen = 0
        while uid in self.replaced and seen < 64:
            uid, seen = self.replaced[uid], seen + 1
        return uid

    def of(self, uid: str) -> str:
        """The current parent of ``uid`` (empty when unknown or the root)."""
        if uid in self.set:
            return self._current(self.set[uid])
        units = self.app.units
        u = units.index.get(uid)
        if u is None or int(units.parent[u]) < 0:
            return ""
        return self._current(str(units.id[int(units.parent[u])]))

    def learn(self, op: Operation) -> None:
        if isinstance(op, Merge):
            parent = op.into.parent_id or self.of(op.units[0])
            self.set[op.into.id] = parent
            self.replaced.update((u, op.into.id) for u in op.units if u != op.into.id)
        elif isinstance(op, Split):
            parent = self.of(op.unit)
            for part in op.parts:
                self.set[part.id] = parent
                self.set.update((c, part.id) for c in part.children)
            if op.unit not in {p.id for p in op.parts} and op.parts:
                self.replaced[op.unit] = op.parts[0].id
        elif isinstance(op, Create):
            self.set[op.unit.id] = op.unit.parent_id
        elif isinstance(op, Move):
            self.set[op.unit] = op.parent
        elif isinstance(op, Dissolve):
            self.replaced[op.unit] = op.successor or self.of(op.unit)


def _inputs(op: Operation) -> tuple[str, ...]:
    """The units a merge or split reshapes (none for other operations)."""
    if isinstance(op, Merge):
        return op.units
    if isinstance(op, Split):
        return (op.unit,)
    return ()


def _own_levels(app: Apparatus) -> set[int]:
    """The agency levels that are the own bodies of the lowest territorial units: one unit of the level
    at most under each unit (a commune's Party committee, its Front committee; never several, as
    departments are), all under units of a territorial level with no territorial unit below."""
    units, terr = app.units, app.levels.territorial
    has_parent = units.parent >= 0
    upper = set(units.level[units.parent[has_parent & terr[units.level]]].tolist())
    out: set[int] = set()
    for level in np.flatnonzero(~terr).tolist():
        parents = units.parent[units.level == level]
        parents = parents[parents >= 0]
        if (
            len(parents)
            and len(np.unique(parents)) == len(parents)
            and all(terr[lv] and lv not in upper for lv in set(units.level[parents].tolist()))
        ):
            out.add(int(level))
    return out


def _companions(app: Apparatus, plan: Plan) -> dict[int, int]:
    """*together*: a merge or split of a territorial unit's own bodies (``_own_levels``) whose parents
    are exactly the units a later territorial operation of the same kind reshapes — the commune's
    committees merged or split with the commune — goes in that operation's step, provided nothing
    between them names a unit it names. Operation -> the territorial operation it goes with."""
    known = _Names(app)
    parents = _Parents(app)
    terr = app.levels.territorial
    own = _own_levels(app)
    out: dict[int, int] = {}
    waiting: list[tuple[int, str, frozenset[str], frozenset[str]]] = []  # (op, kind, parents, names)
    for i, op in enumerate(plan.operations):
        inputs = _inputs(op)
        info = known.info(inputs[0]) if inputs else None
        named = set(names(op))
        if info is not None:
            mine = frozenset(parents.of(u) for u in inputs)
            if terr[info[1]]:
                for j, kind, above, _ in waiting:
                    if kind == op.op and above == frozenset(inputs):
                        out[j] = i
                waiting = [w for w in waiting if w[0] not in out]
            elif info[1] in own and "" not in mine:
                waiting = [w for w in waiting if not w[3] & named]
                waiting.append((i, op.op, mine, frozenset(named - mine)))
                named = set()
        if named:
            waiting = [w for w in waiting if not w[3] & named]
        known.learn(op, set())
        parents.learn(op)
    return out


def build(app: Apparatus, plan: Plan, *, start: dt.date, name: str = "") -> Roadmap:
    """The roadmap of ``plan`` on ``app``: one step per operation (the agencies' merge or split that
    goes with a territorial one in that one's step: ``_companions``), from ``start``, dependencies
    derived."""
    known = _Names(app)
    root = str(app.units.id[int(np.flatnonzero(app.units.parent < 0)[0])]) if len(app.units.id) else ""
    with_ = _companions(app, plan)
    joined: dict[int, list[int]] = {}
    for j, i in with_.items():
        joined.setdefault(i, []).append(j)
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
        if i in with_:
            continue
        ops = (*sorted(joined.get(i, ())), i)
        subject = next(iter(names(op)), level)
        steps.append(
            Step(
                id=f"s{i + 1}",
                name=f"{op.op} {subject}".strip(),
                operations=ops,
                owner=owner,
                level=level,
                duration=max(DURATIONS.get(plan.operations[k].op, 14) for k in ops),
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


def references(op: Operation) -> list[tuple[str, str]]:
    """The units ``op`` names with how it touches each: ``unit`` (it creates, reshapes or removes the
    unit, or re-attaches it) or a light key: ``task:<id>`` (a transfer starts or stops a duty of that
    task there), ``pour`` (a dissolved unit's duties, staff and children go there), ``child`` (a
    unit is created or put under it), ``scope`` (a transfer's territory), ``people``, ``rename``."""
    out: list[tuple[str, str]] = []
    if isinstance(op, Merge):
        out = [(u, UNIT) for u in (*op.units, op.into.id)]
        if op.into.parent_id and op.into.parent_id not in op.units:
            out.append((op.into.parent_id, "child"))
    elif isinstance(op, Split):
        out = [(op.unit, UNIT), *((p.id, UNIT) for p in op.parts)]
        out += [(c, UNIT) for p in op.parts for c in p.children]
    elif isinstance(op, Dissolve):
        out = [(op.unit, UNIT), (op.successor, "pour")]
    elif isinstance(op, Transfer):
        key = f"task:{op.task}"
        out = [(op.from_unit, key), (op.to_unit, key), (op.scope, "scope")]
    elif isinstance(op, Rename):
        out = [(op.unit, "rename")]
    elif isinstance(op, Create):
        out = [(op.unit.id, UNIT), (op.unit.parent_id, "child")]
    elif isinstance(op, Move):
        out = [(op.unit, UNIT), (op.parent, "child")]
    elif isinstance(op, MovePeople):
        out = [(op.to_unit, "people"), (op.from_unit, "people")]
    seen: dict[str, str] = {}
    for uid, key in out:
        if uid and (uid not in seen or key == UNIT):
            seen[uid] = key
    return list(seen.items())


def _conflict(a: str, b: str) -> bool:
    """Whether two light touches of one unit must keep the plan's order: the same task twice, the
    same staff twice, two renames; a pour (which brings any task and staff) against a task or staff
    touch. Children put under a unit, pours into it and scopes naming it commute."""
    if a == "pour" or b == "pour":
        return (a if b == "pour" else b).startswith("task:") or "people" in (a, b)
    return a == b and a not in ("child", "scope")


def _receivers(app: Apparatus, level: int) -> set[int]:
    """The levels that receive duties going up when ``level`` is abolished: those of the nearest
    ancestors (territorial ones, for a territorial level) of its units, in the baseline."""
    units = app.units
    terr = app.levels.territorial
    out: set[int] = set()
    for u in np.flatnonzero(units.level == level).tolist():
        p = int(units.parent[u])
        while p >= 0 and (int(units.level[p]) == level or (terr[level] and not terr[int(units.level[p])])):
            p = int(units.parent[p])
        if p >= 0:
            out.add(int(units.level[p]))
    return out


class _Held:
    """Which tasks the units an abolition removes may hold when it comes: what their baseline duties
    and the transfers into them before it give them (a transfer out is not subtracted; a unit merged,
    split or dissolved into one that stays no longer counts). A pour, merge or re-attachment that brings
    another unit's duties into them makes it unknown (any task)."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        units, terr = app.units, app.levels.territorial
        home = np.full(len(units.id), -1, dtype=np.int64)  # level of the nearest territorial unit
        for u in app.preorder.tolist():
            p = int(units.parent[u])
            home[u] = int(units.level[u]) if terr[int(units.level[u])] or p < 0 else home[p]
        self.home = home
        self.made: dict[str, tuple[int, int]] = {}  # unit id -> (level, home level)
        self.into: dict[str, str] = {}  # unit id -> the unit it went into
        self.given: list[tuple[str, str]] = []  # (task, unit) transferred
        self.mixed: list[tuple[tuple[str, ...], str]] = []  # (sources, unit) their duties went into

    def _of(self, uid: str) -> tuple[int, int] | None:
        if uid in self.made:
            return self.made[uid]
        u = self.app.units.index.get(uid)
        return None if u is None else (int(self.app.units.level[u]), int(self.home[u]))

    def goes(self, uid: str, level: int) -> bool:
        """Whether ``uid`` (as it stands now) goes when ``level`` is abolished."""
        seen = 0
        while uid in self.into and seen < 64:
            uid, seen = self.into[uid], seen + 1
        info = self._of(uid)
        return info is not None and level in info

    def learn(self, op: Operation, known: _Names) -> None:
        terr = self.app.levels.territorial
        if isinstance(op, Transfer) and op.to_unit:
            self.given.append((op.task, op.to_unit))
        elif isinstance(op, Create):
            level = known.level_index.get(op.unit.level)
            parent = self._of(op.unit.parent_id)
            if level is None and parent is not None:
                level = parent[0]
            if level is not None:
                home = level if terr[level] or parent is None else parent[1]
                self.made[op.unit.id] = (level, home)
        elif isinstance(op, Merge):
            first = self._of(op.units[0])
            if first is not None and op.into.id not in self.app.units.index:
                self.made.setdefault(op.into.id, first)
            self.into.update((u, op.into.id) for u in op.units if u != op.into.id)
            self.mixed.append((op.units, op.into.id))
        elif isinstance(op, Split):
            first = self._of(op.unit)
            if first is not None:
                for part in op.parts:
                    self.made.setdefault(part.id, first)
            if op.parts and op.unit not in {p.id for p in op.parts}:
                self.into[op.unit] = op.parts[0].id
        elif isinstance(op, Dissolve):
            if op.successor:
                self.into[op.unit] = op.successor
                self.mixed.append(((op.unit,), op.successor))
        elif isinstance(op, Move):
            self.mixed.append(((op.unit,), op.parent))

    def tasks(self, level: int) -> frozenset[str] | None:
        """The tasks (and their ancestors) the units abolishing ``level`` removes may hold, or None."""
        for sources, target in self.mixed:
            if self.goes(target, level) and not all(self._goes_baseline(s, level) for s in sources):
                return None
        units, duties = self.app.units, self.app.duties
        levels = units.level[duties.unit]
        homes = self.home[duties.unit]
        rows = np.flatnonzero((levels == level) | (homes == level))
        out = {
            str(self.app.tasks.id[int(duties.task[r])])
            for r in rows.tolist()
            if self.goes(str(units.id[int(duties.unit[r])]), level)
        }
        out.update(task for task, uid in self.given if self.goes(uid, level))
        parent, index = self.app.tasks.parent, self.app.tasks.index
        for task in list(out):
            t = index.get(task, -1)
            while t >= 0 and int(parent[t]) >= 0:
                t = int(parent[t])
                out.add(str(self.app.tasks.id[t]))
        return frozenset(out)

    def _goes_baseline(self, uid: str, level: int) -> bool:
        info = self._of(uid)
        return info is not None and level in info


class _Walk:
    """What the derivation knows while walking the plan in order (see the module docstring)."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.known = _Names(app)
        self.tree = _Ancestors(app)
        self.unit: dict[str, str] = {}  # unit id -> the step that last touched it as a unit
        self.light: dict[str, dict[str, list[str]]] = {}  # unit id -> light key -> steps since
        self.below: dict[str, list[str]] = {}  # unit id -> steps naming a unit below it since
        self.under: dict[int, list[tuple[str, str]]] = {}  # level -> (step, unit) at or below it
        self.abolished: dict[int, str] = {}  # level -> the step abolishing it
        self.receivers: dict[int, set[int]] = {}  # abolished level -> levels its duties go up to
        self.held = _Held(app)
        self.moved: dict[int, frozenset[str] | None] = {}  # abolished level -> tasks it moved (None: any)

    def abolish(self, step: str, op: AbolishLevel) -> Iterator[Dependency]:
        level = self.known.level_index.get(op.level)
        if level is None:
            return
        for before, uid in self.under.pop(level, []):
            if before != step:
                yield Dependency(step, before, "abolish", uid)
        self.abolished[level] = step
        self.receivers[level] = _receivers(self.app, level)
        self.moved[level] = self.held.tasks(level)
        self.known.learn(op, set(self.abolished))

    def _level_name(self, level: int) -> str:
        return str(self.app.levels.name[level])

    def ancestry(self, step: str, op: Operation, refs: list[tuple[str, str]]) -> Iterator[Dependency]:
        """*above*: a transfer, or a dissolution into the parent, after what last re-arranged the
        units above those it names; a merge of units with different parents after what made the
        parents one (the ancestors they do not share merged, or their level abolished)."""
        if isinstance(op, Transfer) or (isinstance(op, Dissolve) and not op.successor):
            for uid, _ in refs:
                chain = self.tree.ancestors(uid)
                for a in self.jurisdiction(uid, chain) if isinstance(op, Transfer) else chain:
                    prev = self.unit.get(a)
                    if prev is not None and prev != step:
                        yield Dependency(step, prev, "above", a)
        elif isinstance(op, Merge) and not op.into.parent_id:
            chains = [self.tree.ancestors(u) for u in op.units]
            if len({c[0] if c else "" for c in chains}) < 2:
                return
            shared = set.intersection(*(set(c) for c in chains))
            for a in dict.fromkeys(a for c in chains for a in c if a not in shared):
                prev = self.unit.get(a)
                if prev is not None and prev != step:
                    yield Dependency(step, prev, "above", a)
                info = self.known.info(a)
                gone = self.abolished.get(info[1]) if info is not None else None
                if gone is not None and gone != step:
                    yield Dependency(step, gone, "abolish", self._level_name(info[1]) if info else "")

    def _territorial(self, uid: str) -> bool:
        info = self.known.info(uid)
        return info is not None and bool(self.app.levels.territorial[info[1]])

    def jurisdiction(self, uid: str, chain: tuple[str, ...]) -> tuple[str, ...]:
        """The ancestors of ``uid`` its jurisdiction depends on: up to the nearest territorial one
        (none for a territorial unit: its territory is its own)."""
        if self._territorial(uid):
            return ()
        for k, a in enumerate(chain):
            if self._territorial(a):
                return chain[: k + 1]
        return chain

    def touch(self, step: str, refs: list[tuple[str, str]]) -> Iterator[Dependency]:
        """*same unit* and *below* (see the module docstring)."""
        for uid, key in refs:
            prev = self.unit.get(uid)
            if prev is not None and prev != step:
                yield Dependency(step, prev, "same_unit", uid)
            light = self.light.get(uid, {})
            for k, steps in light.items():
                if key == UNIT or _conflict(k, key):
                    yield from (Dependency(step, b, "same_unit", uid) for b in steps if b != step)
            if key == UNIT:
                yield from (Dependency(step, b, "below", uid) for b in self.below.pop(uid, []) if b != step)

    def after_abolition(self, step: str, op: Operation, refs: list[tuple[str, str]]) -> Iterator[Dependency]:
        """*abolish*, for an operation after an abolition in the plan: see the module docstring."""
        duties = isinstance(op, Transfer | MovePeople)
        if duties and self.abolished:
            levels = {i[1] for i in (self.known.info(u) for u, _ in refs) if i is not None}
            one_sided = isinstance(op, Transfer) and not (op.from_unit and op.to_unit)
            for lv, gone in self.abolished.items():
                if gone != step and (one_sided or levels & self.receivers[lv]):
                    yield Dependency(step, gone, "abolish", self._level_name(lv))
        to_parent = isinstance(op, Dissolve) and not op.successor
        for uid, _ in refs:
            info = self.known.info(uid)
            if info is None:
                continue
            for lv in info[0]:
                by = self.abolished.get(lv)
                if by is None:
                    self.under.setdefault(lv, []).append((step, uid))
                elif by != step and (self._moves(lv, op) or to_parent or info[1] == lv):
                    yield Dependency(step, by, "abolish", self._level_name(lv))

    def _moves(self, level: int, op: Operation) -> bool:
        """Whether the abolition of ``level`` may move what ``op`` moves: a staff move always; a
        transfer when its task (or one above it) is one the abolished units may have held."""
        if isinstance(op, MovePeople):
            return True
        if not isinstance(op, Transfer):
            return False
        moved = self.moved.get(level)
        if moved is None:
            return True
        parent, index = self.app.tasks.parent, self.app.tasks.index
        t = index.get(op.task, -1)
        if t < 0:
            return True
        while t >= 0:
            if str(self.app.tasks.id[t]) in moved:
                return True
            t = int(parent[t])
        return False

    def record(self, step: str, op: Operation, refs: list[tuple[str, str]]) -> None:
        named = [u for u, _ in refs]
        made = op.unit if isinstance(op, Create) else None
        for uid, key in refs:
            self.tree.learn(uid, named, made.parent_id if made is not None and uid == made.id else "")
            if key == UNIT:
                self.unit[uid] = step
                self.light.pop(uid, None)
            else:
                keys = self.light.setdefault(uid, {})
                if _conflict(key, key):
                    keys[key] = [step]
                else:
                    keys.setdefault(key, []).append(step)
        for uid in named:
            for a in self.tree.ancestors(uid):
                self.below.setdefault(a, []).append(step)
        self.held.learn(op, self.known)
        self.known.learn(op, set(self.abolished))


def _derived(app: Apparatus, plan: Plan, step_of: list[str]) -> Iterator[Dependency]:
    walk = _Walk(app)
    for i, op in enumerate(plan.operations):
        step = step_of[i]
        if not step:
            continue
        if isinstance(op, AbolishLevel):
            yield from walk.abolish(step, op)
            continue
        refs = references(op)
        yield from walk.ancestry(step, op, refs)
        yield from walk.touch(step, refs)
        yield from walk.after_abolition(step, op, refs)
        walk.record(step, op, refs)
