"""Small helpers shared by the checks: ids and names for findings, robust scores, severity codes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from reorg.diagnose.findings import SEVERITIES, Severity
from reorg.model import Apparatus
from reorg.text import listing

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "SEVERITY_NAMES",
    "name_list",
    "robust_z",
    "task_ids",
    "task_label",
    "unit_ids",
    "unit_label",
]

HIGH, MEDIUM, LOW = 0, 1, 2
SEVERITY_NAMES: tuple[Severity, ...] = SEVERITIES

#: MAD of a normal sample = 0.6745 sigma; mean absolute deviation = 0.7979 sigma.
_MAD_SCALE = 0.6745
_MEANAD_SCALE = 0.7979


def unit_ids(app: Apparatus, rows: Iterable[int], cap: int) -> tuple[str, ...]:
    """Ids of the first ``cap`` unit rows."""
    out = []
    for k, r in enumerate(rows):
        if k >= cap:
            break
        out.append(str(app.units.id[int(r)]))
    return tuple(out)


def task_ids(app: Apparatus, rows: Iterable[int], cap: int) -> tuple[str, ...]:
    """Ids of the first ``cap`` task rows."""
    out = []
    for k, r in enumerate(rows):
        if k >= cap:
            break
        out.append(str(app.tasks.id[int(r)]))
    return tuple(out)


def _label(name: object, ident: object) -> str:
    return str(name) or str(ident)


def name_list(app: Apparatus, rows: Iterable[int], total: int | None = None, shown: int = 3) -> str:
    """``"A, B and 3 more"``: the names (else ids) of the first ``shown`` unit rows out of ``total``
    (``reorg.text.listing``)."""
    rows = [int(r) for r in rows]
    labels = [_label(app.units.name[r], app.units.id[r]) for r in rows[:shown]]
    return listing(labels, total=len(rows) if total is None else total, shown=shown)


def unit_label(app: Apparatus, row: int) -> str:
    """A unit's name, else its id."""
    return _label(app.units.name[row], app.units.id[row])


def task_label(app: Apparatus, row: int) -> str:
    """A task's name, else its id."""
    return _label(app.tasks.name[row], app.tasks.id[row])


def robust_z(
    values: npt.NDArray[np.float64], groups: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Robust standard scores within groups, and each value's group median.

    The score is ``0.6745 (x - median) / MAD``; where a group's MAD is 0, the mean absolute deviation
    stands in (``0.7979 (x - median) / meanAD``); where that is 0 too, the score is 0. ``values`` must
    be finite; ``groups`` are small non-negative integers."""
    z = np.zeros(len(values))
    centre = np.zeros(len(values))
    for g in np.unique(groups).tolist():
        sel = groups == g
        x = values[sel]
        med = float(np.median(x))
        centre[sel] = med
        dev = np.abs(x - med)
        mad = float(np.median(dev))
        if mad > 0:
            z[sel] = _MAD_SCALE * (x - med) / mad
            continue
        mean_ad = float(dev.mean())
        if mean_ad > 0:
            z[sel] = _MEANAD_SCALE * (x - med) / mean_ad
    return z, centre
