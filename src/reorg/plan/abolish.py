"""The abolish_level operation: a whole tier goes, its territory stays with the tier below.

Every unit of the level goes, with the agencies acting inside it (for a territorial level). Surviving
children are re-attached to the nearest surviving ancestor. Each duty of a unit that goes moves
``down`` (the same duty, for its own territory, on each territorial unit right below, unless that unit
already has it) or ``up`` (to the nearest surviving territorial ancestor; a lead that is already
exercised there or above simply disappears), task by task where ``overrides`` says so. A unit with no
territorial unit below passes its duties up whatever the direction. Staff go up with the receivers of
the duties, or are released.
"""

from __future__ import annotations

from reorg.model import LEAD
from reorg.plan.edits import level_of, territorial_below
from reorg.plan.operations import AbolishLevel, Plan
from reorg.plan.state import NewDuty, State

__all__ = ["abolish_level"]


def abolish_level(st: State, op: AbolishLevel, plan: Plan) -> None:
    """Apply ``op`` (see the module docstring)."""
    level = level_of(st, op.level)
    ways = _directions(st, op)
    members = [u for u in range(len(st.ids)) if st.alive[u] and st.level[u] == level]
    if not members:
        raise st.refuse("plan.abolish.empty", {"level": op.level}, [op.level])
    if any(st.parent[m] < 0 for m in members):
        raise st.refuse("tree.root_abolished", {"level": op.level}, [op.level])
    territorial = st.level_terr[level]
    gone: dict[int, int] = {}  # unit that goes -> the member it belongs to (itself for a member)
    for m in members:
        gone[m] = m
        if territorial:
            gone.update(dict.fromkeys(_agencies_in(st, m), m))
    up = {m: _up(st, m, gone, territorial) for m in members}
    down = {m: territorial_below(st, m) for m in members}
    for x in gone:
        for child in [c for c in st.children(x) if c not in gone]:
            p = st.parent[x]
            while p in gone:
                p = st.parent[p]
            st.set_parent(child, p)
    downs: dict[int, list[NewDuty]] = {m: [] for m in members}
    for x, m in gone.items():
        for (task, scope), (role, basis) in st.take_duties(x):
            covered = st.resolve(x, scope)
            if ways.get(task, op.duties) == "down" and territorial and covered == m and down[m]:
                downs[m].append((task, role, -1, basis))
                continue
            r = up[m]
            if role == LEAD and _led_above(st, r, task):
                continue
            keep = covered not in gone and covered != st.owner[r]
            st.put_duties(r, [(task, role, covered if keep else -1, basis)])
    for m, items in downs.items():
        for k in down[m]:
            st.put_duties(k, items, unless_led=True)
    for x in gone:
        st.move_people(st.staff(x), up[gone[x]] if op.people == "up" else -1)
    for x in reversed(list(gone)):
        m = gone[x]
        st.remove_unit(x, down[m] if down[m] and op.duties == "down" else [up[m]])
    _lineage(st, gone, up, down)


def _directions(st: State, op: AbolishLevel) -> dict[int, str]:
    if op.duties not in ("up", "down") or op.people not in ("up", "release"):
        raise st.refuse("plan.abolish.directions")
    ways: dict[int, str] = {}
    for task_id, way in op.overrides:
        task = st.app.tasks.index.get(task_id)
        if task is None or way not in ("up", "down"):
            raise st.refuse("plan.abolish.override", {"task": task_id, "way": way}, [task_id])
        ways[task] = way
    return ways


def _agencies_in(st: State, m: int) -> list[int]:
    """The agencies acting inside territorial unit ``m`` (not those inside a territorial unit below)."""
    out, stack = [], [c for c in reversed(st.children(m)) if not st.terr[c]]
    while stack:
        a = stack.pop()
        out.append(a)
        stack.extend(c for c in reversed(st.children(a)) if not st.terr[c])
    return out


def _up(st: State, m: int, gone: dict[int, int], territorial: bool) -> int:
    """Where ``m``'s duties and staff go up: the nearest surviving (territorial, for a territorial
    level) ancestor."""
    p = st.parent[m]
    while p >= 0 and (p in gone or (territorial and not st.terr[p])):
        p = st.parent[p]
    return p


def _led_above(st: State, r: int, task: int) -> bool:
    """Is ``task`` already led for the territory of ``r`` or of one of its territorial ancestors?"""
    s = st.owner[r]
    while s >= 0:
        if st.leads(s).get(task, 0) > 0:
            return True
        p = st.parent[s]
        s = st.owner[p] if p >= 0 else -1
    return False


def _lineage(st: State, gone: dict[int, int], up: dict[int, int], down: dict[int, list[int]]) -> None:
    """Territory goes to the units below by population (else area, else evenly); a member with none
    below, and every agency that goes, hands over to the receiver above."""
    for x, m in gone.items():
        kids = down[m] if x == m else []
        if not kids:
            st.edge(st.ids[x], st.ids[up[m]], "abolish")
            continue
        for column in ("population", "area_km2"):
            weights = [st.num[column][k] for k in kids]
            if all(w == w and w > 0 for w in weights):
                break
        else:
            weights = [1.0] * len(kids)
        whole = sum(weights)
        for k, w in zip(kids, weights, strict=True):
            st.edge(st.ids[x], st.ids[k], "abolish", w / whole)
