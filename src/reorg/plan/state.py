"""The primitives through which an operation changes the working copy (``reorg.plan.journal``).

Every change goes through them: they keep the derived figures (jurisdictions, lead counts per
territory and task, per-level unit counts) in step, journal the values they replace and record what
the operation touched, so ``reorg.plan.region`` can check the operation on what it touched and
``apply`` can roll it back. Units: create, re-attach, re-level, remove; duties: give, take, redirect
their scope; numbers, names, neighbours, staff and lineage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, LineageEdge
from reorg.plan.baseline import Duty, DutyKey
from reorg.plan.journal import CONTAINERS, NUMBERS, UNIT_FIELDS, Journal, NewDuty, add_numbers
from reorg.plan.messages import UNIT_WORDS

__all__ = ["NUMBERS", "DutyKey", "NewDuty", "State", "add_numbers"]


class State(Journal):
    """The working copy with the primitives that change it."""

    # -- units ---------------------------------------------------------------------------------------

    def unit(self, uid: str, what: str = UNIT_WORDS["unit"]) -> int:
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
        for field, value in zip(("ids", *UNIT_FIELDS), row, strict=True):
            getattr(self, field).append(value)
        for values in (*self.num.values(), *self.attrs.values()):
            values.append(math.nan)
        for field in CONTAINERS:
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

    def move_people(self, rows: npt.NDArray[np.int64], to: int, reason: str = "") -> None:
        """People ``rows`` now work in ``to`` (-1: released, for ``reason``); the event log records
        those whose unit changed."""
        if len(rows) == 0:
            return
        old = self.person_unit[rows].copy()
        self._people_log.append((rows, old))
        changed = old != to
        if changed.any():
            kept = rows if changed.all() else rows[changed]
            self.events.append(
                (kept, old if changed.all() else old[changed], to, self.operation, self.op, reason)
            )
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
