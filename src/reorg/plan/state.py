"""The mutable working copy that ``apply`` changes operation by operation.

Nothing is copied up front that an operation may never touch: a unit's children, duties, neighbours,
staff and the lead counts of its territory are read from the baseline's columns the first time an
operation needs them, and only those units are rebuilt from Python containers at the end
(``reorg.plan.compact``). Every change goes through a few primitives that keep the derived figures
(jurisdictions, lead counts per territory and task) in step and record, per operation:

- a journal of the values they replaced, so a refused operation can be rolled back and the state
  *before* the operation can be read (``reorg.plan.region`` compares before and after);
- what the operation touched: territories whose lead counts changed, territorial units created,
  removed or moved, and the tasks concerned.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import PlanError
from reorg.model import LEAD, Apparatus, LineageEdge

__all__ = ["NUMBERS", "DutyKey", "State", "add_numbers"]

#: the additive and positional numbers of a unit (attributes are kept apart, by name)
NUMBERS = ("quota", "area_km2", "population", "lat", "lon")

DutyKey = tuple[int, int]  # (task, scope); scope -1 = the unit's own jurisdiction
Duty = tuple[int, str]  # (role, legal basis)


def add_numbers(a: float, b: float) -> float:
    """a + b where NaN means unknown: unknown only if both are."""
    return b if math.isnan(a) else a if math.isnan(b) else a + b


def _csr(keys: npt.NDArray[Any], n: int) -> tuple[list[int], npt.NDArray[np.int64]]:
    """Rows grouped by key: the rows of key k are ``order[start[k]:start[k + 1]]``."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=start[1:])
    return start.tolist(), order


class State:
    """Units as Python lists indexed by row (new units appended), containers built on first use."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        u = app.units
        n = len(u)
        self.ids: list[str] = u.id.tolist()
        self.index: dict[str, int] = dict(u.index)  # every id ever used, alive or not
        self.name: list[str] = u.name.tolist()
        self.kind: list[str] = u.kind.tolist()
        self.level: list[int] = u.level.tolist()
        self.parent: list[int] = u.parent.tolist()
        self.alive: list[bool] = [True] * n
        self.terr: list[bool] = app.is_territorial.tolist()
        self.owner: list[int] = app.jurisdiction.tolist()
        self.num: dict[str, list[float]] = {k: getattr(u, k).tolist() for k in NUMBERS}
        self.attrs: dict[str, list[float]] = {k: v.tolist() for k, v in u.attributes.items()}
        self.rank: list[int] = app.levels.rank.tolist()
        self.level_terr: list[bool] = app.levels.territorial.tolist()
        self.level_count: list[int] = np.bincount(u.level, minlength=len(app.levels)).tolist()
        self.person_unit = app.people.unit.astype(np.int64).copy()  # -1 once released
        self.lineage: list[LineageEdge] = []
        d = app.duties
        self.n_leads: list[int] = np.bincount(d.task[d.role == LEAD], minlength=len(app.tasks)).tolist()
        # lazily built containers (None = not built yet: read the baseline)
        self._children: list[dict[int, None] | None] = [None] * n
        self._duties: list[dict[DutyKey, Duty] | None] = [None] * n
        self._leads: list[dict[int, int] | None] = [None] * n
        self._adj: list[dict[int, float] | None] = [None] * n
        self._members: list[list[npt.NDArray[np.int64]] | None] = [None] * n
        self._refs: list[dict[int, None] | None] = [None] * n
        self._base_children = u.children
        self._base_duties = _csr(d.unit, n)
        lead = np.flatnonzero(d.role == LEAD)
        named = app.duty_scope[lead]
        resolved = np.where(named >= 0, app.jurisdiction[np.maximum(named, 0)], -1)
        lead, resolved = lead[resolved >= 0], resolved[resolved >= 0]
        start, order = _csr(resolved, n)
        self._base_leads = start, lead[order]
        explicit = np.flatnonzero(d.scope >= 0)
        start, order = _csr(d.scope[explicit], n)
        self._base_refs = start, explicit[order]
        start, order = _csr(app.people.unit, n)
        self._base_members = start, order
        ne = app.neighbours
        a = np.concatenate([ne.a, ne.b])
        start, order = _csr(a, n)
        self._base_adj = start, np.concatenate([ne.b, ne.a])[order], np.concatenate([ne.border_km] * 2)[order]
        self._build_slots()
        self._begin(-1, "")

    # -- operations: begin, refuse, roll back -----------------------------------------------------

    def _begin(self, operation: int, op: str) -> None:
        self.operation, self.op = operation, op
        self.saved: dict[tuple[str, int], Any] = {}
        self._people_log: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        self.mark = len(self.ids)
        self._lineage_mark = len(self.lineage)
        self.lead_dirty: set[int] = set()
        self.dirty_tasks: set[int] = set()
        self.struct: set[int] = set()
        self.moved: set[int] = set()
        self.sourceless: set[int] = set()

    def begin(self, operation: int, op: str) -> None:
        """Start recording operation ``operation`` (of kind ``op``)."""
        self._begin(operation, op)

    def refuse(self, message: str, invariant: str = "operation", ids: Sequence[str] = ()) -> PlanError:
        """The error refusing the current operation (raise it)."""
        return PlanError(message, operation=self.operation, op=self.op, invariant=invariant, ids=ids)

    def rollback(self) -> None:
        """Undo everything the current operation changed."""
        for (field, u), old in self.saved.items():
            if field == "n_leads":
                self.n_leads[u] = old
            elif field == "level_count":
                self.level_count[u] = old
            elif u < self.mark:
                self.slot(field)[u] = old
        for idx, old in reversed(self._people_log):
            self.person_unit[idx] = old
        for key in self.ids[self.mark :]:
            del self.index[key]
        for column in self._columns():
            del column[self.mark :]
        del self.lineage[self._lineage_mark :]
        self._begin(self.operation, self.op)

    def _columns(self) -> list[list[Any]]:
        per_unit: list[list[Any]] = [self.ids, self.name, self.kind, self.level, self.parent, self.alive]
        per_unit += [self.terr, self.owner, *self.num.values(), *self.attrs.values()]
        per_unit += [self._children, self._duties, self._leads, self._adj, self._members, self._refs]
        return per_unit

    def slot(self, field: str) -> list[Any]:
        """The per-unit list holding ``field`` (``num:<name>`` and ``attr:<name>`` for numbers)."""
        return self._slots[field]

    def _build_slots(self) -> None:
        self._slots: dict[str, list[Any]] = {
            "name": self.name,
            "kind": self.kind,
            "level": self.level,
            "parent": self.parent,
            "alive": self.alive,
            "terr": self.terr,
            "owner": self.owner,
            "children": self._children,
            "duties": self._duties,
            "leads": self._leads,
            "adj": self._adj,
            "members": self._members,
            "refs": self._refs,
        }
        self._slots.update({"num:" + k: v for k, v in self.num.items()})
        self._slots.update({"attr:" + k: v for k, v in self.attrs.items()})

    def save(self, field: str, u: int) -> None:
        """Journal the value of ``field`` for unit ``u`` before its first change in this operation."""
        key = (field, u)
        if key in self.saved or u >= self.mark:
            return
        if field in ("n_leads", "level_count"):
            self.saved[key] = (self.n_leads if field == "n_leads" else self.level_count)[u]
            return
        value = self.slot(field)[u]
        self.saved[key] = value.copy() if isinstance(value, dict | list) else value

    # -- containers, built on first use ------------------------------------------------------------

    def children(self, u: int) -> dict[int, None]:
        kids = self._children[u]
        if kids is None:
            kids = self._children[u] = dict.fromkeys(self.base_children(u))
        return kids

    def base_children(self, u: int) -> list[int]:
        start, order = self._base_children
        return order[start[u] : start[u + 1]].tolist() if u < len(self.app.units) else []

    def duties(self, u: int) -> dict[DutyKey, Duty]:
        table = self._duties[u]
        if table is None:
            table = self._duties[u] = {}
            extra: list[DutyKey] = []
            for key, duty in self.base_duties(u):
                held = table.get(key)
                if held is None or (duty[0] == LEAD and held[0] != LEAD):
                    table[key] = duty
                elif duty[0] == LEAD:
                    extra.append(key)  # a second identical lead row collapses into the first
            for task, scope in extra:
                self.lead_delta(u, task, scope, -1)
        return table

    def base_duties(self, u: int) -> list[tuple[DutyKey, Duty]]:
        if u >= len(self.app.units):
            return []
        start, order = self._base_duties
        rows = order[start[u] : start[u + 1]]
        d = self.app.duties
        keys = zip(d.task[rows].tolist(), d.scope[rows].tolist(), strict=True)
        values = zip(d.role[rows].tolist(), d.legal_basis[rows].tolist(), strict=True)
        return list(zip(keys, values, strict=True))

    def leads(self, s: int) -> dict[int, int]:
        """Lead duties per task whose scope resolves to territorial unit ``s``."""
        counts = self._leads[s]
        if counts is None:
            counts = self._leads[s] = self.base_leads(s)
        return counts

    def base_leads(self, s: int) -> dict[int, int]:
        if s >= len(self.app.units):
            return {}
        start, rows = self._base_leads
        tasks, counts = np.unique(self.app.duties.task[rows[start[s] : start[s + 1]]], return_counts=True)
        return dict(zip(tasks.tolist(), counts.tolist(), strict=True))

    def adj(self, u: int) -> dict[int, float]:
        table = self._adj[u]
        if table is None:
            table = self._adj[u] = {}
            if u < len(self.app.units):
                start, other, km = self._base_adj
                part = slice(start[u], start[u + 1])
                table.update(zip(other[part].tolist(), km[part].tolist(), strict=True))
        return table

    def refs(self, s: int) -> dict[int, None]:
        """Units holding a duty explicitly scoped to ``s``."""
        holders = self._refs[s]
        if holders is None:
            holders = self._refs[s] = {}
            if s < len(self.app.units):
                start, rows = self._base_refs
                holders.update(dict.fromkeys(self.app.duties.unit[rows[start[s] : start[s + 1]]].tolist()))
        return holders

    def staff(self, u: int) -> npt.NDArray[np.int64]:
        """People rows currently in unit ``u``, ascending."""
        chunks = self._members[u]
        if chunks is None:
            start, order = self._base_members
            chunks = [order[start[u] : start[u + 1]]] if u < len(self.app.units) else []
        rows = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        rows = np.unique(rows[self.person_unit[rows] == u])
        self.save("members", u)
        self._members[u] = [rows]
        return rows

    # -- primitives ----------------------------------------------------------------------------------

    def unit(self, uid: str, what: str = "unit") -> int:
        """Row of the living unit ``uid``, or refuse naming it."""
        u = self.index.get(uid)
        if u is None or not self.alive[u]:
            raise self.refuse(f"unknown {what} {uid!r}", ids=[uid])
        return u

    def new_unit(self, uid: str, name: str, level: int, kind: str, parent: int) -> int:
        """Append a unit with no duties, people or numbers (NaN) under ``parent``."""
        if not uid:
            raise self.refuse("a new unit needs an id")
        if uid in self.index:
            raise self.refuse(f"unit id {uid!r} is already used", ids=[uid])
        u = len(self.ids)
        self.index[uid] = u
        nan = float("nan")
        pairs: tuple[tuple[list[Any], Any], ...] = (
            (self.ids, uid), (self.name, name or uid), (self.kind, kind), (self.level, level),
            (self.parent, -1), (self.alive, True), (self.terr, self.level_terr[level]), (self.owner, -1),
            (self._children, {}), (self._duties, {}), (self._leads, {}), (self._adj, {}),
            (self._members, []), (self._refs, {}),
        )  # fmt: skip
        for column, value in pairs:
            column.append(value)
        for values in (*self.num.values(), *self.attrs.values()):
            values.append(nan)
        self.save("level_count", level)
        self.level_count[level] += 1
        self.owner[u] = u if self.terr[u] else -1
        self.set_parent(u, parent)
        if self.terr[u]:
            self.struct.add(u)
        return u

    def set_parent(self, u: int, p: int) -> None:
        """Re-attach ``u`` (and its subtree) under ``p``; jurisdictions and lead counts follow."""
        old = self.parent[u]
        if old == p:
            return
        if old >= 0:
            self.save("children", old)
            del self.children(old)[u]
        self.save("parent", u)
        self.parent[u] = p
        if p >= 0:
            self.save("children", p)
            self.children(p)[u] = None
        if self.terr[u]:
            if u < self.mark:
                self.moved.add(u)
            if old >= 0 and self.alive[old]:
                self._check_emptied(self.owner[old])
        else:
            self._reown(u, self.owner[p] if p >= 0 else -1)

    def _check_emptied(self, s: int) -> None:
        """A territorial unit left with no territorial unit below it becomes a territory leaf itself."""
        stack = list(self.children(s))
        while stack:
            v = stack.pop()
            if self.terr[v]:
                return
            stack.extend(self.children(v))
        self.struct.add(s)

    def _reown(self, u: int, owner: int) -> None:
        """Agency ``u`` and the agencies below it now act for ``owner``'s territory."""
        stack = [u]
        while stack:
            a = stack.pop()
            if self.terr[a]:
                if a < self.mark:
                    self.moved.add(a)
                continue
            if self.owner[a] != owner:
                leads = [
                    task for (task, scope), (role, _) in self.duties(a).items() if role == LEAD and scope < 0
                ]
                for task in leads:
                    self.lead_delta(a, task, -1, -1)
                self.save("owner", a)
                self.owner[a] = owner
                for task in leads:
                    self.lead_delta(a, task, -1, 1)
            stack.extend(self.children(a))

    def resolve(self, u: int, scope: int) -> int:
        """The territorial unit a duty of ``u`` with ``scope`` covers."""
        return self.owner[scope] if scope >= 0 else self.owner[u]

    def lead_delta(self, u: int, task: int, scope: int, delta: int) -> None:
        s = self.resolve(u, scope)
        self.save("n_leads", task)
        self.n_leads[task] += delta
        self.dirty_tasks.add(task)
        if s < 0:
            return
        self.save("leads", s)
        counts = self.leads(s)
        value = counts.get(task, 0) + delta
        if value:
            counts[task] = value
        else:
            counts.pop(task, None)
        self.lead_dirty.add(s)

    def add_duty(self, u: int, task: int, role: int, scope: int = -1, basis: str = "") -> None:
        """Give ``u`` a duty; an identical one collapses into it and a lead replaces a support."""
        table = self.duties(u)
        key = (task, scope)
        held = table.get(key)
        if held is not None and (held[0] == LEAD or role != LEAD):
            return
        self.save("duties", u)
        table[key] = (role, basis or (held[1] if held else ""))
        if role == LEAD:
            self.lead_delta(u, task, scope, 1)
        if scope >= 0:
            self.save("refs", scope)
            self.refs(scope)[u] = None

    def drop_duty(self, u: int, key: DutyKey) -> Duty:
        self.save("duties", u)
        duty = self.duties(u).pop(key)
        if duty[0] == LEAD:
            self.lead_delta(u, key[0], key[1], -1)
        return duty

    def redirect_scope(self, s: int, heirs: Sequence[int]) -> None:
        """Duties explicitly scoped to ``s`` (about to go) cover each of ``heirs`` instead."""
        for holder in list(self.refs(s)):
            if not self.alive[holder]:
                continue
            for key in [k for k in self.duties(holder) if k[1] == s]:
                role, basis = self.drop_duty(holder, key)
                for h in heirs:
                    self.add_duty(holder, key[0], role, -1 if self.owner[holder] == h else h, basis)

    def set_number(self, field: str, u: int, value: float) -> None:
        """Set one of ``NUMBERS`` or an attribute of ``u``."""
        slot = ("num:" if field in self.num else "attr:") + field
        self.save(slot, u)
        self.slot(slot)[u] = value

    def numbers(self, u: int) -> dict[str, float]:
        """``NUMBERS`` and attributes of ``u`` by name."""
        return {k: v[u] for k, v in (*self.num.items(), *self.attrs.items())}

    def set_text(self, field: str, u: int, value: str) -> None:
        """Rename (``name``) or re-kind (``kind``) ``u``."""
        self.save(field, u)
        self.slot(field)[u] = value

    def set_level(self, u: int, level: int) -> None:
        """Move ``u`` to another level of the same territorial kind."""
        old = self.level[u]
        for lv, delta in ((old, -1), (level, 1)):
            self.save("level_count", lv)
            self.level_count[lv] += delta
        self.save("level", u)
        self.level[u] = level
        if self.terr[u]:
            self.struct.add(u)

    def link(self, u: int, v: int, km: float) -> None:
        """Make ``u`` and ``v`` neighbours with ``km`` of border (NaN = unknown), adding to any border."""
        if u == v:
            return
        for x, y in ((u, v), (v, u)):
            self.save("adj", x)
            table = self.adj(x)
            table[y] = add_numbers(table.get(y, math.nan), km)

    def unlink_all(self, u: int) -> dict[int, float]:
        """Remove every neighbour of ``u``; returns what it had."""
        had = dict(self.adj(u))
        for v in had:
            self.save("adj", v)
            self.adj(v).pop(u, None)
        self.save("adj", u)
        self.adj(u).clear()
        return had

    def move_people(self, rows: npt.NDArray[np.int64], to: int) -> None:
        """People ``rows`` now work in ``to`` (-1: released)."""
        if len(rows) == 0:
            return
        self._people_log.append((rows, self.person_unit[rows].copy()))
        self.person_unit[rows] = to
        if to >= 0:
            self.save("members", to)
            chunks = self._members[to]
            if chunks is None:
                self.staff(to)
                chunks = self._members[to]
            assert chunks is not None
            chunks.append(rows)

    def remove_unit(self, u: int, heirs: Sequence[int]) -> None:
        """``u`` ceases to exist; it must hold no children, duties or people any more. Duties other
        units scoped to it cover ``heirs`` instead."""
        self.redirect_scope(u, heirs)
        self.unlink_all(u)
        self.set_parent(u, -1)
        self.save("alive", u)
        self.alive[u] = False
        self.save("level_count", self.level[u])
        self.level_count[self.level[u]] -= 1
        if self.terr[u]:
            self.struct.add(u)

    def edge(self, source: str, target: str, kind: str, share: float = 1.0) -> None:
        self.lineage.append(LineageEdge(source, target, kind, self.operation, share))

    def ancestors(self, u: int, parent: Callable[[int], int] | None = None) -> list[int]:
        """``u``'s ancestors, nearest first."""
        up = parent or self.parent.__getitem__
        out: list[int] = []
        p = up(u)
        while p >= 0 and len(out) <= len(self.ids):
            out.append(p)
            p = up(p)
        return out
