"""How much of two units' work is the same: the rule written once, read by the diagnosis (the
``overlap`` finding) and by the merge optimizer (``reorg.optimize.merge``).

A unit's *portfolio* is the set of tasks it holds a duty on (lead or support). Two measures of a pair
(u, v) with ``shared`` tasks in common:

- ``jaccard`` = shared / |T_u ∪ T_v|: the two portfolios are alike as a whole;
- ``containment`` = shared / min(|T_u|, |T_v|): most of the smaller unit's work is also done by the
  other, however large the other is (a unit holding 3 of a ministry's 40 tasks has Jaccard 0.07 and
  containment 1). ``contained_u`` = shared / |T_u| and ``contained_v`` = shared / |T_v| say which way.

Shared tasks are counted only between units whose jurisdictions overlap (the same place, or one
contains the other), and a task held by more than ``max_holders`` units acting for one place is
*generic* there (internal administration) and left out — so the commune leading civil registration
for its own commune overlaps with no other commune. The count never forms a units x units product:

1. Duties are grouped by (task, jurisdiction) and sorted by (task, jurisdiction, unit).
2. Each shared task of a pair is enumerated once, from one *owner* unit: from the deeper unit, against
   the holders of the task in each strictly enclosing jurisdiction (a handful of tree levels); and
   within one jurisdiction from the unit with the smaller row. Each is a contiguous slice of the sorted
   duties, so enumeration is array slicing.
3. Owners are processed in blocks of bounded size; per block the (owner, partner) keys are sorted and
   counted, which gives each pair's number of shared tasks.

*Related fields.* Tasks carry the state-management ``field`` of the catalogue. Two fields are related
when the agencies (units of levels that carry no territory) that work in one of them also work in the
other: with C[f, g] the number of agencies holding a duty in both f and g,
``R[f, g] = C[f, g] / max(C[f, f], C[g, g])`` (the smaller of the two shares; 1 on the diagonal). A
district office for "finance and planning" in every district makes finance and planning related; one
body supporting one task of another field does not (it is one holder among hundreds). The field
similarity of u and v is ``p_u · R · p_v`` with p the share of a unit's duties in each field, in [0, 1].
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reorg.model import Apparatus

__all__ = ["SharedTasks", "field_profiles", "field_relatedness", "field_similarity", "shared_tasks"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: (owner, partner) incidences handled at once; bounds the memory of step 3 (~16 bytes each, x a few).
BLOCK = 4_000_000


@dataclasses.dataclass(frozen=True, eq=False)
class SharedTasks:
    """Pairs of units (rows ``u`` < or > ``v``, each pair once) with overlapping jurisdictions and at
    least ``min_shared`` non-generic tasks in common: ``shared`` tasks, portfolio sizes ``size_u`` and
    ``size_v`` (non-generic tasks held); ``generic_places`` counts the (task, place) groups left out as
    generic, ``incidences`` the (pair, shared task) incidences counted."""

    u: IntArray
    v: IntArray
    shared: IntArray
    size_u: IntArray
    size_v: IntArray
    generic_places: int
    incidences: int

    @property
    def jaccard(self) -> FloatArray:
        """shared / |T_u ∪ T_v|."""
        return np.asarray(self.shared / np.maximum(self.size_u + self.size_v - self.shared, 1), np.float64)

    @property
    def contained_u(self) -> FloatArray:
        """shared / |T_u|: the share of u's portfolio that v also holds."""
        return np.asarray(self.shared / np.maximum(self.size_u, 1), np.float64)

    @property
    def contained_v(self) -> FloatArray:
        """shared / |T_v|: the share of v's portfolio that u also holds."""
        return np.asarray(self.shared / np.maximum(self.size_v, 1), np.float64)

    @property
    def containment(self) -> FloatArray:
        """shared / min(|T_u|, |T_v|): the larger of the two directional shares."""
        return np.maximum(self.contained_u, self.contained_v)

    def select(self, keep: BoolArray) -> SharedTasks:
        """The pairs where ``keep`` holds."""
        return dataclasses.replace(
            self,
            u=self.u[keep],
            v=self.v[keep],
            shared=self.shared[keep],
            size_u=self.size_u[keep],
            size_v=self.size_v[keep],
        )


def _runs(sorted_keys: IntArray) -> tuple[IntArray, IntArray]:
    """Starts and lengths of runs of equal values."""
    if len(sorted_keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    start = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    return start, np.diff(np.append(start, len(sorted_keys)))


def _sorted_duties(
    app: Apparatus, cap: int, among: BoolArray | None
) -> tuple[IntArray, IntArray, IntArray, IntArray, int]:
    """Non-generic duties (of the units in ``among``) sorted by (task, jurisdiction, unit): keys
    ``task * n_units + jurisdiction``, units, group starts and sizes; plus the generic groups dropped."""
    m = app.duty_matrix
    n_units = len(app.units)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), np.diff(m.indptr))
    jur = app.jurisdiction[unit].astype(np.int64)
    ok = jur >= 0
    if among is not None:
        ok &= among[unit]
    unit, jur = unit[ok], jur[ok]
    key = m.indices.astype(np.int64)[ok] * n_units + jur
    order = np.lexsort((unit, key))
    key, unit = key[order], unit[order]
    start, size = _runs(key)
    generic = size > cap
    if generic.any():
        keep = ~np.repeat(generic, size)
        key, unit = key[keep], unit[keep]
        start, size = _runs(key)
    return key, unit, start, size, int(generic.sum())


def _ranges(app: Apparatus, key: IntArray, unit: IntArray, start: IntArray, size: IntArray) -> IntArray:
    """Partner ranges of every duty as an (n, 3) array of (owner unit, first position, length), sorted
    by owner: later holders of the same task in the same place, and all holders of the task in each
    strictly enclosing place."""
    n_units = len(app.units)
    n = len(key)
    group = np.repeat(np.arange(len(start)), size)
    pos = np.arange(n, dtype=np.int64)
    end = (start + size)[group]
    owners, firsts, lengths = [unit], [pos + 1], [end - pos - 1]
    parent = app.units.parent
    tparent = np.full(n_units, -1, dtype=np.int64)
    has_parent = parent >= 0
    tparent[has_parent] = app.jurisdiction[parent[has_parent]]
    gkey = key[start] if len(start) else np.zeros(0, np.int64)
    task, place = key // n_units, key % n_units
    idx = np.arange(n)
    place = tparent[place]
    while len(idx):
        alive = place >= 0
        idx, task, place = idx[alive], task[alive], place[alive]
        wanted = task * n_units + place
        g = np.minimum(np.searchsorted(gkey, wanted), max(len(gkey) - 1, 0))
        hit = gkey[g] == wanted if len(gkey) else np.zeros(len(wanted), bool)
        owners.append(unit[idx[hit]])
        firsts.append(start[g[hit]])
        lengths.append(size[g[hit]])
        place = tparent[place]
    out = np.stack([np.concatenate(owners), np.concatenate(firsts), np.concatenate(lengths)], axis=1)
    out = out[out[:, 2] > 0]
    return out[np.argsort(out[:, 0], kind="stable")]


def _expand(first: IntArray, length: IntArray) -> IntArray:
    """The positions ``first[i] .. first[i] + length[i] - 1`` of every range, concatenated."""
    total = int(length.sum())
    before = np.cumsum(length) - length
    return np.repeat(first - before, length) + np.arange(total, dtype=np.int64)


def _count_block(
    ranges: IntArray, unit: IntArray, n_units: int, min_shared: int
) -> tuple[IntArray, IntArray, IntArray]:
    """(owner, partner, shared tasks) for the pairs of one block with at least ``min_shared``."""
    partners = unit[_expand(ranges[:, 1], ranges[:, 2])]
    owners = np.repeat(ranges[:, 0], ranges[:, 2])
    base = int(ranges[0, 0])
    pair = (owners - base) * n_units + partners
    pair.sort()
    first, count = _runs(pair)
    strong = count >= min_shared
    keys = pair[first[strong]]
    return keys // n_units + base, keys % n_units, count[strong].astype(np.int64)


def shared_tasks(
    app: Apparatus, *, max_holders: int, min_shared: int = 1, among: BoolArray | None = None
) -> SharedTasks:
    """Every pair of units (of ``among``, a mask over units; default all) with overlapping
    jurisdictions sharing at least ``min_shared`` non-generic tasks (see the module docstring)."""
    n_units = len(app.units)
    key, unit, start, size, generic = _sorted_duties(app, max_holders, among)
    portfolio = np.bincount(unit, minlength=n_units)
    ranges = _ranges(app, key, unit, start, size)
    cum = np.cumsum(ranges[:, 2])
    pieces: list[tuple[IntArray, IntArray, IntArray]] = []
    lo = 0
    while lo < len(ranges):
        done = cum[lo - 1] if lo else 0
        hi = int(np.searchsorted(cum, done + BLOCK, side="right"))
        hi = max(hi, lo + 1)
        # never split one owner's ranges across blocks
        hi = int(np.searchsorted(ranges[:, 0], ranges[hi - 1, 0], side="right"))
        pieces.append(_count_block(ranges[lo:hi], unit, n_units, min_shared))
        lo = hi
    if pieces:
        u, v, shared = (np.concatenate(parts) for parts in zip(*pieces, strict=True))
    else:
        u = v = shared = np.zeros(0, np.int64)
    incidences = int(cum[-1]) if len(cum) else 0
    return SharedTasks(u, v, shared, portfolio[u], portfolio[v], generic, incidences)


def field_profiles(app: Apparatus) -> tuple[sp.csr_array, int]:
    """units x fields, the share of each unit's duties (on tasks with a field) in each field (rows sum
    to 1, or 0 for a unit with no such duty); and the number of fields."""
    names, field_of = np.unique(app.tasks.field.astype(str), return_inverse=True)
    has = names != ""
    renumber = np.cumsum(has) - 1
    task_field = np.where(has[field_of], renumber[field_of], -1)
    n_fields = int(has.sum())
    m = app.duty_matrix
    unit = np.repeat(np.arange(len(app.units)), np.diff(m.indptr))
    f = task_field[m.indices]
    ok = f >= 0
    counts = sp.csr_array(
        (np.ones(int(ok.sum())), (unit[ok], f[ok])), shape=(len(app.units), max(n_fields, 1))
    )
    counts.sum_duplicates()
    total = np.asarray(counts.sum(axis=1)).ravel()
    scale = sp.diags_array(np.where(total > 0, 1.0 / np.maximum(total, 1.0), 0.0))
    return sp.csr_array(scale @ counts), n_fields


def field_relatedness(app: Apparatus) -> sp.csr_array:
    """fields x fields, R[f, g] = C[f, g] / max(C[f, f], C[g, g]) with C counting the agencies that
    hold duties in both fields (see the module docstring); 1 on the diagonal."""
    profiles, n_fields = field_profiles(app)
    agencies = ~app.is_territorial
    held = sp.csr_array(profiles[np.flatnonzero(agencies)])
    held.data[:] = 1.0
    co = sp.csr_array(held.T @ held).tocoo()
    diag = np.zeros(profiles.shape[1])
    on = co.row == co.col
    diag[co.row[on]] = co.data[on]
    value = co.data / np.maximum(np.maximum(diag[co.row], diag[co.col]), 1.0)
    value[on] = 1.0
    r = sp.csr_array((value, (co.row, co.col)), shape=(profiles.shape[1],) * 2)
    eye = sp.csr_array(sp.eye_array(profiles.shape[1], format="csr"))
    # fields no agency works in are related to themselves only
    return sp.csr_array(r.maximum(eye)) if n_fields else r


def field_similarity(
    profiles: sp.csr_array, related: sp.csr_array, rows: IntArray
) -> npt.NDArray[np.float64]:
    """rows x rows, p_u · R · p_v for the units ``rows`` (dense: call it per place)."""
    p = sp.csr_array(profiles[rows])
    out = sp.csr_array(p @ related @ p.T).toarray()
    return np.clip(np.asarray(out, np.float64), 0.0, 1.0)
