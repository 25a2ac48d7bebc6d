"""Per-unit reads of a baseline apparatus, for the working state of ``apply`` to build its containers
from on first use: children, duties, lead counts per territory, neighbours, explicit-scope holders and
staff, each grouped by unit once (CSR style) so one unit's rows are a slice."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model import LEAD, Apparatus

__all__ = ["Baseline", "Duty", "DutyKey"]

DutyKey = tuple[int, int]  # (task, scope); scope -1 = the unit's own jurisdiction
Duty = tuple[int, str]  # (role, legal basis)


def _grouped(keys: npt.NDArray[Any], n: int) -> tuple[list[int], npt.NDArray[np.int64]]:
    """Rows grouped by key: the rows of key k are ``order[start[k]:start[k + 1]]``."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys.astype(np.int64), minlength=n), out=start[1:])
    return start.tolist(), order


class Baseline:
    """The baseline's rows per unit. Units ``>= n`` (created by the plan) have none."""

    def __init__(self, app: Apparatus) -> None:
        self.app = app
        self.n = n = len(app.units)
        d = app.duties
        self._children = app.units.children
        self._duties = _grouped(d.unit, n)
        lead = np.flatnonzero(d.role == LEAD)
        named = app.duty_scope[lead]
        resolved = np.where(named >= 0, app.jurisdiction[np.maximum(named, 0)], -1)
        lead, resolved = lead[resolved >= 0], resolved[resolved >= 0]
        start, order = _grouped(resolved, n)
        self._leads = start, lead[order]
        explicit = np.flatnonzero(d.scope >= 0)
        start, order = _grouped(d.scope[explicit], n)
        self._refs = start, explicit[order]
        self._members = _grouped(app.people.unit, n)
        ne = app.neighbours
        start, order = _grouped(np.concatenate([ne.a, ne.b]), n)
        self._adj = start, np.concatenate([ne.b, ne.a])[order], np.concatenate([ne.border_km] * 2)[order]

    def children(self, u: int) -> list[int]:
        if u >= self.n:
            return []
        start, order = self._children
        return order[start[u] : start[u + 1]].tolist()  # type: ignore[no-any-return]

    def duties(self, u: int) -> list[tuple[DutyKey, Duty]]:
        if u >= self.n:
            return []
        start, order = self._duties
        rows = order[start[u] : start[u + 1]]
        d = self.app.duties
        keys = zip(d.task[rows].tolist(), d.scope[rows].tolist(), strict=True)
        values = zip(d.role[rows].tolist(), d.legal_basis[rows].tolist(), strict=True)
        return list(zip(keys, values, strict=True))

    def leads(self, s: int) -> dict[int, int]:
        """Lead duties per task whose scope resolves to territorial unit ``s``."""
        if s >= self.n:
            return {}
        start, rows = self._leads
        tasks, counts = np.unique(self.app.duties.task[rows[start[s] : start[s + 1]]], return_counts=True)
        return dict(zip(tasks.tolist(), counts.tolist(), strict=True))

    def adjacency(self, u: int) -> dict[int, float]:
        if u >= self.n:
            return {}
        start, other, km = self._adj
        part = slice(start[u], start[u + 1])
        return dict(zip(other[part].tolist(), km[part].tolist(), strict=True))

    def holders(self, s: int) -> dict[int, None]:
        """Units holding a duty explicitly scoped to ``s``."""
        if s >= self.n:
            return {}
        start, rows = self._refs
        return dict.fromkeys(self.app.duties.unit[rows[start[s] : start[s + 1]]].tolist())

    def staff(self, u: int) -> npt.NDArray[np.int64]:
        if u >= self.n:
            return np.zeros(0, dtype=np.int64)
        start, order = self._members
        return order[start[u] : start[u + 1]]
