"""Operations on duties, new units and people (transfer, create, move_people, release_people), and the
registry mapping each operation type to the function that applies it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import ROLES
from reorg.plan.abolish import abolish_level
from reorg.plan.edits import check_under, level_of
from reorg.plan.operations import (
    AbolishLevel,
    Create,
    Dissolve,
    Merge,
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

__all__ = ["HANDLERS"]


def transfer(st: State, op: Transfer, plan: Plan) -> None:
    """``from_unit`` stops doing ``task`` in ``role`` (all its scopes) and ``to_unit`` starts, for
    ``scope`` (default: its own jurisdiction). Adding a duty a unit already has changes nothing; a lead
    replaces a support of the same task and scope."""
    task = st.app.tasks.index.get(op.task)
    if task is None:
        raise st.refuse(f"unknown task {op.task!r}", ids=[op.task])
    if op.role not in ROLES:
        raise st.refuse(f"role must be one of {', '.join(ROLES)}", ids=[op.task])
    if not op.from_unit and not op.to_unit:
        raise st.refuse("a transfer names from_unit, to_unit or both", ids=[op.task])
    role = ROLES.index(op.role)
    basis = ""
    if op.from_unit:
        source = st.unit(op.from_unit)
        held = [k for k, (r, _) in st.duties(source).items() if k[0] == task and r == role]
        if not held:
            raise st.refuse(f"{op.from_unit} has no {op.role} duty on {op.task}", ids=[op.from_unit, op.task])
        basis = st.take_duties(source, held)[0][1][1]
    if op.to_unit:
        target = st.unit(op.to_unit)
        scope = st.unit(op.scope, "scope unit") if op.scope else -1
        if scope >= 0 and not st.terr[scope]:
            raise st.refuse(f"scope {op.scope} is not a territorial unit", ids=[op.scope])
        st.put_duties(target, [(task, role, -1 if scope == st.owner[target] else scope, basis)])


def rename(st: State, op: Rename, plan: Plan) -> None:
    """A new name and/or kind for a unit; lineage records it as ``rename``."""
    if not op.name and not op.kind:
        raise st.refuse("rename needs a name, a kind or both", ids=[op.unit])
    u = st.unit(op.unit)
    if op.name:
        st.set_text("name", u, op.name)
    if op.kind:
        st.set_text("kind", u, op.kind)
    st.edge(op.unit, op.unit, "rename")


def create(st: State, op: Create, plan: Plan) -> None:
    """A new unit under ``unit.parent_id``; a territorial one is new territory that must be covered at
    once (docs/invariants.md)."""
    if not op.unit.level or not op.unit.parent_id:
        raise st.refuse("create needs unit.level and unit.parent_id", ids=[op.unit.id])
    level = level_of(st, op.unit.level)
    parent = st.unit(op.unit.parent_id, "parent unit")
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
        raise st.refuse(f"unknown, released or repeated people: {', '.join(bad) or 'repeated'}", ids=bad)
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
                raise st.refuse(f"not all of them work in {op.from_unit}", ids=list(op.people))
    elif op.from_unit:
        staff = st.staff(st.unit(op.from_unit))
        if op.count is not None:
            if not 0 <= op.count <= len(staff):
                raise st.refuse(
                    f"{op.from_unit} has {len(staff)} people, cannot move {op.count}", ids=[op.from_unit]
                )
            staff = staff[np.argsort(st.app.people.id[staff].astype(str), kind="stable")[: op.count]]
        rows = staff
    else:
        raise st.refuse("move_people names people or from_unit", ids=[op.to_unit])
    st.move_people(rows, target)


def release_people(st: State, op: ReleasePeople, plan: Plan) -> None:
    """People leave the apparatus (the reason stays in the plan, for the benefit rulesets)."""
    st.move_people(_people_rows(st, op.people), -1)


Handler = Callable[[State, Any, Plan], None]

HANDLERS: Mapping[type[Operation], Handler] = {
    Merge: merge,
    Split: split,
    Dissolve: dissolve,
    Transfer: transfer,
    AbolishLevel: abolish_level,
    Rename: rename,
    Create: create,
    MovePeople: move_people,
    ReleasePeople: release_people,
}
