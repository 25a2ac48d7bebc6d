"""Operations that reshape units: merge, split and dissolve (semantics in docs/invariants.md)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt

from reorg.plan.edits import (
    ADDITIVE_TERRITORY,
    centre,
    check_under,
    connected,
    inside,
    level_of,
    pour,
    territorial_below,
    total,
)
from reorg.plan.kinds import merged_kind
from reorg.plan.messages import UNIT_WORDS
from reorg.plan.operations import Dissolve, Merge, Plan, Split
from reorg.plan.rules import ranked_below
from reorg.plan.state import NewDuty, State, add_numbers
from reorg.text import listing

__all__ = ["dissolve", "merge", "split"]

_SHARE_TOLERANCE = 1e-9


def merge(st: State, op: Merge, plan: Plan) -> None:
    """Units of one level become ``op.into``: one of them (which keeps its row) or a new unit. Its kind
    is ``into.kind``, else the rule of ``reorg.plan.kinds.merged_kind``; class attributes (``<class>_km2``)
    are summed like every attribute, which is the class rule."""
    if len(op.units) < 2 or len(set(op.units)) < len(op.units):
        raise st.refuse("plan.merge.too_few", ids=op.units)
    rows = [st.unit(x) for x in op.units]
    if len({st.level[u] for u in rows}) > 1:
        levels = sorted({str(st.app.levels.name[st.level[u]]) for u in rows})
        raise st.refuse("plan.merge.levels", {"levels": ", ".join(levels)}, op.units)
    if any(st.parent[u] < 0 for u in rows):
        raise st.refuse("tree.root_merged", ids=op.units)
    level = level_of(st, op.into.level) if op.into.level else st.level[rows[0]]
    if st.level_terr[level] != st.terr[rows[0]]:
        raise st.refuse("plan.merge.territorial", ids=[op.into.level])
    keeper = st.index[op.into.id] if op.into.id in op.units else -1
    parent = _merge_parent(st, op, rows, keeper)
    check_under(st, level, parent, op.into.id)
    for u in rows:
        for child in st.children(u):
            if not ranked_below(st.rank[st.level[child]], st.rank[level]):
                raise st.refuse("tree.not_below", {"child": st.ids[child], "unit": op.into.id})
    if "contiguity" in plan.require:
        _check_contiguous(st, rows)
    values = [st.numbers(u) for u in rows]
    kind = op.into.kind or merged_kind([st.kind[u] for u in rows], [v["population"] for v in values])
    if keeper >= 0:
        target = keeper
        st.set_text("name", target, op.into.name or st.name[target])
        st.set_text("kind", target, kind)
        if level != st.level[target]:
            st.set_level(target, level)
        st.set_parent(target, parent)
    else:
        target = st.new_unit(op.into.id, op.into.name, level, kind, parent)
    for field in values[0]:
        if field not in ("lat", "lon"):
            st.set_number(field, target, total(v[field] for v in values))
    lat, lon = centre((v["lat"], v["lon"], v["population"], v["area_km2"]) for v in values)
    st.set_number("lat", target, lat)
    st.set_number("lon", target, lon)
    for u in rows:
        if u != target:
            pour(st, u, target, {u: target})
            for v, km in st.unlink_all(u).items():
                if v != target:
                    st.link(target, v, km)
            st.remove_unit(u, [target])
    for u in rows:
        st.edge(st.ids[u], op.into.id, "merge")
    if st.terr[target]:
        st.struct.add(target)


def _merge_parent(st: State, op: Merge, rows: list[int], keeper: int) -> int:
    if op.into.parent_id:
        parent = st.unit(op.into.parent_id, UNIT_WORDS["parent"])
        if inside(st, parent, set(rows)):
            raise st.refuse("tree.parent_inside", {"parent": op.into.parent_id}, [op.into.parent_id])
        return parent
    if keeper >= 0:
        return st.parent[keeper]
    parents = {st.parent[u] for u in rows}
    if len(parents) > 1:
        raise st.refuse("plan.merge.parents", ids=op.units)
    return parents.pop()


def _check_contiguous(st: State, rows: list[int]) -> None:
    """Merged territory must be one connected piece: the merged units that have neighbour data must be
    connected, and so must their territorial children that have some (unless one of the units was
    already in pieces before, which the merge then inherits)."""
    units = [u for u in rows if st.terr[u] and st.adj(u)]
    kids = {u: [c for c in territorial_below(st, u) if st.adj(c)] for u in rows if st.terr[u]}
    pooled = [c for part in kids.values() for c in part]
    broken = units if not connected(st, units) else []
    if not broken and not connected(st, pooled) and all(connected(st, part) for part in kids.values()):
        broken = pooled
    if broken:
        ids = [st.ids[u] for u in broken]
        raise st.refuse("contiguity.merge", {"units": listing(ids)}, ids)


def split(st: State, op: Split, plan: Plan) -> None:
    """``op.unit`` is divided among ``op.parts`` by share (see docs/invariants.md)."""
    u = st.unit(op.unit)
    if st.parent[u] < 0:
        raise st.refuse("tree.root_split", ids=[op.unit])
    shares = [p.share for p in op.parts]
    if not shares or any(not 0 < s <= 1 for s in shares) or abs(sum(shares) - 1) > _SHARE_TOLERANCE:
        raise st.refuse("plan.split.shares", {"shares": str(shares)}, [op.unit])
    if len({p.id for p in op.parts}) < len(op.parts):
        raise st.refuse("plan.split.part_twice", ids=[p.id for p in op.parts])
    people = _split_assignments(st, op, u)
    for p in op.parts:
        row = st.index.get(p.id)
        if row is not None and st.alive[row] and st.level[row] != st.level[u]:
            raise st.refuse("plan.split.part_level", {"part": p.id, "unit": op.unit}, [p.id])
        if row is not None and not st.alive[row]:
            raise st.refuse("plan.new_unit.id_used", {"unit": p.id}, [p.id])
    values, duties, borders = st.numbers(u), list(st.duties(u).items()), dict(st.adj(u))
    parts = [
        st.index[p.id]
        if p.id in st.index
        else st.new_unit(p.id, p.name, st.level[u], st.kind[u], st.parent[u])
        for p in op.parts
    ]
    for row, share in zip(parts, shares, strict=True):
        _grow(st, row, u, values, share)
    _share_duties(st, u, parts, duties)
    first = parts[0]
    for row, part in zip(parts, op.parts, strict=True):
        for c in part.children:
            st.set_parent(st.index[c], row)
        st.move_people(people[part.id], row)
    if first != u:
        pour(st, u, first)
    for row, share in zip(parts, shares, strict=True):
        if row != u:
            for v, km in borders.items():
                st.link(row, v, km * share)
    if borders:  # the parts' own borders are unknown: a chain in the order given keeps them connected
        for a, b in itertools.pairwise(parts):
            st.link(a, b, math.nan)
    if u in parts:
        st.redirect_scope(u, parts)
    else:
        st.unlink_all(u)
        st.remove_unit(u, parts)
    for row, share in zip(parts, shares, strict=True):
        st.edge(op.unit, st.ids[row], "split", share)
        if st.terr[row]:
            st.struct.add(row)
    if st.terr[u]:
        st.struct.add(u)


def _split_assignments(st: State, op: Split, u: int) -> dict[str, npt.NDArray[np.int64]]:
    """Check the children and people the parts name; the people rows per part id."""
    seen_children: set[str] = set()
    for part in op.parts:
        for c in part.children:
            row = st.index.get(c)
            if row is None or not st.alive[row] or st.parent[row] != u or c in seen_children:
                raise st.refuse("plan.split.not_child", {"child": c, "unit": op.unit}, [c])
            seen_children.add(c)
    staff = set(st.staff(u).tolist())
    people: dict[str, npt.NDArray[np.int64]] = {}
    seen: set[int] = set()
    for part in op.parts:
        rows = st.people_rows(part.people)
        bad = [pid for pid, r in zip(part.people, rows, strict=True) if r not in staff or r in seen]
        if bad:
            raise st.refuse("plan.split.not_staff", {"unit": op.unit, "people": listing(bad)}, bad)
        seen.update(rows)
        people[part.id] = np.array(rows, dtype=np.int64)
    return people


def _grow(st: State, row: int, u: int, values: dict[str, float], share: float) -> None:
    """Part ``row`` receives ``share`` of ``u``'s numbers (``u`` itself shrinks to its share)."""
    own = st.numbers(row)
    for field, value in values.items():
        if field in ("lat", "lon"):
            continue
        part = value * share
        st.set_number(field, row, part if row == u else add_numbers(own[field], part))
    if row != u:
        fresh = all(math.isnan(own[f]) for f in ("lat", "lon", *ADDITIVE_TERRITORY))
        points = [(values["lat"], values["lon"], values["population"] * share, values["area_km2"] * share)]
        if not fresh:
            points.append((own["lat"], own["lon"], own["population"], own["area_km2"]))
        lat, lon = centre(points)
        st.set_number("lat", row, lat)
        st.set_number("lon", row, lon)


def _share_duties(
    st: State, u: int, parts: list[int], duties: list[tuple[tuple[int, int], tuple[int, str]]]
) -> None:
    """A territorial unit's duties for its own territory go to every part (each for its own); duties
    with another scope, and every duty of an agency (whose parts share one jurisdiction), go to the
    first part. The unit keeps only what it still does as a part."""
    first = parts[0]
    shared: dict[int, list[NewDuty]] = {row: [] for row in parts}
    for (task, scope), (role, basis) in duties:
        own = st.terr[u] and (scope < 0 or scope == u)
        for row in parts if own else [first]:
            if row != u:
                shared[row].append((task, role, -1 if own else scope, basis))
        if u not in parts or (not own and first != u):
            st.take_duties(u, [(task, scope)])
    for row, items in shared.items():
        st.put_duties(row, items)


def dissolve(st: State, op: Dissolve, plan: Plan) -> None:
    """``op.unit`` ceases to exist; its duties, children and staff go to the successor (default: the
    parent), people named in ``op.release`` leave."""
    u = st.unit(op.unit)
    if st.parent[u] < 0:
        raise st.refuse("tree.root_dissolved", ids=[op.unit])
    heir = st.unit(op.successor, UNIT_WORDS["successor"]) if op.successor else st.parent[u]
    if inside(st, heir, {u}):
        raise st.refuse("tree.successor_inside", {"successor": st.ids[heir], "unit": op.unit}, [st.ids[heir]])
    for child in st.children(u):
        check_under(st, st.level[child], heir, st.ids[child])
    leaving = st.people_rows(op.release)
    staff = set(st.staff(u).tolist())
    bad = [pid for pid, r in zip(op.release, leaving, strict=True) if r not in staff]
    if bad:
        raise st.refuse("plan.dissolve.not_staff", {"unit": op.unit, "people": listing(bad)}, bad)
    above = inside(st, u, {heir})
    values, had = st.numbers(heir), st.numbers(u)
    for field, value in had.items():
        if field not in ("lat", "lon") and not (above and field in ADDITIVE_TERRITORY):
            st.set_number(field, heir, add_numbers(values[field], value))
    if not above and st.terr[u]:
        lat, lon = centre((v["lat"], v["lon"], v["population"], v["area_km2"]) for v in (values, had))
        st.set_number("lat", heir, lat)
        st.set_number("lon", heir, lon)
    st.move_people(np.array(leaving, dtype=np.int64), -1)
    pour(st, u, heir)
    neighbours = st.unlink_all(u)
    if not above and st.terr[u] and st.terr[heir]:
        for v, km in neighbours.items():
            st.link(heir, v, km)
    st.remove_unit(u, [heir])
    st.edge(op.unit, st.ids[heir], "dissolve")
    if st.terr[u] and st.terr[heir]:
        st.struct.add(heir)
