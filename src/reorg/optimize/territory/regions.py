"""From solved groups to the plan's merge operations and the per-region explanation.

A region of two or more units becomes ``Merge(units, into=NewUnit(id, name))`` where id and name are
those of its largest member by the spec's ``naming`` attribute (ties: the first in level order; all
missing: by area, then the first member), preceded by the merges of the members' agencies that lead a
common task (``reorg.plan.follow.territorial_merge``: their departments or committees follow the
territory, so that no task is led twice in it). A single-unit region produces no operation.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.optimize.territory.explain import RegionReport, binding_constraint
from reorg.optimize.territory.extract import (
    EARTH_RADIUS_KM,
    LevelData,
    column,
    constrained_column,
    former_units,
)
from reorg.optimize.territory.groups import GroupResult
from reorg.optimize.territory.spec import TerritorySpec
from reorg.plan.follow import territorial_merge
from reorg.plan.operations import NewUnit, Operation

__all__ = ["RegionBuilder"]

FloatArray = npt.NDArray[np.float64]


class RegionBuilder:
    """Collects regions group by group and turns them into operations, reports and objective terms."""

    def __init__(self, app: Apparatus, data: LevelData, spec: TerritorySpec) -> None:
        self.app = app
        self.data = data
        self.spec = spec
        rows = data.rows
        self.size_keys = [np.nan_to_num(column(app, k, rows), nan=-np.inf) for k in (spec.naming, "area_km2")]
        shown = list(dict.fromkeys([*spec.constrained, "population", "area_km2"]))
        self.totals = {k: np.nan_to_num(constrained_column(app, k, rows, spec), nan=0.0) for k in shown}
        self.lat = column(app, "lat", rows)
        self.lon = column(app, "lon", rows)
        self.former = {key: former_units(app, rows, key) for key in spec.weights.cohesion}
        self._reports: list[RegionReport] = []
        self._ops: list[Operation] = []
        self._balance = 0.0

    def add(self, result: GroupResult) -> None:
        """Add the regions of one solved group."""
        data = self.data
        group = result.report.group
        totals_by_region = []
        for members in result.regions:
            rows = np.searchsorted(result.positions, members)
            feats = result.features[rows]
            terms = {term: _ssd(feats[:, cols]) for term, cols in result.terms.items()}
            totals = {k: float(col[members].sum()) for k, col in self.totals.items()}
            totals_by_region.append(totals)
            binding, slack = binding_constraint(totals, self.spec.lower_bounds, self.spec.maximums)
            head = self._largest(members)
            uid, name = data.ids[head], data.names[head]
            self._reports.append(
                RegionReport(
                    id=uid,
                    name=name,
                    group=group,
                    members=tuple(data.ids[p] for p in members),
                    totals=totals,
                    binding=binding,
                    slack=slack,
                    feasible=slack >= -1e-9,
                    homogeneity=terms["homogeneity"],
                    compactness=terms["compactness"],
                    inertia_km2=self._inertia(members),
                    cohesion=terms["cohesion"],
                    spans={
                        k: tuple(sorted({former[p] for p in members})) for k, former in self.former.items()
                    },
                )
            )
            if len(members) > 1:
                units = tuple(data.ids[p] for p in members)
                self._ops.extend(territorial_merge(self.app, units, NewUnit(id=uid, name=name)))
        self._balance += self._balance_term(totals_by_region)

    def _largest(self, members: list[int]) -> int:
        for key in self.size_keys:
            values = key[members]
            if np.isfinite(values).any():
                return members[int(np.argmax(values))]
        return members[0]

    def _inertia(self, members: list[int]) -> float:
        lat, lon = self.lat[members], self.lon[members]
        ok = np.isfinite(lat) & np.isfinite(lon)
        if ok.sum() < 2:
            return 0.0
        lat0 = math.radians(float(lat[ok].mean()))
        xy = np.stack([np.radians(lon[ok]) * math.cos(lat0), np.radians(lat[ok])], axis=1) * EARTH_RADIUS_KM
        return _ssd(xy)

    def _balance_term(self, totals: list[dict[str, float]]) -> float:
        weight = self.spec.weights.balance
        if weight <= 0 or not totals:
            return 0.0
        by = self.spec.weights.balance_by or next(iter(self.spec.minimums), "population")
        if by not in totals[0]:
            return 0.0
        values = np.asarray([t[by] for t in totals])
        mean = values.mean()
        return float(weight * ((values - mean) ** 2).mean() / (mean * mean)) if mean > 0 else 0.0

    def operations(self) -> tuple[Operation, ...]:
        return tuple(self._ops)

    def reports(self) -> tuple[RegionReport, ...]:
        return tuple(self._reports)

    def objective(self) -> dict[str, float]:
        """Objective terms summed over regions (balance: summed over groups)."""
        compact = sum(r.compactness for r in self._reports)
        homog = sum(r.homogeneity for r in self._reports)
        cohesion = sum(r.cohesion for r in self._reports)
        return {
            "regions": float(len(self._reports)),
            "regions_below_minimum": float(sum(1 for r in self._reports if not r.feasible)),
            "compactness": compact,
            "homogeneity": homog,
            "cohesion": cohesion,
            "balance": self._balance,
            "objective": compact + homog + cohesion + self._balance,
        }


def _ssd(x: FloatArray) -> float:
    """Sum of squared deviations of the rows of x from their mean."""
    if x.size == 0:
        return 0.0
    return float(((x - x.mean(axis=0)) ** 2).sum())
