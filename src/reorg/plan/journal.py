"""The journaled working copy that ``apply`` changes: what it holds, and how it is rolled back.

Nothing is copied up front that an operation may never touch: a unit's children, duties, neighbours,
staff and the lead counts of its territory are read from the baseline (``reorg.plan.baseline``) the
first time an operation needs them (the containers here), and only those units are rebuilt from Python
containers at the end (``reorg.plan.compact``). Per operation, ``Journal`` records

- the values the primitives replaced (``save``), so a refused operation can be rolled back and the
  state *before* the operation can be read (``reorg.plan.region`` compares before and after);
- what the operation touched: territories whose lead counts changed (``lead_dirty``), tasks whose lead
  totals changed (``dirty_tasks``), territorial units created, removed or reshaped (``struct``) or
  moved (``moved``), new territory that must be covered at once (``sourceless``).

The primitives that change units and duties are in ``reorg.plan.state``.
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

__all__ = ["CONTAINERS", "NUMBERS", "UNIT_FIELDS", "Journal", "NewDuty", "PeopleEvent", "add_numbers"]

#: the additive and positional numbers of a unit (attributes are kept apart, by name)
NUMBERS = ("quota", "area_km2", "population", "lat", "lon")
#: journaled per-unit fields, plus per-task lead totals and per-level unit counts
UNIT_FIELDS = ("name", "kind", "level", "parent", "alive", "terr", "owner")
CONTAINERS = ("children", "duties", "leads", "adj", "members", "refs")

NewDuty = tuple[int, int, int, str]  # (task, role, scope, legal basis)
#: people rows, the unit each left, the unit they joined (-1: released), operation, op kind, reason
PeopleEvent = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int, int, str, str]


def add_numbers(a: float, b: float) -> float:
    """a + b where NaN means unknown: unknown only if both are."""
    return b if math.isnan(a) else a if math.isnan(b) else a + b


class Journal:
    """The working copy: units as Python lists indexed by row (new units appended), containers built
    on first use, and the journal of what the current operation replaced."""

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
        #: the person event log so far: (rows, units left, unit joined or -1, operation, op, reason)
        self.events: list[PeopleEvent] = []
        self._children: list[dict[int, None] | None] = [None] * n
        self._duties: list[dict[DutyKey, Duty] | None] = [None] * n
        self._leads: list[dict[int, int] | None] = [None] * n
        self._adj: list[dict[int, float] | None] = [None] * n
        self._members: list[list[npt.NDArray[np.int64]] | None] = [None] * n
        self._refs: list[dict[int, None] | None] = [None] * n
        self._slots: dict[str, list[Any]] = {f: getattr(self, f) for f in UNIT_FIELDS}
        self._slots.update({f: getattr(self, "_" + f) for f in CONTAINERS})
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
        self._events_mark = len(self.events)
        self.lead_dirty: set[int] = set()
        self.dirty_tasks: set[int] = set()
        self.struct: set[int] = set()
        self.moved: set[int] = set()
        self.sourceless: set[int] = set()

    def next_operation(self, operation: int, op: str) -> None:
        """Go on recording into the same journal with operation ``operation`` (of kind ``op``): the
        operations of one roadmap step are checked and rolled back together."""
        self.operation, self.op = operation, op

    def refuse(
        self, template: str, params: Mapping[str, Param] | None = None, ids: Sequence[str] = ()
    ) -> PlanError:
        """The error refusing the current operation (raise it), its message rendered from ``template``
        (``reorg.plan.messages``); the invariant is the key's first part (``"operation"`` for
        ``plan.*``)."""
        return refusal(template, params or {}, operation=self.operation, op=self.op, ids=ids)

    def journaled(self) -> int:
        """How many values the current operation's journal holds: the work it did, which rolling
        it back undoes."""
        return sum(len(box) for box in self.saved.values())

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
        for field in ("ids", *UNIT_FIELDS):
            del getattr(self, field)[self.mark :]
        for column in (*self.num.values(), *self.attrs.values(), *(self._slots[f] for f in CONTAINERS)):
            del column[self.mark :]
        del self.lineage[self._lineage_mark :]
        del self.events[self._events_mark :]
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

    def _host(self, a: int) -> None:
        """Agency ``a`` (and the agencies above it) hold a territorial unit somewhere below."""
        while a >= 0 and not self.terr[a] and a not in self.hosts:
            self.hosts.add(a)
            a = self.parent[a]

    # -- lead counts per territory and task ------------------------------------------------------

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
