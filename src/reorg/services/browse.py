"""Use cases of the apparatus browser: the unit tree one level at a time, search by id or name, and a
unit's page (its fields, tasks and duties, people counts, findings), as a viewer may see them.

Everything is computed on the memoized apparatus (``reorg.services.memo``), so that a page of a dataset of
80,000 units answers in milliseconds. A unit outside a unit officer's subtree does not exist for them
(``reorg.services.access.require_unit``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.diagnose import Finding
from reorg.model import Apparatus
from reorg.services import access
from reorg.services.datasets import UnitDetail, unit_detail
from reorg.services.diagnosis import diagnose_dataset
from reorg.services.memo import memo
from reorg.services.resolve import Resolved, resolve
from reorg.store import UnitOfWork

__all__ = ["Listing", "Node", "UnitPage", "children", "search", "unit_page"]

#: the most children or search results one answer holds (the rest are paged)
PAGE = 200


@dataclasses.dataclass(frozen=True)
class Node:
    """A unit in the tree: ``children`` is how many units sit directly under it, ``headcount`` its own
    staff (people)."""

    id: str
    name: str
    level: str
    kind: str
    children: int
    headcount: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Listing:
    """Units ``offset`` to ``offset + len(nodes)`` of ``total``, under ``parent`` ("" = the top)."""

    dataset: str
    parent: str
    nodes: tuple[Node, ...]
    offset: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "parent": self.parent,
            "offset": self.offset,
            "total": self.total,
            "units": [n.to_dict() for n in self.nodes],
        }


def _node(app: Apparatus, row: int) -> Node:
    units = app.units
    start, _ = units.children
    return Node(
        units.id[row],
        units.name[row],
        str(app.levels.name[units.level[row]]),
        units.kind[row],
        int(start[row + 1] - start[row]),
        int(app.headcount[row]),
    )


def _page(rows: npt.NDArray[Any], offset: int, limit: int) -> tuple[npt.NDArray[Any], int]:
    limit = max(1, min(limit, PAGE))
    offset = max(0, offset)
    return rows[offset : offset + limit], len(rows)


def children(
    uow: UnitOfWork,
    *,
    name: str,
    viewer: access.Principal,
    parent: str = "",
    offset: int = 0,
    limit: int = PAGE,
) -> Listing:
    """The units directly under ``parent`` (the top of what ``viewer`` may see when ""), by name."""
    access.require(viewer, "read")
    return _listing(resolve(uow, name), viewer, parent, offset, limit)


def _listing(found: Resolved, viewer: access.Principal, parent: str, offset: int, limit: int) -> Listing:
    app = found.apparatus
    if parent:
        access.require_unit(app, viewer, parent)
        rows = app.units.children_of(app.units.index[parent])
    else:
        rows = _tops(app, access.subtree(app, viewer))
    rows = rows[np.argsort(app.units.name[rows].astype(str), kind="stable")]
    shown, total = _page(rows, offset, limit)
    return Listing(found.name, parent, tuple(_node(app, int(r)) for r in shown), offset, total)


def _tops(app: Apparatus, mask: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """The visible units whose parent is not visible: the roots, or a unit officer's scope unit."""
    parent = app.units.parent
    parent_visible = np.zeros(len(parent), dtype=bool)
    has = parent >= 0
    parent_visible[has] = mask[parent[has]]
    return np.flatnonzero(mask & ~parent_visible)


def _search_index(found: Resolved) -> npt.NDArray[np.str_]:
    """Lower-cased "id name" of every unit, kept with the apparatus."""
    key = ("search", found.name, found.version, found.created_at, id(found.apparatus))
    units = found.apparatus.units

    def build() -> npt.NDArray[np.str_]:
        text = np.char.add(np.char.add(units.id.astype(str), " "), units.name.astype(str))
        return np.char.lower(text)

    return memo.get(key, build)


def search(
    uow: UnitOfWork, *, name: str, viewer: access.Principal, query: str, offset: int = 0, limit: int = 50
) -> Listing:
    """Units whose id or name contains ``query`` (ignoring case), an exact id first, then by name."""
    access.require(viewer, "read")
    found = resolve(uow, name)
    app = found.apparatus
    wanted = query.strip().lower()
    if not wanted:
        return Listing(found.name, "", (), 0, 0)
    hits = np.char.find(_search_index(found), wanted) >= 0
    hits &= access.subtree(app, viewer)
    rows = np.flatnonzero(hits)
    exact = np.array([app.units.id[r].lower() != wanted for r in rows.tolist()], dtype=bool)
    order = np.lexsort((app.units.name[rows].astype(str), exact)) if len(rows) else rows
    shown, total = _page(rows[order], offset, limit)
    return Listing(found.name, "", tuple(_node(app, int(r)) for r in shown), offset, total)


@dataclasses.dataclass(frozen=True)
class UnitPage:
    """What the unit page shows: the detail (fields, parents, duties, headcount), the children, people per
    position, and the findings naming the unit."""

    detail: UnitDetail
    children: Listing
    positions: Mapping[str, int]
    findings: tuple[Finding, ...]
    #: the unit's own staff, person by person — only for a viewer who may read personal data (None else)
    people: tuple[Mapping[str, str | float | None], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            **self.detail.to_dict(),
            "children_units": self.children.to_dict(),
            "positions": dict(self.positions),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.people is not None:
            out["people"] = [dict(p) for p in self.people]
        return out


#: how many people of one unit the unit page lists
PEOPLE_SHOWN = 500


def _people(app: Apparatus, rows: npt.NDArray[Any]) -> tuple[Mapping[str, str | float | None], ...]:
    """The personal records of ``rows`` of the people table (salary as its coefficient)."""
    p = app.people

    def day(value: np.datetime64) -> str | None:
        return None if np.isnat(value) else str(value)

    return tuple(
        {
            "id": str(p.id[r]),
            "position": str(p.position[r]),
            "grade": str(p.grade[r]),
            "gender": str(p.gender[r]),
            "birth_date": day(p.birth_date[r]),
            "service_start": day(p.service_start[r]),
            "salary_coefficient": None
            if np.isnan(p.salary_coefficient[r])
            else float(p.salary_coefficient[r]),
        }
        for r in rows[:PEOPLE_SHOWN].tolist()
    )


def unit_page(uow: UnitOfWork, *, name: str, viewer: access.Principal, unit: str) -> UnitPage:
    """The page of ``unit`` in dataset (or plan) ``name``; its people person by person only for a viewer
    who may read personal data (``read_personal``), counts per position for everyone."""
    access.require(viewer, "read")
    found = resolve(uow, name)
    app = found.apparatus
    access.require_unit(app, viewer, unit)
    row = app.units.index[unit]
    mine = app.people.unit == row
    position_names, counts = np.unique(app.people.position[mine].astype(str), return_counts=True)
    report = diagnose_dataset(uow, name=name).report
    findings = tuple(f for f in report.findings if unit in f.units)
    personal = _people(app, np.flatnonzero(mine)) if access.may(viewer, "read_personal") else None
    return UnitPage(
        unit_detail(found, unit),
        _listing(found, viewer, unit, 0, PAGE),
        {str(p) or "-": int(n) for p, n in zip(position_names, counts, strict=True)},
        findings,
        personal,
    )
