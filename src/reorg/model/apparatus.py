"""The Apparatus: one immutable snapshot of units, levels, tasks, duties, people and territory.

Derived indexes (duty matrices, adjacency, jurisdictions, the Euler tour of the unit tree) are computed
once on first use and cached; nothing here loops over Python objects per person or per duty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cached_property

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reorg.model.events import PersonEvents
from reorg.model.tables import (
    LEAD,
    SUPPORT,
    Duties,
    Levels,
    Neighbours,
    People,
    Results,
    Standards,
    Tasks,
    Units,
)

__all__ = ["Apparatus", "DatasetInfo", "LineageEdge"]

IntArray = npt.NDArray[np.int32]


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """Where an apparatus comes from. ``synthetic`` names the parts that are generated, not observed
    (e.g. ``("people", "results")``): every page and report that shows them says so."""

    name: str = ""
    description: str = ""
    source: str = ""
    synthetic: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class LineageEdge:
    """Unit ``target`` received ``share`` (0..1] of unit ``source`` by operation ``operation`` of a plan
    (``kind`` = merge, split, absorb, rename...). Ids, not indexes: lineage outlives row numbers."""

    source: str
    target: str
    kind: str
    operation: int
    share: float = 1.0


@dataclasses.dataclass(frozen=True, eq=False)
class Apparatus:
    """One immutable snapshot of an organization's apparatus.

    Referential integrity (every index in range) holds by construction; the rules an apparatus
    *should* satisfy (one lead per task and place, a tree, ...) are checked by ``reorg.plan.invariants``.
    """

    levels: Levels
    units: Units
    tasks: Tasks
    duties: Duties
    people: People
    results: Results
    neighbours: Neighbours
    standards: Standards
    info: DatasetInfo = DatasetInfo()
    lineage: tuple[LineageEdge, ...] = ()
    #: who moved where and who was released, by which operation (``reorg.model.events``)
    people_events: PersonEvents = dataclasses.field(default_factory=PersonEvents.none)

    def __post_init__(self) -> None:
        n_units, n_tasks, n_levels = len(self.units), len(self.tasks), len(self.levels)
        checks = [
            ("units.level", self.units.level, n_levels, False),
            ("units.parent", self.units.parent, n_units, True),
            ("tasks.parent", self.tasks.parent, n_tasks, True),
            ("duties.unit", self.duties.unit, n_units, False),
            ("duties.task", self.duties.task, n_tasks, False),
            ("duties.scope", self.duties.scope, n_units, True),
            ("people.unit", self.people.unit, n_units, False),
            ("results.person", self.results.person, len(self.people), False),
            ("neighbours.a", self.neighbours.a, n_units, False),
            ("neighbours.b", self.neighbours.b, n_units, False),
            ("standards.level", self.standards.level, n_levels, False),
        ]
        for name, column, size, may_be_none in checks:
            if len(column) == 0:
                continue
            low = -1 if may_be_none else 0
            if int(column.min()) < low or int(column.max()) >= size:
                raise ValueError(f"{name} holds an index out of range")

    # -- summary ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {
            "levels": len(self.levels),
            "units": len(self.units),
            "tasks": len(self.tasks),
            "duties": len(self.duties),
            "people": len(self.people),
            "results": len(self.results),
            "neighbours": len(self.neighbours),
            "standards": len(self.standards),
        }

    def units_per_level(self) -> dict[str, int]:
        """Number of units at each level, top level first."""
        counts = np.bincount(self.units.level, minlength=len(self.levels))
        order = np.argsort(self.levels.rank, kind="stable")
        return {str(self.levels.name[i]): int(counts[i]) for i in order}

    # -- tree ------------------------------------------------------------------------------------

    @cached_property
    def preorder(self) -> IntArray:
        """Units in depth-first preorder (children in row order). Units on a parent cycle are absent."""
        start, order = self.units.children
        out = np.empty(len(self.units), dtype=np.int32)
        k = 0
        stack = list(reversed(self.units.roots.tolist()))
        while stack:
            u = stack.pop()
            out[k] = u
            k += 1
            kids = order[start[u] : start[u + 1]]
            if len(kids):
                stack.extend(reversed(kids.tolist()))
        return out[:k]

    @cached_property
    def euler(self) -> tuple[IntArray, IntArray]:
        """``(tin, tout)``: unit v is in the subtree of u iff ``tin[u] <= tin[v] < tout[u]``.
        Units not reachable from a root get ``tin = tout = -1``."""
        n = len(self.units)
        pre = self.preorder
        tin = np.full(n, -1, dtype=np.int32)
        tin[pre] = np.arange(len(pre), dtype=np.int32)
        size = np.ones(n, dtype=np.int32)
        parent = self.units.parent
        for u in pre[::-1].tolist():
            p = parent[u]
            if p >= 0:
                size[p] += size[u]
        tout = np.where(tin >= 0, tin + size, -1).astype(np.int32)
        return tin, tout

    @cached_property
    def depth(self) -> IntArray:
        """Edges from the root (roots have depth 0; units on a cycle -1)."""
        depth = np.full(len(self.units), -1, dtype=np.int32)
        parent = self.units.parent
        for u in self.preorder.tolist():
            p = parent[u]
            depth[u] = 0 if p < 0 else depth[p] + 1
        return depth

    # -- territory -------------------------------------------------------------------------------

    @cached_property
    def is_territorial(self) -> npt.NDArray[np.bool_]:
        """Per unit: does its level carry territory? Roots always stand for the whole territory."""
        flags = self.levels.territorial[self.units.level].copy()
        flags[self.units.roots] = True
        return flags

    @cached_property
    def is_attached(self) -> npt.NDArray[np.bool_]:
        """Per unit: is its level attached (under its parent for the parent's territory, not under its
        direction: no subordinate of the parent, no department of it)?"""
        return np.asarray(self.levels.attached[self.units.level], dtype=bool)

    @cached_property
    def jurisdiction(self) -> IntArray:
        """Per unit: the nearest territorial unit among itself and its ancestors (a territorial unit's
        own row; an agency's enclosing territory)."""
        jur = np.full(len(self.units), -1, dtype=np.int32)
        parent = self.units.parent
        terr = self.is_territorial
        for u in self.preorder.tolist():
            jur[u] = u if terr[u] else jur[parent[u]]
        return jur

    @cached_property
    def duty_scope(self) -> IntArray:
        """Per duty: the territorial unit whose territory it covers (its scope, else the jurisdiction)."""
        scope = self.duties.scope
        return np.where(scope >= 0, scope, self.jurisdiction[self.duties.unit]).astype(np.int32)

    @cached_property
    def territory_leaves(self) -> IntArray:
        """Territorial units with no territorial descendant, in preorder: the finest pieces of territory."""
        terr = self.is_territorial
        has_terr_child = np.zeros(len(self.units), dtype=bool)
        parent = self.units.parent
        kids = np.flatnonzero(terr & (parent >= 0))
        # a territorial unit's territorial descendants are reached through agencies too
        jur_of_parent = self.jurisdiction[parent[kids]]
        has_terr_child[jur_of_parent] = True
        pre = self.preorder
        mask = terr[pre] & ~has_terr_child[pre]
        return pre[mask]

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric units x units adjacency (CSR, int8 ones)."""
        n = len(self.units)
        a, b = self.neighbours.a, self.neighbours.b
        rows = np.concatenate([a, b])
        cols = np.concatenate([b, a])
        data = np.ones(len(rows), dtype=np.int8)
        return sp.csr_array((data, (rows, cols)), shape=(n, n))

    # -- duties ----------------------------------------------------------------------------------

    def _duty_matrix(self, role: int | None) -> sp.csr_array:
        mask = slice(None) if role is None else self.duties.role == role
        u, t = self.duties.unit[mask], self.duties.task[mask]
        data = np.ones(len(u), dtype=np.int8)
        m = sp.csr_array((data, (u, t)), shape=(len(self.units), len(self.tasks)))
        m.sum_duplicates()
        return m

    @cached_property
    def lead_matrix(self) -> sp.csr_array:
        """units x tasks, 1 where the unit leads the task (CSR)."""
        return self._duty_matrix(LEAD)

    @cached_property
    def support_matrix(self) -> sp.csr_array:
        """units x tasks, 1 where the unit supports the task (CSR)."""
        return self._duty_matrix(SUPPORT)

    @cached_property
    def duty_matrix(self) -> sp.csr_array:
        """units x tasks, 1 where the unit has any duty on the task (CSR)."""
        m = self._duty_matrix(None)
        m.data[:] = 1
        return m

    # -- people ----------------------------------------------------------------------------------

    @cached_property
    def headcount(self) -> IntArray:
        """People per unit (own staff only, not the subtree's)."""
        return np.bincount(self.people.unit, minlength=len(self.units)).astype(np.int32)

    def with_info(self, info: DatasetInfo) -> Apparatus:
        return dataclasses.replace(self, info=info)


def level_rows(app: Apparatus) -> Mapping[str, IntArray]:
    """Unit rows per level name."""
    return {
        str(name): np.flatnonzero(app.units.level == i).astype(np.int32)
        for i, name in enumerate(app.levels.name.tolist())
    }
