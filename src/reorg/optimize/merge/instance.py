"""The merger problem as plain arrays: the units of one level grouped by place (their parent), and the
pairs of one place that may be merged with their similarity.

Similarity of two units of one place (``reorg.plan.similarity`` measures it):
``max(containment, field_weight x field similarity)`` — containment (shared tasks / the smaller
portfolio, tasks generic in the place left out) finds a unit whose work is mostly done by another
however large that one is; the field similarity finds units working in related state-management
fields with no task in common (transport and construction). A pair may be merged when its similarity
reaches ``min_similarity``, neither unit is untouchable and the pair is not kept apart; pairs locked
together are always merged.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.merge.spec import MergeSpec
from reorg.plan.similarity import field_profiles, field_relatedness, field_similarity, shared_tasks

__all__ = ["Instance", "build_instance"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclasses.dataclass(frozen=True, eq=False)
class Instance:
    """Units ``rows`` of the level (apparatus rows) with ``group`` (index into ``places``, the parent
    row of each group); per unit: ``tasks`` (distinct tasks held), ``leads`` (lead duties), ``headcount``,
    ``quota`` (NaN: none), ``fixed`` (untouchable). Pairs (positions into ``rows``, ``a`` < ``b``, one
    group): ``similarity``, ``shared`` tasks (non-generic), ``contained_a`` / ``contained_b`` (share of
    a's / b's portfolio the other holds), ``field`` similarity, ``forced`` (locked together),
    ``allowed`` (may be merged)."""

    level: int
    rows: IntArray
    group: IntArray
    places: IntArray
    tasks: IntArray
    leads: IntArray
    headcount: IntArray
    quota: FloatArray
    fixed: BoolArray
    a: IntArray
    b: IntArray
    similarity: FloatArray
    shared: IntArray
    contained_a: FloatArray
    contained_b: FloatArray
    field: FloatArray
    forced: BoolArray
    allowed: BoolArray
    matrix: sp.csr_array  # rows x tasks, 1 where the unit holds the task (for unions)


def _ids(app: Apparatus, ids: tuple[str, ...], where: str) -> list[int]:
    out = []
    for uid in ids:
        row = app.units.index.get(uid)
        if row is None:
            raise InputError(where, "a unit id of the dataset", value=uid)
        out.append(row)
    return out


def build_instance(
    app: Apparatus, level_name: str, spec: MergeSpec, *, among: BoolArray | None = None
) -> Instance:
    """The instance for the units of ``level_name`` (of ``among`` too, a mask over units, when given:
    the internal model restricts it to the departments of merged units) (InputError: unknown level or
    ids)."""
    names = [str(n) for n in app.levels.name]
    if level_name not in names:
        raise InputError("--level", f"one of {', '.join(names)}", value=level_name)
    level = names.index(level_name)
    chosen = app.units.level == level
    if among is not None:
        chosen &= among
    rows = np.flatnonzero(chosen).astype(np.int64)
    pos = np.full(len(app.units), -1, np.int64)
    pos[rows] = np.arange(len(rows))
    places, group = np.unique(app.units.parent[rows], return_inverse=True)
    matrix = sp.csr_array(app.duty_matrix[rows])
    tasks = np.diff(matrix.indptr).astype(np.int64)
    leads = np.diff(sp.csr_array(app.lead_matrix[rows]).indptr).astype(np.int64)
    fixed = np.zeros(len(rows), bool)
    for r in _ids(app, spec.untouchable, "untouchable"):
        if pos[r] >= 0:
            fixed[pos[r]] = True
    # pairs sharing tasks, within one group
    among = np.zeros(len(app.units), bool)
    among[rows] = True
    st = shared_tasks(app, max_holders=spec.max_holders, min_shared=1, among=among)
    pu, pv = pos[st.u], pos[st.v]
    same = (pu >= 0) & (pv >= 0) & (group[np.maximum(pu, 0)] == group[np.maximum(pv, 0)])
    st = st.select(same)
    pu, pv = pos[st.u], pos[st.v]
    pair: dict[tuple[int, int], list[float]] = {}
    for x, y, s, cx, cy in zip(
        pu.tolist(),
        pv.tolist(),
        st.shared.tolist(),
        st.contained_u.tolist(),
        st.contained_v.tolist(),
        strict=True,
    ):
        key, vals = ((x, y), [s, cx, cy]) if x < y else ((y, x), [s, cy, cx])
        pair[key] = [*vals, 0.0]
    # related fields, per group (dense per place)
    if spec.field_weight > 0:
        profiles, n_fields = field_profiles(app)
        if n_fields:
            related = field_relatedness(app)
            floor = spec.min_similarity / spec.field_weight
            for g in range(len(places)):
                members = np.flatnonzero(group == g)
                if len(members) < 2:
                    continue
                sim = field_similarity(profiles, related, rows[members])
                i, j = np.nonzero(np.triu(sim, 1) > 0)
                for x, y, f in zip(members[i].tolist(), members[j].tolist(), sim[i, j].tolist(), strict=True):
                    if (x, y) in pair:
                        pair[(x, y)][3] = f
                    elif f >= floor:
                        pair[(x, y)] = [0.0, 0.0, 0.0, f]
    forced_set = set()
    for u, v in spec.locked_together:
        x, y = (int(pos[r]) for r in _ids(app, (u, v), "locked_together"))
        if x < 0 or y < 0 or group[x] != group[y]:
            raise InputError(
                "locked_together", f"two units of level {level_name} with one parent", value=f"{u}, {v}"
            )
        key = (min(x, y), max(x, y))
        forced_set.add(key)
        pair.setdefault(key, [0.0, 0.0, 0.0, 0.0])
    apart = set()
    for u, v in spec.kept_apart:
        x, y = (int(pos[r]) for r in _ids(app, (u, v), "kept_apart"))
        apart.add((min(x, y), max(x, y)))
    keys = sorted(pair)
    table = np.asarray([pair[k] for k in keys], np.float64).reshape(-1, 4)
    a = np.asarray([k[0] for k in keys], np.int64)
    b = np.asarray([k[1] for k in keys], np.int64)
    containment = np.maximum(table[:, 1], table[:, 2])
    similarity = np.maximum(containment, spec.field_weight * table[:, 3])
    forced = np.asarray([k in forced_set for k in keys], bool)
    kept = np.asarray([k in apart for k in keys], bool)
    allowed = forced | ((similarity >= spec.min_similarity) & ~kept & ~fixed[a] & ~fixed[b])
    hc = app.headcount[rows].astype(np.int64)
    return Instance(
        level,
        rows,
        group.astype(np.int64),
        places.astype(np.int64),
        tasks,
        leads,
        hc,
        app.units.quota[rows].astype(np.float64),
        fixed,
        a,
        b,
        similarity,
        table[:, 0].astype(np.int64),
        table[:, 1],
        table[:, 2],
        table[:, 3],
        forced,
        allowed,
        matrix,
    )
