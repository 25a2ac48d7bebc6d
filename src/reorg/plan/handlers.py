"""Operations on duties, new units and people (transfer, rename, move, create, move_people,
release_people), and the
registry mapping each operation type to the function that applies it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import ROLES
from reorg.plan.abolish import abolish_level
from reorg.plan.edits import check_under, inside, level_of
from reorg.plan.messages import PEOPLE_WORDS, ROLE_WORDS, UNIT_WORDS, Param
from reorg.plan.operations import (
    AbolishLevel,
    Create,
    Dissolve,
    Merge,
    Move,
    MovePeople,
    Operation,
    Plan,
    ReleasePeople,
    Rename,
    Split,
    Transfer,
)
from reorg.plan.reshape import dissolve, merge, split
from reorg.plan.state import State
from reorg.text import listing

__all__ = ["HANDLERS"]


def transfer(st: State, op: Transfer, plan: Plan) -> None:
    """``from_unit`` stops doing ``task`` in ``role`` (all its scopes) and ``to_unit`` starts, for
    ``scope`` (default: its own jurisdiction). Adding a duty a unit already has changes nothing; a lead
    replaces a support of the same task and scope."""
    task = st.app.tasks.index.get(op.task)
    if task is None:
        raise st.refuse("plan.unknown_task", {"task": op.task}, [op.task])
    if op.role not in ROLES:
        raise st.refuse("plan.transfer.role", {"roles": ", ".join(ROLES)}, [op.task])
    if not op.from_unit and not op.to_unit:
        raise st.refuse("plan.transfer.no_units", ids=[op.task])
    role = ROLES.index(op.role)
    basis = ""
    if op.from_unit:
        source = st.unit(op.from_unit)
        held = [k for k, (r, _) in st.duties(source).items() if k[0] == task and r == role]
        if not held:
            params = {"unit": op.from_unit, "role": ROLE_WORDS[op.role], "task": op.task}
            raise st.refuse("plan.transfer.not_held", params, [op.from_unit, op.task])
        basis = st.take_duties(source, held)[0][1][1]
    if op.to_unit:
        target = st.unit(op.to_unit)
        scope = st.unit(op.scope, UNIT_WORDS["scope"]) if op.scope else -1
        if scope >= 0 and not st.terr[scope]:
            raise st.refuse("plan.transfer.scope", {"scope": op.scope}, [op.scope])
        st.put_duties(target, [(task, role, -1 if scope == st.owner[target] else scope, basis)])


def rename(st: State, op: Rename, plan: Plan) -> None:
    """A new name and/or kind for a unit; lineage records it as ``rename``."""
    if not op.name and not op.kind:
        raise st.refuse("plan.rename.empty", ids=[op.unit])
    u = st.unit(op.unit)
    if op.name:
        st.set_text("name", u, op.name)
    if op.kind:
        st.set_text("kind", u, op.kind)
    st.edge(op.unit, op.unit, "rename")


def move(st: State, op: Move, plan: Plan) -> None:
    """``op.unit`` and its subtree go under ``op.parent``, whose level must rank above the unit's and
    which must not lie inside the unit; lineage records it as ``move``."""
    u = st.unit(op.unit)
    if st.parent[u] < 0:
        raise st.refuse("tree.root_moved", ids=[op.unit])
    parent = st.unit(op.parent, UNIT_WORDS["parent"])
    if inside(st, parent, {u}):
        raise st.refuse("tree.move_inside", {"parent": op.parent, "unit": op.unit}, [op.parent])
    check_under(st, st.level[u], parent, op.unit)
    st.set_parent(u, parent)
    st.edge(op.unit, op.unit, "move")


def create(st: State, op: Create, plan: Plan) -> None:
    """A new unit under ``unit.parent_id``; a territorial one is new territory that must be covered at
    once (docs/invariants.md)."""
    if not op.unit.level or not op.unit.parent_id:
        raise st.refuse("plan.create.incomplete", ids=[op.unit.id])
    level = level_of(st, op.unit.level)
    parent = st.unit(op.unit.parent_id, UNIT_WORDS["parent"])
    check_under(st, level, parent, op.unit.id)
    u = st.new_unit(op.unit.id, op.unit.name, level, op.unit.kind, parent)
    for field in ("quota", "area_km2", "population", "lat", "lon"):
        value = getattr(op, field)
        if value is not None:
            st.set_number(field, u, float(value))
    if st.terr[u]:
        st.sourceless.add(u)
    st.edge("", op.unit.id, "create")


def _people_rows(st: State, ids: Sequence[str]) -> npt.NDArray[np.int64]:
    """Rows of people ``ids`` still in the apparatus, or refuse naming those that are not."""
    rows = st.people_rows(ids)
    bad = [pid for pid, r in zip(ids, rows, strict=True) if r < 0 or st.person_unit[r] < 0]
    if bad or len(set(rows)) < len(rows):
        raise st.refuse("plan.people.unknown", {"people": listing(bad) or PEOPLE_WORDS["repeated"]}, bad)
    return np.array(rows, dtype=np.int64)


def move_people(st: State, op: MovePeople, plan: Plan) -> None:
    """People named, else the first ``count`` of ``from_unit``'s staff by id, else all of them, move to
    ``to_unit``."""
    target = st.unit(op.to_unit)
    if op.people:
        rows = _people_rows(st, op.people)
        if op.from_unit:
            source = st.unit(op.from_unit)
            if np.any(st.person_unit[rows] != source):
                raise st.refuse("plan.people.elsewhere", {"unit": op.from_unit}, list(op.people))
    elif op.from_unit:
        staff = st.staff(st.unit(op.from_unit))
        if op.count is not None:
            if not 0 <= op.count <= len(staff):
                params: dict[str, Param] = {"unit": op.from_unit, "staff": len(staff), "count": op.count}
                raise st.refuse("plan.people.count", params, [op.from_unit])
            staff = staff[np.argsort(st.app.people.id[staff].astype(str), kind="stable")[: op.count]]
        rows = staff
    else:
        raise st.refuse("plan.people.no_source", ids=[op.to_unit])
    st.move_people(rows, target)


def release_people(st: State, op: ReleasePeople, plan: Plan) -> None:
    """People leave the apparatus (the reason stays in the plan, for the benefit rulesets)."""
    st.move_people(_people_rows(st, op.people), -1, op.reason)


Handler = Callable[[State, Any, Plan], None]

HANDLERS: Mapping[type[Operation], Handler] = {
    Merge: merge,
    Split: split,
    Dissolve: dissolve,
    Transfer: transfer,
    AbolishLevel: abolish_level,
    Rename: rename,
    Move: move,
    Create: create,
    MovePeople: move_people,
    ReleasePeople: release_people,
}
