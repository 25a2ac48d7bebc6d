"""What a lead proposal says about itself: per (task, place) cell and overall, as plain data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["CellReport", "Explanation"]


@dataclasses.dataclass(frozen=True)
class CellReport:
    """One cell fixed: ``kind`` "duplicate" (led by every unit in ``leads_before``) or "gap" (led by
    none); the ``lead`` chosen, its weighted ``cost`` and raw ``terms`` (each in [0, 1]: portfolio,
    level, load as x / (x + median x) of lead duties per person, change 0/1); ``runner_up`` and its cost
    ("" and None when the lead was the only candidate); ``binds``: "kept" (the cheapest candidate already led
    here), "cost" (the cheapest candidate), "only candidate", or "capacity of <unit>" (the cheapest
    candidate had no room left); ``operations``: positions in the plan of the transfers that carry it
    out."""

    task: str
    place: str
    kind: str
    leads_before: tuple[str, ...]
    lead: str
    cost: float
    terms: Mapping[str, float]
    candidates: int
    runner_up: str
    runner_up_cost: float | None
    binds: str
    operations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["leads_before"] = list(self.leads_before)
        out["terms"] = dict(self.terms)
        out["operations"] = list(self.operations)
        return out


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The cells fixed, the totals (``cells``, ``duplicates``, ``gaps``, ``tasks``, ``operations``,
    ``cost`` and each term summed over the chosen leads), the capacity used (None: no limit) and
    whether it bound any cell, and the time taken (s)."""

    cells: tuple[CellReport, ...]
    totals: Mapping[str, float]
    max_per_unit: int | None
    capacity_bound: int
    seconds: float

    def for_operation(self, index: int) -> tuple[CellReport, ...]:
        """The cells the plan's operation at ``index`` (0-based) serves."""
        return tuple(c for c in self.cells if index in c.operations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "totals": dict(self.totals),
            "max_per_unit": self.max_per_unit,
            "capacity_bound": self.capacity_bound,
            "seconds": self.seconds,
            "cells": [c.to_dict() for c in self.cells],
        }
