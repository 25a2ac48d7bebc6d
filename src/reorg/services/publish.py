"""Use cases of an approved plan: approving a plan version (and withdrawing the approval), and what the
public may see of an approved plan without signing in.

The steering committee (admins and reviewers: ``approve``) approves a plan version; the newest approved
version of a plan whose approval stands is what ``/public`` shows. The public view is the resulting
structure only: units (id, name, level, kind), how many units sit under each, the tasks each leads and
where, the map of a territorial level, and counts of units per level. It holds nothing personal — no
people, headcounts, salaries or users (not even who approved). A plan that is not approved, or whose
approval was withdrawn, does not exist for the public (NotFoundError, the same sentence as for a name
that is no plan at all).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from urllib.parse import quote

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError, NotFoundError
from reorg.io.w3c_org import OrgStructure, OrgUnit, to_jsonld_text, to_turtle
from reorg.model import LEAD, Apparatus
from reorg.services import access, maps
from reorg.services.memo import memo
from reorg.services.resolve import Resolved, resolve
from reorg.store import ApprovalRecord, UnitOfWork

__all__ = [
    "ORG_FORMATS",
    "Lead",
    "PublicBranch",
    "PublicPlan",
    "PublicUnit",
    "TaskLeads",
    "approval_of",
    "approve_plan",
    "default_base",
    "export_org",
    "org_structure",
    "public_branch",
    "public_map",
    "public_plans",
    "public_tasks",
    "task_leads",
    "withdraw_approval",
]

#: the one sentence for a plan the public may not see (unknown, not approved, withdrawn)
NO_PUBLIC_PLAN = "no approved plan {name!r}"
#: the most units one public page lists
PAGE = 200
#: the export formats of ``export_org``
ORG_FORMATS = ("jsonld", "ttl")


def approve_plan(
    uow: UnitOfWork, *, name: str, viewer: access.Principal, version: int | None = None
) -> ApprovalRecord:
    """Approve version ``version`` (else the newest) of plan ``name``; audited."""
    access.require(viewer, "approve")
    record = uow.plans.get(name=name, version=version)
    return uow.approvals.approve(name=name, version=record.version)


def withdraw_approval(
    uow: UnitOfWork, *, name: str, viewer: access.Principal, version: int | None = None
) -> ApprovalRecord:
    """Withdraw the standing approval of version ``version`` of plan ``name`` (else of its newest approved
    version); audited. NotFoundError when none stands."""
    access.require(viewer, "approve")
    if version is None:
        current = uow.approvals.current(name=name)
        if current is None:
            raise NotFoundError(f"no approval of plan {name!r} to withdraw")
        version = current.version
    return uow.approvals.withdraw(name=name, version=version)


def approval_of(uow: UnitOfWork, *, name: str, viewer: access.Principal) -> ApprovalRecord | None:
    """The standing approval of plan ``name`` (its newest approved version), None when none stands."""
    access.require(viewer, "read")
    return uow.approvals.current(name=name)


def _approved(uow: UnitOfWork, name: str) -> tuple[ApprovalRecord, Resolved]:
    approval = uow.approvals.current(name=name)
    if approval is None:
        raise NotFoundError(NO_PUBLIC_PLAN.format(name=name))
    return approval, resolve(uow, name, version=approval.version)


@dataclasses.dataclass(frozen=True)
class PublicPlan:
    """An approved plan as the public sees it: the dataset's title, when it was approved (UTC) and how
    many units the resulting structure has per level (top level first)."""

    name: str
    version: int
    approved_at: datetime
    title: str
    description: str
    levels: tuple[tuple[str, int], ...]
    territorial: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "approved_at": self.approved_at.isoformat(),
            "title": self.title,
            "description": self.description,
            "levels": [{"level": lvl, "units": n} for lvl, n in self.levels],
            "territorial": list(self.territorial),
        }


def _public_plan(approval: ApprovalRecord, found: Resolved) -> PublicPlan:
    app = found.apparatus
    counts = np.bincount(app.units.level, minlength=len(app.levels))
    order = np.argsort(app.levels.rank, kind="stable").tolist()
    levels = tuple((str(app.levels.name[i]), int(counts[i])) for i in order)
    territorial = tuple(str(app.levels.name[i]) for i in order if app.levels.territorial[i])
    return PublicPlan(
        approval.plan,
        approval.version,
        approval.approved_at,
        found.info.name,
        found.info.description,
        levels,
        territorial,
    )


def public_plans(uow: UnitOfWork) -> tuple[PublicPlan, ...]:
    """Every plan whose approval stands (its newest approved version), by name. No sign-in needed."""
    return tuple(_public_plan(a, resolve(uow, a.plan, version=a.version)) for a in uow.approvals.list())


@dataclasses.dataclass(frozen=True)
class Lead:
    """A task a unit leads, and the territorial unit (``place``) whose territory the lead covers."""

    task: str
    task_name: str
    place: str
    place_name: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class PublicUnit:
    """A unit of an approved structure: ``children`` is how many units sit directly under it."""

    id: str
    name: str
    level: str
    kind: str
    children: int
    leads: tuple[Lead, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "leads": [x.to_dict() for x in self.leads]}


@dataclasses.dataclass(frozen=True)
class PublicBranch:
    """Units ``offset`` to ``offset + len(units)`` of ``total`` directly under ``parent`` (None = the top)
    of an approved plan's structure; ``path`` the parent's ancestors and itself, top first."""

    plan: PublicPlan
    parent: PublicUnit | None
    path: tuple[tuple[str, str], ...]
    units: tuple[PublicUnit, ...]
    offset: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_dict(),
            "parent": None if self.parent is None else self.parent.to_dict(),
            "path": [{"id": i, "name": n} for i, n in self.path],
            "units": [u.to_dict() for u in self.units],
            "offset": self.offset,
            "total": self.total,
        }


#: the lead duties sorted by unit (duty rows) and each unit's start in them (CSR)
LeadIndex = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _lead_index(found: Resolved) -> LeadIndex:
    """The lead duties of the structure sorted by unit (duty rows) and each unit's start in them (CSR)."""
    app = found.apparatus
    key = ("public-leads", found.name, found.version, found.created_at, id(app))

    def build() -> LeadIndex:
        rows = np.flatnonzero(app.duties.role == LEAD)
        rows = rows[np.argsort(app.duties.unit[rows], kind="stable")]
        start = np.zeros(len(app.units) + 1, dtype=np.int64)
        np.cumsum(np.bincount(app.duties.unit[rows], minlength=len(app.units)), out=start[1:])
        return rows, start

    return memo.get(key, build)


def _leads(app: Apparatus, index: LeadIndex, row: int) -> tuple[Lead, ...]:
    rows, start = index
    mine = rows[start[row] : start[row + 1]].tolist()
    scope = app.duty_scope
    out = []
    for d in mine:
        task, place = int(app.duties.task[d]), int(scope[d])
        place_id = str(app.units.id[place]) if place >= 0 else ""
        place_name = str(app.units.name[place]) if place >= 0 else ""
        out.append(Lead(str(app.tasks.id[task]), str(app.tasks.name[task]), place_id, place_name))
    return tuple(sorted(out, key=lambda x: (x.task_name, x.task, x.place_name)))


def _unit(found: Resolved, row: int) -> PublicUnit:
    app = found.apparatus
    start, _ = app.units.children
    return PublicUnit(
        str(app.units.id[row]),
        str(app.units.name[row]),
        str(app.levels.name[app.units.level[row]]),
        str(app.units.kind[row]),
        int(start[row + 1] - start[row]),
        _leads(app, _lead_index(found), row),
    )


def public_branch(
    uow: UnitOfWork, *, name: str, parent: str = "", offset: int = 0, limit: int = PAGE
) -> PublicBranch:
    """The units directly under ``parent`` (the roots when "") in approved plan ``name``'s structure,
    by name, with the tasks each leads. No sign-in needed."""
    approval, found = _approved(uow, name)
    app = found.apparatus
    if parent:
        row = app.units.index.get(parent)
        if row is None:
            raise NotFoundError(access.NO_UNIT.format(unit=parent))
        rows = app.units.children_of(row)
        path: list[tuple[str, str]] = []
        up = row
        while up >= 0 and len(path) <= len(app.units):
            path.append((str(app.units.id[up]), str(app.units.name[up])))
            up = int(app.units.parent[up])
        head: PublicUnit | None = _unit(found, row)
    else:
        rows, path, head = app.units.roots, [], None
    rows = rows[np.argsort(app.units.name[rows].astype(str), kind="stable")]
    offset = max(0, offset)
    shown = rows[offset : offset + max(1, min(limit, PAGE))]
    return PublicBranch(
        _public_plan(approval, found),
        head,
        tuple(reversed(path)),
        tuple(_unit(found, int(r)) for r in shown.tolist()),
        offset,
        len(rows),
    )


@dataclasses.dataclass(frozen=True)
class TaskLeads:
    """Who leads task ``task`` in each place of an approved structure: (unit id, unit name, place id,
    place name) rows ``offset`` to ``offset + len(leads)`` of ``total``, by place name."""

    task: str
    task_name: str
    leads: tuple[tuple[str, str, str, str], ...]
    offset: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        keys = ("unit", "unit_name", "place", "place_name")
        return {
            "task": self.task,
            "task_name": self.task_name,
            "leads": [dict(zip(keys, row, strict=True)) for row in self.leads],
            "offset": self.offset,
            "total": self.total,
        }


def public_tasks(uow: UnitOfWork, *, name: str) -> tuple[tuple[str, str, int], ...]:
    """Every task of approved plan ``name``'s structure with how many lead duties it has (id, name,
    leads), by name. No sign-in needed."""
    _, found = _approved(uow, name)
    app = found.apparatus
    leads = np.bincount(app.duties.task[app.duties.role == LEAD], minlength=len(app.tasks))
    order = np.argsort(app.tasks.name.astype(str), kind="stable").tolist()
    return tuple((str(app.tasks.id[t]), str(app.tasks.name[t]), int(leads[t])) for t in order)


def task_leads(uow: UnitOfWork, *, name: str, task: str, offset: int = 0, limit: int = PAGE) -> TaskLeads:
    """Who leads ``task`` in each place in approved plan ``name``'s structure. No sign-in needed."""
    _, found = _approved(uow, name)
    app = found.apparatus
    row = app.tasks.index.get(task)
    if row is None:
        raise NotFoundError(f"no task {task!r}")
    duties = np.flatnonzero((app.duties.task == row) & (app.duties.role == LEAD)).tolist()
    scope = app.duty_scope
    units = app.units
    rows = []
    for d in duties:
        unit, place = int(app.duties.unit[d]), int(scope[d])
        where = (str(units.id[place]), str(units.name[place])) if place >= 0 else ("", "")
        rows.append((str(units.id[unit]), str(units.name[unit]), *where))
    rows.sort(key=lambda r: (r[3], r[2], r[1]))
    offset = max(0, offset)
    shown = rows[offset : offset + max(1, min(limit, PAGE))]
    return TaskLeads(task, str(app.tasks.name[row]), tuple(shown), offset, len(rows))


def public_map(uow: UnitOfWork, *, name: str, level: str) -> maps.LevelMap:
    """The units of territorial ``level`` of approved plan ``name``'s structure as a GeoJSON map (ids,
    names, parents, population and area: no personal data). No sign-in needed."""
    approval, _ = _approved(uow, name)
    return maps.level_map(uow, name=name, version=approval.version, level=level)


def default_base(plan: str) -> str:
    """The base IRI of a plan's units when no setting gives one."""
    return f"urn:reorg:{quote(plan, safe='-._~')}:"


def org_structure(uow: UnitOfWork, *, name: str, lang: str = "") -> OrgStructure:
    """Approved plan ``name``'s structure in tree order (preorder) for the W3C ORG export; ``lang`` is the
    language its names are written in ("" = unknown: untagged labels)."""
    _, found = _approved(uow, name)
    app = found.apparatus
    index = _lead_index(found)
    parent = app.units.parent
    preorder = app.preorder.tolist()
    seen = set(preorder)
    rows = preorder + [r for r in range(len(app.units)) if r not in seen]
    units = tuple(
        OrgUnit(
            str(app.units.id[r]),
            str(app.units.name[r]),
            str(app.levels.name[app.units.level[r]]),
            str(app.units.id[parent[r]]) if parent[r] >= 0 else None,
            tuple(dict.fromkeys((x.task, x.task_name) for x in _leads(app, index, r))),
        )
        for r in rows
    )
    return OrgStructure(units, lang)


def export_org(uow: UnitOfWork, *, name: str, fmt: str, base: str = "", lang: str = "") -> str:
    """Approved plan ``name``'s structure as W3C ORG text: ``fmt`` ``jsonld`` or ``ttl``; unit IRIs are
    ``base`` (default ``urn:reorg:<plan>:``) followed by the percent-encoded unit id."""
    if fmt not in ORG_FORMATS:
        raise InputError("format", " or ".join(ORG_FORMATS), value=fmt)
    structure = org_structure(uow, name=name, lang=lang)
    base = base or default_base(name)
    return to_jsonld_text(structure, base=base) if fmt == "jsonld" else to_turtle(structure, base=base)
