"""What is measured on every division of an ensemble, from plain arrays (vectorized, O(units + edges)).

Per division (labels per atom, mapped to the level's units):

- ``cut_edges``: neighbour pairs of units in different regions (the compactness proxy of the
  redistricting literature: fewer is more compact; reorg's bundles have no outlines to compute
  Polsby-Popper from);
- ``mean_centroid_km``: mean distance of a unit's location to the centroid of its region's unit
  locations (km; a second compactness proxy);
- ``mean_centre_km``: population-weighted mean distance of a unit to its region's centre, the
  location of its most populous member, which a merged unit keeps as its seat (km);
- ``population_max_dev``: largest |region population - mean| / mean, and ``population_cv`` the
  coefficient of variation of region populations;
- ``people_moved_share``: share of the people whose unit is absorbed (not the most populous member
  of its region, whose id and seat the region keeps): the disruption for residents;
- ``split_<level>``: former units of each level above (parent, grandparent...) that are split: some
  region holds units of it and of another former unit, so its border runs through a new unit;
- for each attribute asked for, ``<attr>_min`` and ``<attr>_max``: the least and greatest region total.

Units without a location are left out of the distance measures.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.optimize.territory.extract import EARTH_RADIUS_KM, LevelData, column, former_units

__all__ = ["Measurer"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True, eq=False)
class Measurer:
    """The per-unit arrays the measures need; ``measure(labels)`` gives one row of measures."""

    atom: IntArray
    edge_a: IntArray
    edge_b: IntArray
    population: FloatArray
    xy: FloatArray
    located: npt.NDArray[np.bool_]
    former: dict[str, IntArray]
    attributes: dict[str, FloatArray]

    @classmethod
    def of(cls, app: Apparatus, data: LevelData, attributes: tuple[str, ...] = ()) -> Measurer:
        """Measures of the units of ``data``'s level; ``attributes`` are summed per region."""
        rows = data.rows
        g = data.graph
        src = np.repeat(np.arange(g.n, dtype=np.int64), np.diff(g.indptr))
        once = src < g.indices
        lat, lon = column(app, "lat", rows), column(app, "lon", rows)
        located = np.isfinite(lat) & np.isfinite(lon)
        lat0 = math.radians(float(lat[located].mean())) if located.any() else 0.0
        xy = np.stack([np.radians(lon) * math.cos(lat0), np.radians(lat)], axis=1) * EARTH_RADIUS_KM
        level_of = app.levels.index
        here = int(app.units.level[rows[0]])
        above = [str(name) for name, k in level_of.items() if k < here]
        former = {}
        for name in above:
            keys = former_units(app, rows, name)
            _, codes = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
            if len(set(keys)) > 1:
                former[name] = codes.astype(np.int64)
        return cls(
            atom=data.atom,
            edge_a=src[once],
            edge_b=g.indices[once],
            population=np.nan_to_num(column(app, "population", rows), nan=0.0),
            xy=np.nan_to_num(xy, nan=0.0),
            located=located,
            former=former,
            attributes={k: np.nan_to_num(column(app, k, rows), nan=0.0) for k in attributes},
        )

    @property
    def names(self) -> list[str]:
        """The measures, in the order ``measure`` gives them."""
        fixed = [
            "cut_edges",
            "mean_centroid_km",
            "mean_centre_km",
            "population_max_dev",
            "population_cv",
            "people_moved_share",
        ]
        fixed += [f"split_{name}" for name in self.former]
        for k in self.attributes:
            fixed += [f"{k}_min", f"{k}_max"]
        return fixed

    def measure(self, atom_labels: npt.ArrayLike) -> dict[str, float]:
        """The measures of the division ``atom_labels`` (region per atom; see the module)."""
        lab = np.asarray(atom_labels, dtype=np.int64)[self.atom]
        return self.measure_units(lab)

    def measure_units(self, lab: IntArray) -> dict[str, float]:
        """The measures of the division given as a region per unit (position of the level)."""
        p = int(lab.max()) + 1
        out: dict[str, float] = {"cut_edges": float(np.count_nonzero(lab[self.edge_a] != lab[self.edge_b]))}
        ok = self.located
        count = np.bincount(lab[ok], minlength=p)
        cx = np.bincount(lab[ok], weights=self.xy[ok, 0], minlength=p) / np.maximum(count, 1)
        cy = np.bincount(lab[ok], weights=self.xy[ok, 1], minlength=p) / np.maximum(count, 1)
        d = np.hypot(self.xy[ok, 0] - cx[lab[ok]], self.xy[ok, 1] - cy[lab[ok]])
        out["mean_centroid_km"] = float(d.mean()) if len(d) else 0.0
        head = _heads(lab, self.population, p)
        pop = self.population
        hx, hy = self.xy[head, 0], self.xy[head, 1]
        dc = np.hypot(self.xy[:, 0] - hx[lab], self.xy[:, 1] - hy[lab])
        w = pop * (ok & self.located[head][lab])
        out["mean_centre_km"] = float((dc * w).sum() / w.sum()) if w.sum() > 0 else 0.0
        totals = np.bincount(lab, weights=pop, minlength=p)
        mean = float(totals.mean())
        out["population_max_dev"] = float(np.abs(totals - mean).max() / mean) if mean > 0 else 0.0
        out["population_cv"] = float(totals.std() / mean) if mean > 0 else 0.0
        moved = pop.sum() - pop[head].sum()
        out["people_moved_share"] = float(moved / pop.sum()) if pop.sum() > 0 else 0.0
        for name, codes in self.former.items():
            # a region crosses a border when a unit's former unit differs from its head's
            differs = (codes != codes[head][lab]).astype(np.float64)
            crossing = np.bincount(lab, weights=differs, minlength=p) > 0
            split = np.bincount(codes[crossing[lab]], minlength=int(codes.max()) + 1) > 0
            out[f"split_{name}"] = float(np.count_nonzero(split))
        for k, col in self.attributes.items():
            t = np.bincount(lab, weights=col, minlength=p)
            out[f"{k}_min"] = float(t.min())
            out[f"{k}_max"] = float(t.max())
        return out


def _heads(lab: IntArray, population: FloatArray, p: int) -> IntArray:
    """Per region, its most populous unit (ties: the first position)."""
    order = np.lexsort((-np.arange(len(lab)), population, lab))  # last per region = largest, first pos
    last = np.flatnonzero(np.r_[lab[order][1:] != lab[order][:-1], True])
    head = np.zeros(p, dtype=np.int64)
    head[lab[order][last]] = order[last]
    return head
