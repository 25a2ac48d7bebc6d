"""Turn the working state back into an immutable Apparatus, once, at the end of a plan.

Units keep their rows in order (removed ones dropped, created ones after them); the duties, neighbours
and staff of units no operation touched are taken from the baseline's columns in one vectorized step,
and only the touched units' are rebuilt from their Python containers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from reorg.model import (
    MOVED,
    RELEASED,
    Apparatus,
    DatasetInfo,
    Duties,
    Neighbours,
    People,
    PersonEvents,
    Results,
    Units,
)
from reorg.model.tables import float_column, int_column, text_column
from reorg.plan.state import NUMBERS, State

__all__ = ["compact"]

IntArray = npt.NDArray[np.int64]


def compact(st: State, info: DatasetInfo) -> Apparatus:
    """The apparatus the state describes, with ``info`` and the baseline's lineage plus the new edges."""
    app = st.app
    alive = np.array(st.alive, dtype=bool)
    keep = np.flatnonzero(alive)
    row = np.full(len(alive) + 1, -1, dtype=np.int64)  # row[-1] = -1 maps "none" to "none"
    row[keep] = np.arange(len(keep))
    units = Units(
        id=text_column(np.array(st.ids, dtype=object)[keep]),
        name=text_column(np.array(st.name, dtype=object)[keep]),
        level=int_column(np.array(st.level)[keep]),
        kind=text_column(np.array(st.kind, dtype=object)[keep]),
        parent=int_column(row[np.array(st.parent)[keep]]),
        **{k: float_column(np.array(st.num[k])[keep]) for k in NUMBERS},
        attributes={k: float_column(np.array(v)[keep]) for k, v in st.attrs.items()},
    )
    people, results = _people(st, app)
    return Apparatus(
        levels=app.levels,
        units=units,
        tasks=app.tasks,
        duties=_duties(st, alive, row),
        people=people,
        results=results,
        neighbours=_neighbours(st, alive, row),
        standards=app.standards,
        info=info,
        lineage=app.lineage + tuple(st.lineage),
        people_events=_events(st, app),
    )


def _built(containers: Sequence[object | None], n_base: int) -> npt.NDArray[np.bool_]:
    """Per baseline unit: was its container built (so the baseline rows no longer describe it)?"""
    flags = np.array([c is not None for c in containers[:n_base]], dtype=bool)
    return flags if len(flags) else np.zeros(0, dtype=bool)


def _duties(st: State, alive: npt.NDArray[np.bool_], row: IntArray) -> Duties:
    d = st.app.duties
    n_base = len(st.app.units)
    built = _built(st.slot("duties"), n_base)
    base = np.flatnonzero(~built[d.unit] & alive[d.unit]) if len(d) else np.zeros(0, dtype=np.int64)
    unit, task, role, scope, basis = [], [], [], [], []
    for u, table in enumerate(st.slot("duties")):
        if table is None or not st.alive[u]:
            continue
        for (t, s), (r, b) in table.items():
            unit.append(u)
            task.append(t)
            role.append(r)
            scope.append(s)
            basis.append(b)
    all_unit = np.concatenate([d.unit[base], np.array(unit, dtype=np.int64)]).astype(np.int64)
    all_scope = np.concatenate([d.scope[base], np.array(scope, dtype=np.int64)]).astype(np.int64)
    order = np.argsort(row[all_unit], kind="stable")
    return Duties(
        unit=int_column(row[all_unit][order]),
        task=int_column(np.concatenate([d.task[base], np.array(task, dtype=np.int64)])[order]),
        role=np.concatenate([d.role[base], np.array(role, dtype=np.int8)])[order],
        scope=int_column(row[all_scope][order]),
        legal_basis=text_column(np.concatenate([d.legal_basis[base], np.array(basis, dtype=object)])[order]),
    )


def _neighbours(st: State, alive: npt.NDArray[np.bool_], row: IntArray) -> Neighbours:
    ne = st.app.neighbours
    built = _built(st.slot("adj"), len(st.app.units))
    base = ~built[ne.a] & ~built[ne.b] & alive[ne.a] & alive[ne.b] if len(ne) else np.zeros(0, dtype=bool)
    a, b, km = [], [], []
    for u, table in enumerate(st.slot("adj")):
        if table is None or not st.alive[u]:
            continue
        for v, border in table.items():
            if st.alive[v] and (u < v or (v < len(built) and not built[v])):
                a.append(u)
                b.append(v)
                km.append(border)
    ra = row[np.concatenate([ne.a[base], np.array(a, dtype=np.int64)]).astype(np.int64)]
    rb = row[np.concatenate([ne.b[base], np.array(b, dtype=np.int64)]).astype(np.int64)]
    border_km = np.concatenate([ne.border_km[base], np.array(km, dtype=np.float64)])
    lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
    order = np.lexsort((hi, lo))
    return Neighbours(
        a=int_column(lo[order]), b=int_column(hi[order]), border_km=float_column(border_km[order])
    )


def _people(st: State, app: Apparatus) -> tuple[People, Results]:
    alive = np.array(st.alive, dtype=bool)
    row = np.full(len(alive), -1, dtype=np.int64)
    row[alive] = np.arange(int(alive.sum()))
    stays = st.person_unit >= 0
    people = dataclasses.replace(app.people.take(stays), unit=int_column(row[st.person_unit[stays]]))
    renumber = np.cumsum(stays) - 1
    kept = stays[app.results.person] if len(app.results) else np.zeros(0, dtype=bool)
    results = dataclasses.replace(
        app.results.take(kept), person=int_column(renumber[app.results.person[kept]])
    )
    return people, results


def _events(st: State, app: Apparatus) -> PersonEvents:
    """The baseline's person event log followed by this plan's events, in the order they happened:
    a few array concatenations, whatever the number of people."""
    if not st.events:
        return app.people_events
    rows = np.concatenate([e[0] for e in st.events])
    left = np.concatenate([e[1] for e in st.events])
    sizes = np.array([len(e[0]) for e in st.events], dtype=np.int64)
    joined = np.repeat(np.array([e[2] for e in st.events], dtype=np.int64), sizes)
    unit_ids = np.array([*st.ids, ""], dtype=object)  # unit_ids[-1] = "" for a release
    codes = np.array([e[4] for e in st.events] + [e[5] for e in st.events], dtype=object)
    k = len(st.events)
    new = PersonEvents(
        person=text_column(app.people.id[rows]),
        kind=np.where(joined < 0, RELEASED, MOVED).astype(np.int8),
        operation=int_column(np.repeat(np.array([e[3] for e in st.events], dtype=np.int64), sizes)),
        op=text_column(np.repeat(codes[:k], sizes)),
        source=text_column(unit_ids[left]),
        target=text_column(unit_ids[joined]),
        reason=text_column(np.repeat(codes[k:], sizes)),
    )
    return PersonEvents.concat([app.people_events, new])
