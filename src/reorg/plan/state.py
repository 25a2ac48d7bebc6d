"""The mutable working copy that ``apply`` changes operation by operation.

Nothing is copied up front that an operation may never touch: a unit's children, duties, neighbours,
staff and the lead counts of its territory are read from the baseline (``reorg.plan.baseline``) the
first time an operation needs them, and only those units are rebuilt from Python containers at the end
(``reorg.plan.compact``). Every change goes through a few primitives that keep the derived figures
(jurisdictions, lead counts per territory and task) in step and record, per operation:

- a journal of the values they replaced, so a refused operation can be rolled back and the state
  *before* the operation can be read (``reorg.plan.region`` compares before and after);
- what the operation touched: territories whose lead counts changed, territorial units created,
  removed or moved, and the tasks concerned.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import PlanError
from reorg.model import LEAD, Apparatus, LineageEdge
from reorg.plan.baseline import Baseline, Duty, DutyKey
from reorg.plan.messages import Param, refusal

__all__ = ["NUMBERS", "DutyKey", "NewDuty", "State", "add_numbers"]

#: the additive and positional numbers of a unit (attributes are kept apart, by name)
NUMBERS = ("quota", "area_km2", "population", "lat", "lon")
#: journaled per-unit fields, plus per-task lead totals and per-level unit counts
_UNIT_FIELDS = ("name", "kind", "level", "parent", "alive", "terr", "owner")
_CONTAINERS = ("children", "duties", "leads", "adj", "members", "refs")

NewDuty = tuple[int, int, int, str]  # (task, role, scope, legal basis)


def add_numbers(a: float, b: float) -> float:
    """a + b where NaN means unknown: unknown only if both are."""
    return b if math.isnan(a) else a if math.isnan(b) else a + b


class State:
    """Units as Python lists indexed by row (new units appended), containers built on first use."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.base = Baseline(app)
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
        self.hosts: set[int] = set()  # agencies with a territorial unit somewhere below (a superset)
        parent = u.parent
        placed = np.flatnonzero(app.is_territorial & (parent >= 0))
        for a in parent[placed[~app.is_territorial[parent[placed]]]].tolist():
            self._host(a)
        self.num: dict[str, list[float]] = {k: getattr(u, k).tolist() for k in NUMBERS}
        self.attrs: dict[str, list[float]] = {k: v.tolist() for k, v in u.attributes.items()}
        self.rank: list[int] = app.levels.rank.tolist()
        self.level_terr: list[bool] = app.levels.territorial.tolist()
        self.level_count: list[int] = np.bincount(u.level, minlength=len(app.levels)).tolist()
        d = app.duties
        self.n_leads: list[int] = np.bincount(d.task[d.role == LEAD], minlength=len(app.tasks)).tolist()
        self.person_unit = app.people.unit.astype(np.int64).copy()  # -1 once released
        self.lineage: list[LineageEdge] = []
        self._children: list[dict[int, None] | None] = [None] * n
        self._duties: list[dict[DutyKey, Duty] | None] = [None] * n
        self._leads: list[dict[int, int] | None] = [None] * n
        self._adj: list[dict[int, float] | None] = [None] * n
        self._members: list[list[npt.NDArray[np.int64]] | None] = [None] * n
        self._refs: list[dict[int, None] | None] = [None] * n
        self._slots: dict[str, list[Any]] = {f: getattr(self, f) for f in _UNIT_FIELDS}
        self._slots.update({f: getattr(self, "_" + f) for f in _CONTAINERS})
        self._slots.update({"num:" + k: v for k, v in self.num.items()})
        self._slots.update({"attr:" + k: v for k, v in self.attrs.items()})
        self._slots.update(n_leads=self.n_leads, level_count=self.level_count)
        self.begin(-1, "")

    # -- operations: begin, refuse, roll back -----------------------------------------------------

    def begin(self, operation: int, op: str) -> None:
        """Start recording operation ``operation`` (of kind ``op``)."""
        self.operation, self.op = operation, op
        self.saved: dict[str, dict[int, Any]] = {field: {} for field in self._slots}
        self._people_log: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        self.mark = len(self.ids)
        self._lineage_mark = len(self.lineage)
        self.lead_dirty: set[int] = set()
        self.dirty_tasks: set[int] = set()
        self.struct: set[int] = set()
        self.moved: set[int] = set()
        self.sourceless: set[int] = set()

    def refuse(
        self, template: str, params: Mapping[str, Param] | None = None, ids: Sequence[str] = ()
    ) -> PlanError:
        """The error refusing the current operation (raise it), its message rendered from ``template``
        (``reorg.plan.messages``); the invariant is the key's first part (``"operation"`` for
        ``plan.*``)."""
        return refusal(template, params or {}, operation=self.operation, op=self.op, ids=ids)

    def rollback(self) -> None:
        """Undo everything the current operation changed."""
        for field, box in self.saved.items():
            column = self._slots[field]
            for u, old in box.items():
                column[u] = old
        for idx, old in reversed(self._people_log):
            self.person_unit[idx] = old
        for key in self.ids[self.mark :]:
            del self.index[key]
        for field in ("ids", *_UNIT_FIELDS):
            del getattr(self, field)[self.mark :]
        for column in (*self.num.values(), *self.attrs.values(), *(self._slots[f] for f in _CONTAINERS)):
            del column[self.mark :]
        del self.lineage[self._lineage_mark :]
        self.begin(self.operation, self.op)

    def slot(self, field: str) -> list[Any]:
        """The list holding ``field`` per unit (``num:<name>``/``attr:<name>`` for numbers; per task
        ``n_leads``, per level ``level_count``)."""
        return self._slots[field]

    def save(self, field: str, u: int) -> None:
        """Journal ``field`` of unit ``u`` before its first change in this operation."""
        box = self.saved[field]
        if u not in box and u < self.mark:
            value = self._slots[field][u]
            box[u] = value.copy() if isinstance(value, dict | list) else value

    def _save_count(self, field: str, i: int) -> None:
        box = self.saved[field]
        if i not in box:
            box[i] = self._slots[field][i]

    # -- containers, built on first use ------------------------------------------------------------

    def children(self, u: int) -> dict[int, None]:
        kids = self._children[u]
        if kids is None:
            kids = self._children[u] = dict.fromkeys(self.base.children(u))
        return kids

    def duties(self, u: int) -> dict[DutyKey, Duty]:
        """``u``'s duties by (task, scope); a baseline lead and support of one key keep the lead."""
        table = self._duties[u]
        if table is None:
            table = self._duties[u] = {}
            for key, duty in self.base.duties(u):
                held = table.get(key)
                if held is None or (duty[0] == LEAD and held[0] != LEAD):
                    table[key] = duty
                elif duty[0] == LEAD:  # a second identical lead row collapses into the first
                    self._count(self.resolve(u, key[1]), [key[0]], -1)
        return table

    def leads(self, s: int) -> dict[int, int]:
        """Lead duties per task whose scope resolves to territorial unit ``s``."""
        counts = self._leads[s]
        if counts is None:
            counts = self._leads[s] = self.base.leads(s)
        return counts

    def adj(self, u: int) -> dict[int, float]:
        """Neighbours of ``u`` with the border length (km, NaN = unknown)."""
        table = self._adj[u]
        if table is None:
            table = self._adj[u] = self.base.adjacency(u)
        return table

    def refs(self, s: int) -> dict[int, None]:
        """Units holding a duty explicitly scoped to ``s``."""
        holders = self._refs[s]
        if holders is None:
            holders = self._refs[s] = self.base.holders(s)
        return holders

    def staff(self, u: int) -> npt.NDArray[np.int64]:
        """People rows currently in unit ``u``, ascending."""
        chunks = self._members[u]
        if chunks is None:
            chunks = [self.base.staff(u)]
        rows = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        rows = np.unique(rows[self.person_unit[rows] == u])
        self.save("members", u)
        self._members[u] = [rows]
        return rows

    # -- units ---------------------------------------------------------------------------------------

    def unit(self, uid: str, what: str = "unit") -> int:
        """Row of the living unit ``uid``, or refuse naming it."""
        u = self.index.get(uid)
        if u is None or not self.alive[u]:
            raise self.refuse("plan.unknown_unit", {"what": what, "unit": uid}, [uid])
        return u

    def new_unit(self, uid: str, name: str, level: int, kind: str, parent: int) -> int:
        """Append a unit with no duties, people or numbers (NaN) under ``parent``."""
        if not uid:
            raise self.refuse("plan.new_unit.no_id")
        if uid in self.index:
            raise self.refuse("plan.new_unit.id_used", {"unit": uid}, [uid])
        u = len(self.ids)
        self.index[uid] = u
        terr = self.level_terr[level]
        row = (uid, name or uid, kind, level, -1, True, terr, u if terr else -1)
        for field, value in zip(("ids", *_UNIT_FIELDS), row, strict=True):
            getattr(self, field).append(value)
        for values in (*self.num.values(), *self.attrs.values()):
            values.append(math.nan)
        for field in _CONTAINERS:
            self._slots[field].append([] if field == "members" else {})
        self._save_count("level_count", level)
        self.level_count[level] += 1
        self.set_parent(u, parent)
        if terr:
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
            if (self.terr[u] or u in self.hosts) and not self.terr[p]:
                self._host(p)
        if self.terr[u]:
            if u < self.mark:
                self.moved.add(u)
            if old >= 0 and self.alive[old]:
                self._check_emptied(self.owner[old])
        else:
            self._reown(u, self.owner[p] if p >= 0 else -1)

    def _host(self, a: int) -> None:
        """Agency ``a`` (and the agencies above it) hold a territorial unit somewhere below."""
        while a >= 0 and not self.terr[a] and a not in self.hosts:
            self.hosts.add(a)
            a = self.parent[a]

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
            old = self.owner[a]
            if old != owner:
                leads = [
                    task for (task, scope), (role, _) in self.duties(a).items() if role == LEAD and scope < 0
                ]
                self._count(old, leads, -1)
                self._count(owner, leads, 1)
                self.save("owner", a)
                self.owner[a] = owner
            stack.extend(self.children(a))

    def set_level(self, u: int, level: int) -> None:
        """Move ``u`` to another level of the same territorial kind."""
        for lv, delta in ((self.level[u], -1), (level, 1)):
            self._save_count("level_count", lv)
            self.level_count[lv] += delta
        self.save("level", u)
        self.level[u] = level
        if self.terr[u]:
            self.struct.add(u)

    def remove_unit(self, u: int, heirs: Sequence[int]) -> None:
        """``u`` ceases to exist; it must hold no children, duties or people any more. Duties other
        units scoped to it cover ``heirs`` instead."""
        self.redirect_scope(u, heirs)
        self.unlink_all(u)
        self.set_parent(u, -1)
        self.save("alive", u)
        self.alive[u] = False
        self._save_count("level_count", self.level[u])
        self.level_count[self.level[u]] -= 1
        if self.terr[u]:
            self.struct.add(u)

    # -- duties --------------------------------------------------------------------------------------

    def resolve(self, u: int, scope: int) -> int:
        """The territorial unit a duty of ``u`` with ``scope`` covers."""
        return self.owner[scope] if scope >= 0 else self.owner[u]

    def _count(self, s: int, tasks: Iterable[int], delta: int) -> None:
        """One more (or fewer) lead of each of ``tasks`` whose scope is territory ``s``."""
        tasks = list(tasks)
        if not tasks:
            return
        before, totals = self.saved["n_leads"], self.n_leads
        for t in tasks:
            if t not in before:
                before[t] = totals[t]
            totals[t] += delta
        self.dirty_tasks.update(tasks)
        if s < 0:
            return
        counts = self.leads(s)
        self.save("leads", s)
        for t in tasks:
            value = counts.get(t, 0) + delta
            if value:
                counts[t] = value
            else:
                del counts[t]
        self.lead_dirty.add(s)

    def put_duties(self, u: int, duties: Iterable[NewDuty], *, unless_led: bool = False) -> None:
        """Give ``u`` duties; an identical one collapses into what ``u`` holds and a lead replaces a
        support. ``unless_led``: skip a lead of a task already led for ``u``'s own territory."""
        table = self.duties(u)
        self.save("duties", u)
        own = self.owner[u]
        led = self.leads(own) if unless_led and own >= 0 else {}
        new_leads: dict[int, list[int]] = {}
        for task, role, scope, basis in duties:
            key = (task, scope)
            held = table.get(key)
            if held is not None and (held[0] == LEAD or role != LEAD):
                continue
            if role == LEAD and task in led:
                continue
            table[key] = (role, basis or (held[1] if held else ""))
            if role == LEAD:
                new_leads.setdefault(self.owner[scope] if scope >= 0 else own, []).append(task)
            if scope >= 0:
                self.save("refs", scope)
                self.refs(scope)[u] = None
        for s, tasks in new_leads.items():
            self._count(s, tasks, 1)

    def take_duties(self, u: int, keys: Iterable[DutyKey] | None = None) -> list[tuple[DutyKey, Duty]]:
        """Remove ``keys`` (default: all) from ``u``'s duties; returns them."""
        table = self.duties(u)
        self.save("duties", u)
        taken = [(k, table.pop(k)) for k in (list(table) if keys is None else list(keys))]
        gone: dict[int, list[int]] = {}
        for (task, scope), (role, _) in taken:
            if role == LEAD:
                gone.setdefault(self.resolve(u, scope), []).append(task)
        for s, tasks in gone.items():
            self._count(s, tasks, -1)
        return taken

    def redirect_scope(self, s: int, heirs: Sequence[int]) -> None:
        """Duties explicitly scoped to ``s`` (about to go) cover each of ``heirs`` instead."""
        for holder in list(self.refs(s)):
            if not self.alive[holder]:
                continue
            taken = self.take_duties(holder, [k for k in self.duties(holder) if k[1] == s])
            own = self.owner[holder]
            self.put_duties(
                holder, [(t, r, -1 if own == h else h, b) for (t, _), (r, b) in taken for h in heirs]
            )

    # -- numbers, neighbours, people, lineage --------------------------------------------------------

    def set_number(self, field: str, u: int, value: float) -> None:
        """Set one of ``NUMBERS`` or an attribute of ``u``."""
        slot = ("num:" if field in self.num else "attr:") + field
        self.save(slot, u)
        self._slots[slot][u] = value

    def numbers(self, u: int) -> dict[str, float]:
        """``NUMBERS`` and attributes of ``u`` by name."""
        return {k: v[u] for k, v in (*self.num.items(), *self.attrs.items())}

    def set_text(self, field: str, u: int, value: str) -> None:
        """Rename (``name``) or re-kind (``kind``) ``u``."""
        self.save(field, u)
        self._slots[field][u] = value

    def link(self, u: int, v: int, km: float) -> None:
        """Make ``u`` and ``v`` neighbours with ``km`` of border (NaN = unknown), adding to any border."""
        if u == v:
            return
        for x, y in ((u, v), (v, u)):
            table = self.adj(x)
            self.save("adj", x)
            table[y] = add_numbers(table.get(y, math.nan), km)

    def unlink_all(self, u: int) -> dict[int, float]:
        """Remove every neighbour of ``u``; returns what it had."""
        had = dict(self.adj(u))
        for v in had:
            self.adj(v)
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
            if self._members[to] is None:
                self._members[to] = [self.base.staff(to)]
            self.save("members", to)
            chunks = self._members[to]
            assert chunks is not None
            chunks.append(rows)

    def people_rows(self, ids: Sequence[str]) -> list[int]:
        """Rows of people ``ids`` (-1 for an unknown id); the id index is built only when asked."""
        if not ids:
            return []
        index = self.app.people.index
        return [index.get(pid, -1) for pid in ids]

    def edge(self, source: str, target: str, kind: str, share: float = 1.0) -> None:
        self.lineage.append(LineageEdge(source, target, kind, self.operation, share))
