"""The agencies of merged territorial units follow their territory.

When territorial units (provinces, communes) merge, the agencies under them that lead the same task
would each lead it in the merged territory: the one-lead rule (docs/invariants.md) would be broken,
and ``apply`` refuses the merge. So a proposal that merges territories first merges, for each such
group, the agencies that lead a common task (a department of finance with the other department of
finance, a commune Party committee with the other Party committees), directly under the unit the
territory keeps. Agencies are grouped by the tasks they lead, transitively (two agencies that share no
task but each share one with a third merge together, since the third cannot be split here); an agency
that leads nothing in common with the others stays as it is, and moves with its territory.

The merged agency keeps the id and name of the one under the territory's absorbing unit (``into``),
else of the first member in the merge's order. Only direct children of the merged units are
considered: the agencies below them move with their parent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reorg.model import Apparatus
from reorg.plan.operations import Merge, NewUnit

__all__ = ["agency_merges", "territorial_merge"]


def agency_merges(app: Apparatus, units: Sequence[str], into: NewUnit) -> tuple[Merge, ...]:
    """The merges of the agencies of territorial ``units`` (merged into ``into``) that lead a common
    task, in the order of their first member: what must precede ``Merge(units, into)`` (module)."""
    index = app.units.index
    parents = np.array([index[u] for u in units], dtype=np.int64)
    kids = np.concatenate([app.units.children_of(int(p)) for p in parents]).astype(np.int64)
    rows = kids[~app.is_territorial[kids]]
    if len(rows) < 2:
        return ()
    leads = app.lead_matrix[rows]
    shared = (leads @ leads.T).tocsr()  # agencies x agencies: tasks both lead
    if shared.nnz == 0:
        return ()
    _, label = connected_components(sp.csr_array(shared > 0), directed=False)
    order = {int(p): k for k, p in enumerate(parents)}  # the merge's order of the territories
    rank = np.array([order[int(p)] for p in app.units.parent[rows]])
    absorber = index.get(into.id, -1)
    out: list[tuple[int, Merge]] = []
    for lab in np.unique(label):
        members = rows[label == lab]
        if len(members) < 2 or len(np.unique(app.units.parent[members])) < 2:
            continue
        members = members[np.argsort(rank[label == lab], kind="stable")]
        kept = members[app.units.parent[members] == absorber]
        head = int(kept[0]) if len(kept) else int(members[0])
        ids = tuple(str(x) for x in app.units.id[members].tolist())
        new = NewUnit(
            id=str(app.units.id[head]),
            name=str(app.units.name[head]),
            parent_id=str(app.units.id[absorber]) if absorber >= 0 else str(units[0]),
        )
        out.append((int(members[0]), Merge(units=ids, into=new)))
    return tuple(m for _, m in sorted(out, key=lambda x: x[0]))


def territorial_merge(app: Apparatus, units: Sequence[str], into: NewUnit) -> tuple[Merge, ...]:
    """``Merge(units, into)`` preceded by the merges of their agencies that lead a common task
    (``agency_merges``): the operations every proposal that merges territories emits for one region."""
    return (*agency_merges(app, units, into), Merge(units=tuple(units), into=into))
