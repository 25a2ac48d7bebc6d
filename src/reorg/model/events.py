"""The person event log: what a plan did to each person, kept by ``apply`` next to the unit lineage.

One row per person per operation that moved or released them, in the order the operations ran: a
person merged with their commune and later moved by ``move_people`` has two rows. Ids, not row
indexes (like the lineage): a released person and a removed unit have no row in the apparatus after
the plan. ``operation`` is the position of the operation in its plan and ``op`` its kind (``merge``,
``move_people``, ``release_people``, ``dissolve``, ``abolish_level``...); ``reason`` is the reason a
``release_people`` operation gives (empty otherwise).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.model.tables import Table, int_column, text_column

__all__ = ["EVENT_KINDS", "MOVED", "RELEASED", "PersonEvents"]

MOVED = 0
RELEASED = 1
#: event kind codes -> names (``PersonEvents.kind``)
EVENT_KINDS = ("moved", "released")


@dataclasses.dataclass(frozen=True, eq=False)
class PersonEvents(Table):
    """Per event: the person (id), ``kind`` (``MOVED``/``RELEASED``), the operation (position in the
    plan) and its kind, the unit left and the unit joined (``""`` when released), the release reason."""

    person: npt.NDArray[np.object_]
    kind: npt.NDArray[np.int8]
    operation: npt.NDArray[np.int32]
    op: npt.NDArray[np.object_]
    source: npt.NDArray[np.object_]
    target: npt.NDArray[np.object_]
    reason: npt.NDArray[np.object_]

    @classmethod
    def none(cls) -> PersonEvents:
        """The empty log (an apparatus no plan has made)."""
        text = text_column([])
        return cls(text, np.zeros(0, dtype=np.int8), int_column([]), text, text, text, text)

    def counts(self) -> dict[str, dict[str, int]]:
        """People per event kind and operation kind (``{"released": {"release_people": 3}}``), kinds
        in ``EVENT_KINDS`` order, operation kinds by first appearance."""
        out: dict[str, dict[str, int]] = {}
        if not len(self):
            return out
        ops, first, code = np.unique(self.op.astype(str), return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        table = np.bincount(self.kind.astype(np.int64) * len(ops) + code, minlength=2 * len(ops))
        table = table.reshape(2, len(ops))
        for k, name in enumerate(EVENT_KINDS):
            per = {str(ops[j]): int(table[k, j]) for j in order.tolist() if table[k, j]}
            if per:
                out[name] = per
        return out

    def released(self) -> npt.NDArray[np.intp]:
        """Rows of the release events."""
        return np.flatnonzero(self.kind == RELEASED)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per event, for JSON."""
        return [
            {
                "person": p,
                "event": EVENT_KINDS[k],
                "operation": o,
                "op": op,
                "from": s,
                "to": t,
                "reason": r,
            }
            for p, k, o, op, s, t, r in zip(
                self.person.tolist(),
                self.kind.tolist(),
                self.operation.tolist(),
                self.op.tolist(),
                self.source.tolist(),
                self.target.tolist(),
                self.reason.tolist(),
                strict=True,
            )
        ]
