"""The enacted 2025 reform as a Plan against ``vietnam-2024`` (plan ``enacted-2025``).

Operations, in order:

1. the central changes of every branch, by date (``catalogue.Catalogue.changes``): the National
   Assembly's institute and television end (15 Jan 2025); the Party's Propaganda and Mass Mobilisation
   commissions merge and the Economic Commission becomes the Policy and Strategy Commission (24 Jan);
   four Party committees under the Central Committee are created and the two bloc committees, the
   Party delegations and the External Relations Commission end (3 Feb); the NA's committees merge and
   its two boards become committees (18 Feb); the Government's reform of 1 March 2025
   (``reform_2025.csv``: ministries merged, MEMR created from CEMA, VSS / CMSC / the Mausoleum board
   dissolved into MOF / MOF / MOD, fields transferred — 30 bodies become 22); the mass organisations
   move under the Fatherland Front (1 Jul);
2. 63 -> 34 provinces (Res. 202/2025/QH15): the departments of the same type, and the Party and Front
   committees, of a group of old provinces merge (each keeping the territory it covered, so no task is
   ever led twice), then the old provinces merge into the new one, which takes the name the package
   gives it (one of the old names);
3. the five island districts without communes get their special zone (đặc khu) as a commune first, so
   that their territory and duties have somewhere to go, and the zone its Party and Front committees,
   which take the commune committees' tasks from the district's committees (Hoàng Sa, which has a
   Party cell instead [DNHS], gets none: its tasks go to the provincial committees with the district's);
4. the district Party and Front committees end, their work going to the provincial committee (for the
   district's territory, which then passes to the communes); then the district level is abolished
   (duties go down to the communes; the three tasks modelled as duplicated between province and
   district go up, where the provincial department already leads them, so the district's lead ends);
5. in each of the 34 provinces the departments follow the central merges and transfers (a modelling
   assumption: a department mirrors its ministry);
6. the 471 communes divided in 2025 are split, each part going to the new commune that received it
   (shares = the estimated areas, see ``geometry``); the default target of the package comes first and
   receives the staff. The commune's Party and Front committees are split in the same shares, one part
   under each part of the commune: their tasks pass through the commune (which leads them for its
   territory while it splits) to the committee of each part, so that no part is ever left without;
7. each of the 3,321 new communes is formed by merging what went into it, after the Party and Front
   committees of what went into it are merged (so that no task is ever led twice); a new commune
   formed from a single old commune with the same name and type keeps that unit and its committees;
   one with another name is that unit split into a single renamed part, its committees renamed.

The plan does not ``require`` contiguity: neighbours are estimated from centroids (``neighbours``),
under which some enacted merges are not connected (the dataset README gives the figure).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

import numpy as np

from reorg.datasets.vietnam import catalogue, ids
from reorg.datasets.vietnam.structure import AGENCY_KINDS, COMMITTEES, LOCAL_COMMITTEES
from reorg.datasets.vietnam.territory import Territory
from reorg.model import Apparatus
from reorg.plan.operations import (
    AbolishLevel,
    Create,
    Dissolve,
    Merge,
    Move,
    NewUnit,
    Operation,
    Plan,
    Rename,
    Split,
    SplitPart,
    Transfer,
)

__all__ = [
    "PARTY_CELL_ZONES",
    "committee_merges",
    "missing_ids",
    "operations",
    "province_ids",
    "referenced_ids",
]

#: special zones with a Party cell instead of a Party committee [DNHS]; their Front committee is not
#: formed either (the commune Front committee is set up by the commune Party standing committee [LD301])
PARTY_CELL_ZONES = ("Đặc khu Hoàng Sa",)


def _commune_tasks(cat: catalogue.Catalogue) -> dict[str, tuple[str, ...]]:
    """The tasks each commune committee level leads."""
    return {
        level: tuple(t.id for t in cat.political_tasks if t.level == level)
        for level in LOCAL_COMMITTEES["commune"]
    }


def _committee_name(level: str, place: str) -> str:
    return f"{COMMITTEES[level][2]} {ids.locative(place)}"


def committee_merges(units: tuple[str, ...], into: str, name: str) -> tuple[Merge, ...]:
    """The merges of the Party and Front committees of communes ``units`` into those of commune
    ``into`` (named after ``name``): what must precede the merge of the communes, so that no commune
    task of the committees is ever led twice. Placed under the first commune until it is merged."""
    out = []
    for level in LOCAL_COMMITTEES["commune"]:
        suffix = COMMITTEES[level][0]
        into_unit = NewUnit(ids.agency(into, suffix), _committee_name(level, name), parent_id=units[0])
        out.append(Merge(units=tuple(ids.agency(u, suffix) for u in units), into=into_unit))
    return tuple(out)


def province_ids(terr: Territory) -> list[str]:
    """The id of each of the 34 new provinces: the old id when it is one old province unchanged."""
    data = terr.data
    out = []
    for k, members in enumerate(data.new_provinces.members):
        if len(members) == 1:
            out.append(ids.province(str(data.provinces.code[members[0]])))
        else:
            out.append(ids.new_province(str(data.new_provinces.code[k])))
    return out


def _central(cat: catalogue.Catalogue) -> Iterator[Operation]:
    for c in cat.changes():
        if c.op == "create":
            unit = NewUnit(c.target, c.name, level=c.level or "ministry", parent_id=ids.ROOT, kind=c.kind)
            yield Create(unit=unit)
        elif c.op == "rename":
            yield Rename(unit=c.units[0], name=c.name, kind=c.kind)
        elif c.op == "move":
            yield Move(unit=c.units[0], parent=c.target)
        elif c.op == "merge":
            yield Merge(units=c.units, into=NewUnit(c.target, c.name, kind=c.kind))
        elif c.op == "dissolve":
            yield Dissolve(unit=c.units[0], successor=c.target)
        elif c.op == "transfer":
            yield Transfer(task=c.task, from_unit=c.units[0], to_unit=c.target)
        else:
            raise ValueError(f"reform tables: unknown op {c.op!r}")


def _provinces(terr: Territory, cat: catalogue.Catalogue, new_ids: list[str]) -> Iterator[Operation]:
    data = terr.data
    departments = [d for d in cat.departments if d.in_2024]
    for k, members in enumerate(data.new_provinces.members):
        if len(members) < 2:
            continue
        old = tuple(ids.province(str(data.provinces.code[p])) for p in members)
        name = str(data.new_provinces.name[k])
        kind = "Thành phố" if name.startswith("Thành phố") else "Tỉnh"
        where = ids.locative(name)
        for dep in departments:  # first, so that no task is ever led twice in the merged province
            units = tuple(ids.agency(p, dep.id) for p in old)
            into = NewUnit(ids.agency(new_ids[k], dep.id), f"{dep.name} {where}", parent_id=old[0])
            yield Merge(units=units, into=into)
        for level in ("party_province", "front_province"):
            suffix, _, title = COMMITTEES[level]
            units = tuple(ids.agency(p, suffix) for p in old)
            into = NewUnit(ids.agency(new_ids[k], suffix), f"{title} {where}", parent_id=old[0])
            yield Merge(units=units, into=into)
        yield Merge(units=old, into=NewUnit(new_ids[k], name, kind=kind))


def _island_zones(terr: Territory, cat: catalogue.Catalogue) -> Iterator[Operation]:
    """A special-zone commune under each island district that had no commune (its only source), and
    its Party and Front committees, which take the commune committees' tasks from the district's."""
    data, m = terr.data, terr.data.mapping
    new = data.new_communes
    tasks = _commune_tasks(cat)
    for i, d in enumerate(terr.islands.tolist()):
        did = ids.district(str(data.districts.code[d]))
        edge = int(np.flatnonzero(terr.edge_source == terr.n_communes + i)[0])
        j = int(m.new[edge])
        unit = NewUnit(
            ids.new_commune(str(new.code[j])),
            str(new.name[j]),
            level="commune",
            parent_id=did,
            kind=str(new.type[j]),
        )
        yield Create(
            unit=unit, area_km2=float(terr.new_area_km2[j]), lat=float(new.lat[j]), lon=float(new.lon[j])
        )
        if unit.name in PARTY_CELL_ZONES:
            continue
        for district_level, level in zip(
            LOCAL_COMMITTEES["district"], LOCAL_COMMITTEES["commune"], strict=True
        ):
            suffix, kind, _ = COMMITTEES[level]
            committee = ids.agency(unit.id, suffix)
            yield Create(unit=NewUnit(committee, _committee_name(level, unit.name), level, unit.id, kind))
            for task in tasks[level]:
                source = ids.agency(did, COMMITTEES[district_level][0])
                yield Transfer(task=task, from_unit=source, to_unit=committee)


def _district_committees(terr: Territory, new_ids: list[str]) -> Iterator[Operation]:
    """The district Party and Front committees end; their work goes to the provincial committee of the
    new province, for the district's territory (which the abolition then passes to the communes)."""
    data = terr.data
    new_of = {int(p): k for k, members in enumerate(data.new_provinces.members) for p in members}
    for d in range(len(data.districts.code)):
        did = ids.district(str(data.districts.code[d]))
        pid = new_ids[new_of[int(data.districts.parent[d])]]
        for level in ("party_district", "front_district"):
            suffix = COMMITTEES[level][0]
            yield Dissolve(unit=ids.agency(did, suffix), successor=ids.agency(pid, suffix))


def _abolish(cat: catalogue.Catalogue) -> AbolishLevel:
    up: list[tuple[str, Literal["up", "down"]]] = [(t.id, "up") for t in cat.local_tasks if t.level == "both"]
    return AbolishLevel(level="district", duties="down", overrides=tuple(up), people="up")


class _Mirror:
    """Which department type mirrors each central body, and which type leads each provincial local
    task, as the central changes are replayed at province level."""

    def __init__(self, cat: catalogue.Catalogue) -> None:
        self.types = {d.id: d for d in cat.departments}
        self.of_body = {b: d.id for d in cat.departments for b in d.mirrors}
        self.current = {b: d.id for d in cat.departments if d.in_2024 for b in d.mirrors}
        self.lead = {t.id: t.department for t in cat.local_tasks if t.level in ("province", "both")}
        self.field = {t.id: t.field for t in cat.local_tasks if t.level in ("province", "both")}

    def steps(self, c: catalogue.Change) -> list[tuple[str, tuple[str, ...], str, str]]:
        """The department-level steps (op, department types, target type, task) for change ``c``."""
        if c.op == "create" and c.target in self.of_body:
            self.current[c.target] = self.of_body[c.target]
            return [("create", (), self.current[c.target], "")]
        if c.op == "merge":
            merged = tuple(dict.fromkeys(self.current.pop(u) for u in c.units if u in self.current))
            target = self.of_body.get(c.target, merged[-1] if merged else "")
            if len(merged) < 2 and target in merged:
                return []
            self.current[c.target] = target
            self.lead = {t: target if d in merged else d for t, d in self.lead.items()}
            return [("merge", merged, target, "")]
        if c.op == "dissolve" and c.units[0] in self.current and c.target in self.current:
            gone = self.current.pop(c.units[0])
            self.lead = {t: self.current[c.target] if d == gone else d for t, d in self.lead.items()}
            return [("dissolve", (gone,), self.current[c.target], "")]
        if c.op == "transfer" and c.target in self.current:
            source = self.current.get(c.units[0])
            moved = [t for t, f in self.field.items() if f == c.task and self.lead[t] == source]
            for t in moved:
                self.lead[t] = self.current[c.target]
            return [("transfer", (str(source),), self.current[c.target], t) for t in moved]
        return []


def _mirror(cat: catalogue.Catalogue, new_ids: list[str], names: list[str]) -> Iterator[Operation]:
    """Step 5: the central changes replayed on the departments of every new province."""
    mirror = _Mirror(cat)
    steps = [step for c in cat.reform for step in mirror.steps(c)]
    for pid, name in zip(new_ids, names, strict=True):
        where = ids.locative(name)
        for op, types, target, task in steps:
            dep = mirror.types[target]
            tid = ids.agency(pid, target)
            if op == "create":
                yield Create(
                    unit=NewUnit(tid, f"{dep.name} {where}", "department", pid, AGENCY_KINDS["department"])
                )
            elif op == "merge":
                units = tuple(ids.agency(pid, t) for t in types)
                yield Merge(units=units, into=NewUnit(tid, f"{dep.name} {where}"))
            elif op == "dissolve":
                yield Dissolve(unit=ids.agency(pid, types[0]), successor=tid)
            else:
                yield Transfer(task=task, from_unit=ids.agency(pid, types[0]), to_unit=tid)


def _groups(keys: np.ndarray, n: int) -> list[np.ndarray]:
    """Row indexes grouped by key 0..n-1 (stable)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n + 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(n)]


def _old_id(terr: Territory, s: int) -> str:
    """The unit id of source ``s`` (a commune, or a special zone created for an island district)."""
    if s < terr.n_communes:
        return ids.commune(str(terr.data.communes.code[s]))
    edge = int(np.flatnonzero(terr.edge_source == s)[0])
    return ids.new_commune(str(terr.data.new_communes.code[terr.data.mapping.new[edge]]))


def _communes(terr: Territory, cat: catalogue.Catalogue) -> Iterator[Operation]:
    """Steps 6 and 7: split the divided communes, then form each new commune."""
    data, m = terr.data, terr.data.mapping
    new = data.new_communes
    n_new = len(new.key)
    tasks = _commune_tasks(cat)
    by_new = _groups(m.new, n_new)
    contributors = np.bincount(m.new, minlength=n_new)
    part_id = {}  # (source, new commune) -> the id of the part of the source going there
    for e in np.flatnonzero(m.divided).tolist():
        j = int(m.new[e])
        nid = ids.new_commune(str(new.code[j]))
        part_id[int(terr.edge_source[e]), j] = (
            nid if contributors[j] == 1 else f"{nid}/{_old_id(terr, int(terr.edge_source[e]))}"
        )
    divided = np.flatnonzero(m.divided)
    for edges in _groups(terr.edge_source[divided], len(terr.area_km2)):
        if len(edges) == 0:
            continue
        e = divided[edges]
        e = e[np.lexsort((new.code[m.new[e]], ~m.default[e]))]
        s = int(terr.edge_source[e[0]])
        parts = tuple(
            SplitPart(part_id[s, int(j)], float(share), name=str(new.name[j]))
            for j, share in zip(m.new[e].tolist(), terr.share[e].tolist(), strict=True)
        )
        yield from _split_divided(_old_id(terr, s), parts, tasks)
    for j in range(n_new):
        yield from _form(terr, j, by_new[j], part_id)


def _split_divided(
    unit: str, parts: tuple[SplitPart, ...], tasks: dict[str, tuple[str, ...]]
) -> Iterator[Operation]:
    """A divided commune and its committees split into ``parts``: each committee's tasks go to the
    commune (which leads them for its own territory, so every part has them after the split), the
    committee splits in the same shares, one part under each part of the commune, and each part of the
    commune hands the tasks to its part of the committee."""
    children: list[list[str]] = [[] for _ in parts]
    for level in LOCAL_COMMITTEES["commune"]:
        suffix = COMMITTEES[level][0]
        committee = ids.agency(unit, suffix)
        for task in tasks[level]:
            yield Transfer(task=task, from_unit=committee, to_unit=unit)
        pieces = tuple(
            SplitPart(ids.agency(p.id, suffix), p.share, name=_committee_name(level, p.name)) for p in parts
        )
        yield Split(unit=committee, parts=pieces)
        for kids, piece in zip(children, pieces, strict=True):
            kids.append(piece.id)
    yield Split(
        unit=unit,
        parts=tuple(dataclasses.replace(p, children=tuple(k)) for p, k in zip(parts, children, strict=True)),
    )
    for p in parts:
        for level in LOCAL_COMMITTEES["commune"]:
            committee = ids.agency(p.id, COMMITTEES[level][0])
            for task in tasks[level]:
                yield Transfer(task=task, from_unit=p.id, to_unit=committee)


def _form(
    terr: Territory, j: int, edges: np.ndarray, part_id: dict[tuple[int, int], str]
) -> Iterator[Operation]:
    """The operations forming new commune ``j`` from the units that went into it (none if it is one old
    commune unchanged, or a single part already named after it), their committees first."""
    m, new, com = terr.data.mapping, terr.data.new_communes, terr.data.communes
    nid, name, kind = ids.new_commune(str(new.code[j])), str(new.name[j]), str(new.type[j])
    units = tuple(
        part_id[int(terr.edge_source[e]), j] if m.divided[e] else _old_id(terr, int(terr.edge_source[e]))
        for e in edges.tolist()
    )
    if len(units) >= 2:
        yield from committee_merges(units, nid, name)
        yield Merge(units=units, into=NewUnit(nid, name, kind=kind))
        return
    s = int(terr.edge_source[edges[0]])
    if s >= terr.n_communes:
        return  # a special zone created for an island district
    retyped = str(com.type[s]) != kind
    if m.divided[edges[0]]:  # a part created under its new id, with the old commune's kind
        if retyped:
            yield Rename(unit=units[0], kind=kind)
        return
    if str(com.name[s]) != name or retyped:
        yield Split(unit=units[0], parts=(SplitPart(nid, 1.0, name=name),))
        if retyped:
            yield Rename(unit=nid, kind=kind)
        for level in LOCAL_COMMITTEES["commune"]:  # they follow the commune under its new name
            yield Rename(unit=ids.agency(units[0], COMMITTEES[level][0]), name=_committee_name(level, name))


def operations(terr: Territory, cat: catalogue.Catalogue) -> tuple[Operation, ...]:
    """Every operation of the enacted plan, in order (see the module docstring)."""
    new_ids = province_ids(terr)
    names = terr.data.new_provinces.name.tolist()
    return (
        *_central(cat),
        *_provinces(terr, cat, new_ids),
        *_island_zones(terr, cat),
        *_district_committees(terr, new_ids),
        _abolish(cat),
        *_mirror(cat, new_ids, [str(n) for n in names]),
        *_communes(terr, cat),
    )


def referenced_ids(plan: Plan) -> set[str]:
    """The unit ids a plan expects to find in its baseline (named, and not created by the plan)."""
    named: set[str] = set()
    created: set[str] = set()
    for op in plan.operations:
        if isinstance(op, Merge):
            named.update(op.units)
            created.add(op.into.id)
        elif isinstance(op, Split):
            named.add(op.unit)
            created.update(p.id for p in op.parts)
        elif isinstance(op, Dissolve):
            named.update(x for x in (op.unit, op.successor) if x)
        elif isinstance(op, Transfer):
            named.update(x for x in (op.from_unit, op.to_unit) if x)
        elif isinstance(op, Create):
            named.add(op.unit.parent_id)
            created.add(op.unit.id)
        elif isinstance(op, Rename):
            named.add(op.unit)
        elif isinstance(op, Move):
            named.update((op.unit, op.parent))
    return named - created


def missing_ids(plan: Plan, app: Apparatus) -> list[str]:
    """Ids the plan needs that ``app`` lacks (sorted)."""
    return sorted(referenced_ids(plan) - set(app.units.index))
