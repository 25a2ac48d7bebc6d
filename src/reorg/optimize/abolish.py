"""``propose_abolish(apparatus, level, spec) -> (Plan, Explanation)``: abolish a level, as the district
level was abolished in 2025, so that no task is left without a lead in any place.

The plan is one ``abolish_level`` operation (``reorg.plan.abolish``: the level's territorial units go
with the agencies inside them, their children move up to the nearest surviving ancestor), preceded by
staff moves and followed, when needed, by lead transfers:

0. **Nothing left uncovered.** A unit of a territorial level with no territorial unit below (an island
   district without communes) first gets one unit of the next territorial level below, with its
   territory and name, so its territory and tasks have somewhere to go.

1. **Where each task goes.** For every task a unit that goes leads (the level's units and, for a
   territorial level, the agencies inside them), count the places (units of the level) where it is
   also *led above*: a lead duty of the same task whose territory strictly contains the place. The
   task goes ``up`` when it is led above in at least ``up_share`` of its places (the duplication the
   abolition ends: the lead above stays, the one below disappears) and nowhere *led below* (by a unit
   that stays, for a part of the territory above a place: communes leading it in a district beside);
   a task led below goes ``down`` (a lead going up would cover the whole territory above and
   duplicate them); otherwise it goes in the ``prefer``red direction (default ``down``: each
   territorial unit right below leads it for its own territory, as the communes took over district
   tasks); a level with no territorial unit below passes everything up. Supports follow the same
   direction per task.
2. **Agencies merged upward.** Each agency that goes hands its staff to the agency of the surviving
   territorial unit above it whose work is most similar (``reorg.plan.similarity``: the share of the
   agency's tasks the other holds, or the related-field similarity, whichever is larger), by a
   ``move_people`` before the abolition; with no similar agency above, its staff go up with the
   territory (or are released, ``people = "release"``).
3. **No lead left out.** The plan is applied; if the ``one_lead`` or ``coverage`` violations grew, the
   lead optimizer (``reorg.optimize.duties``) is run on the result and its transfers are appended.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from reorg.errors import InputError
from reorg.model import LEAD, Apparatus
from reorg.optimize import duties
from reorg.plan.apply import apply
from reorg.plan.invariants import check
from reorg.plan.operations import AbolishLevel, Create, MovePeople, NewUnit, Operation, Plan
from reorg.plan.similarity import field_profiles, field_relatedness
from reorg.progress import Progress, report

__all__ = ["AbolishSpec", "AgencyReport", "Explanation", "TaskReport", "propose_abolish"]

LEAD_INVARIANTS = ("one_lead", "coverage")


@dataclasses.dataclass(frozen=True)
class AbolishSpec:
    """``prefer``: where a task not led above goes; ``up_share``: the share of its places in which a
    task must be led above to go up; ``people``: staff with no similar agency above go ``up`` with the
    territory or are ``release``d; ``fix_leads``: append the lead optimizer's transfers when needed."""

    prefer: Literal["up", "down"] = "down"
    up_share: float = 0.5
    people: Literal["up", "release"] = "up"
    fix_leads: bool = True

    def __post_init__(self) -> None:
        if self.prefer not in ("up", "down"):
            raise ValueError('prefer must be "up" or "down"')
        if self.people not in ("up", "release"):
            raise ValueError('people must be "up" or "release"')
        if isinstance(self.up_share, bool) or not isinstance(self.up_share, int | float):
            raise ValueError("up_share must be a number in (0, 1]")
        if not 0 < self.up_share <= 1:
            raise ValueError("up_share must be a number in (0, 1]")


@dataclasses.dataclass(frozen=True)
class TaskReport:
    """A task the level led: ``direction`` up or down, ``reason`` ("led above", "led below",
    "preferred", "nothing below"), the ``places`` of the level leading it and those where it is
    ``led_above``."""

    task: str
    direction: str
    reason: str
    places: int
    led_above: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class AgencyReport:
    """An agency that goes: its staff go to ``successor`` ("" : up with the territory or released),
    chosen at ``similarity``; ``people`` moved."""

    unit: str
    successor: str
    similarity: float
    people: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The tasks and where they went, the agencies and where their staff went, the violations of
    the structural invariants before and after (per invariant), the lead transfers appended and the
    totals (``units_gone``, ``units_created``, ``tasks_up``, ``tasks_down``, ``people_moved``);
    seconds taken."""

    level: str
    tasks: tuple[TaskReport, ...]
    agencies: tuple[AgencyReport, ...]
    violations_before: Mapping[str, int]
    violations_after: Mapping[str, int]
    lead_transfers: int
    totals: Mapping[str, float]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "totals": dict(self.totals),
            "violations_before": dict(self.violations_before),
            "violations_after": dict(self.violations_after),
            "lead_transfers": self.lead_transfers,
            "seconds": self.seconds,
            "tasks": [t.to_dict() for t in self.tasks],
            "agencies": [a.to_dict() for a in self.agencies],
        }


def _gone(app: Apparatus, level: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """The units that go (the level's, and for a territorial level the agencies inside them), each
    unit's place (its member of the level, -1 for those that stay), and whether the level is
    territorial."""
    members = np.flatnonzero(app.units.level == level)
    territorial = bool(app.levels.territorial[level])
    place = np.full(len(app.units), -1, np.int64)
    place[members] = members
    if territorial:
        jur = app.jurisdiction
        agencies = np.flatnonzero(~app.is_territorial & (jur >= 0))
        inside = agencies[np.isin(jur[agencies], members)]
        place[inside] = jur[inside]
    return members, place, territorial


def _terr_parent(app: Apparatus) -> np.ndarray:
    """Per unit: the territorial unit strictly above it (-1 for the root)."""
    parent = app.units.parent
    out = np.full(len(app.units), -1, np.int64)
    has = parent >= 0
    out[has] = app.jurisdiction[parent[has]]
    return out


def _below(app: Apparatus) -> np.ndarray:
    """Per unit: has it a territorial unit right below (through agencies too)?"""
    has_below = np.zeros(len(app.units), bool)
    terr_kids = np.flatnonzero(app.is_territorial & (app.units.parent >= 0))
    has_below[app.jurisdiction[app.units.parent[terr_kids]]] = True
    return has_below


def _number(value: float) -> float | None:
    """A float column's value, None when absent (NaN)."""
    number = float(value)
    return number if number == number else None


def _heirs(app: Apparatus, members: np.ndarray, level: int) -> list[Create]:
    """For each territorial member with no territorial unit below, a unit of the next territorial
    level below that takes its territory (as each island district without communes got its special
    zone in 2025); none when no territorial level ranks below."""
    lv = app.levels
    lower = [k for k in range(len(lv.name)) if lv.territorial[k] and lv.rank[k] > lv.rank[level]]
    if not lower:
        return []
    below = str(lv.name[min(lower, key=lambda k: int(lv.rank[k]))])
    has_below = _below(app)
    u = app.units
    out = []
    for m in members[~has_below[members]].tolist():
        area, pop, lat, lon = (_number(c[m]) for c in (u.area_km2, u.population, u.lat, u.lon))
        out.append(
            Create(
                unit=NewUnit(f"{u.id[m]}.{below}", str(u.name[m]), level=below, parent_id=str(u.id[m])),
                area_km2=area,
                population=pop,
                lat=lat,
                lon=lon,
            )
        )
    return out


def _directions(
    app: Apparatus, place: np.ndarray, territorial: bool, spec: AbolishSpec, heirs: np.ndarray
) -> tuple[dict[int, str], list[TaskReport]]:
    """Per task led by a unit that goes: its direction (see the module, step 1); ``heirs`` marks the
    members that get a unit below first."""
    d = app.duties
    lead = d.role == LEAD
    going = lead & (place[d.unit] >= 0)
    staying = lead & (place[d.unit] < 0)
    scopes: dict[int, set[int]] = {}
    for t, s in zip(d.task[staying].tolist(), app.duty_scope[staying].tolist(), strict=True):
        scopes.setdefault(t, set()).add(s)
    up_of = _terr_parent(app)
    has_below = _below(app) | heirs
    tin, tout = app.euler
    inner = {t: np.sort(np.asarray([tin[x] for x in ss], np.int64)) for t, ss in scopes.items()}
    places: dict[int, set[int]] = {}
    above: Counter[int] = Counter()
    inside: Counter[int] = Counter()
    below: Counter[int] = Counter()
    for t, m in sorted(set(zip(d.task[going].tolist(), place[d.unit[going]].tolist(), strict=True))):
        places.setdefault(t, set()).add(m)
        s = up_of[m] if territorial else int(app.jurisdiction[m])
        led = scopes.get(t, set())
        while s >= 0:
            if s in led:
                above[t] += 1
                break
            s = up_of[s]
        r = up_of[m] if territorial else -1  # a lead going up covers all of r's territory
        if r >= 0 and t in inner:
            k = int(np.searchsorted(inner[t], tin[r], side="right"))
            inside[t] += int(k < len(inner[t]) and inner[t][k] < tout[r])
        below[t] += int(territorial and has_below[m])
    ways: dict[int, str] = {}
    reports = []
    for t, ms in sorted(places.items()):
        if above[t] >= spec.up_share * len(ms) and not inside[t]:
            way, why = "up", "led above"
        elif inside[t]:
            way, why = "down", "led below"
        elif below[t] == 0:
            way, why = "up", "nothing below"
        else:
            way, why = spec.prefer, "preferred"
        ways[t] = way
        reports.append(TaskReport(str(app.tasks.id[t]), way, why, len(ms), above[t]))
    return ways, reports


def _successors(app: Apparatus, place: np.ndarray, territorial: bool) -> list[AgencyReport]:
    """Per agency that goes (with staff): the most similar agency of the territorial unit above."""
    goers = np.flatnonzero((place >= 0) & (app.headcount > 0) & ~app.is_territorial)
    if not len(goers):
        return []
    up_of = _terr_parent(app)
    profiles, n_fields = field_profiles(app)
    related = field_relatedness(app) if n_fields else None
    m = app.duty_matrix
    start, order = app.units.children
    out = []
    for a in goers.tolist():
        r = int(up_of[place[a]]) if territorial else int(app.jurisdiction[a])
        while r >= 0 and place[r] >= 0:
            r = int(up_of[r])
        kids = order[start[r] : start[r + 1]] if r >= 0 else np.zeros(0, np.int32)
        cands = np.asarray([k for k in kids.tolist() if not app.is_territorial[k] and place[k] < 0], np.int64)
        best, score = -1, 0.0
        if len(cands):
            own = m[[a]]
            size = max(own.nnz, 1)
            shared = np.asarray((m[cands] @ own.T).toarray()).ravel() / size
            field = np.zeros(len(cands))
            if related is not None:
                field = np.asarray((profiles[cands] @ related @ profiles[[a]].T).toarray()).ravel()
            sim = np.maximum(shared, field)
            k = int(np.argmax(sim))
            if sim[k] > 0:
                best, score = int(cands[k]), float(sim[k])
        out.append(
            AgencyReport(
                str(app.units.id[a]),
                str(app.units.id[best]) if best >= 0 else "",
                score,
                int(app.headcount[a]),
            )
        )
    return out


def _counts(app: Apparatus) -> dict[str, int]:
    return dict(Counter(v.invariant for v in check(app, ["tree", *LEAD_INVARIANTS, "territory_partition"])))


def propose_abolish(
    apparatus: Apparatus, level: str, spec: AbolishSpec | None = None, *, progress: Progress | None = None
) -> tuple[Plan, Explanation]:
    """Abolish ``level`` (see the module); InputError for an unknown level or the root's level."""
    spec = spec or AbolishSpec()
    start = time.perf_counter()
    names = [str(n) for n in apparatus.levels.name]
    if level not in names:
        raise InputError("level", f"one of {', '.join(names)}", value=level)
    index = names.index(level)
    if (apparatus.units.level[apparatus.units.roots] == index).any():
        raise InputError("level", "a level below the root", value=level)
    report(progress, 0, 4, "directions")
    members, place, territorial = _gone(apparatus, index)
    creates = _heirs(apparatus, members, index) if territorial else []
    heirs = np.zeros(len(apparatus.units), bool)
    heirs[[apparatus.units.index[c.unit.parent_id] for c in creates]] = True
    ways, tasks = _directions(apparatus, place, territorial, spec, heirs)
    report(progress, 1, 4, "agencies")
    agencies = _successors(apparatus, place, territorial)
    ops: list[Operation] = [*creates]
    ops += [MovePeople(to_unit=a.successor, from_unit=a.unit) for a in agencies if a.successor]
    tid = apparatus.tasks.id
    default = spec.prefer if territorial else "up"
    overrides = tuple((str(tid[t]), w) for t, w in sorted(ways.items()) if w != default)
    ops.append(AbolishLevel(level=level, duties=default, overrides=overrides, people=spec.people))  # type: ignore[arg-type]
    plan = Plan(baseline=apparatus.info.name, operations=tuple(ops), name=f"abolish-{level}", require=())
    report(progress, 2, 4, "checking")
    before = _counts(apparatus)
    after_app = apply(apparatus, plan)
    after = _counts(after_app)
    fixes = 0
    if spec.fix_leads and any(after.get(k, 0) > before.get(k, 0) for k in LEAD_INVARIANTS):
        report(progress, 3, 4, "leads")
        extra, _ = duties.propose(after_app)
        fixes = len(extra.operations)
        plan = dataclasses.replace(plan, operations=plan.operations + extra.operations)
        after = _counts(apply(after_app, dataclasses.replace(extra, baseline=plan.baseline)))
    report(progress, 4, 4, "checking")
    plan = dataclasses.replace(
        plan,
        description=(
            f"Abolish level {level}: {len(members)} units and the agencies inside them go; "
            f"{sum(t.direction == 'up' for t in tasks)} tasks go up, "
            f"{sum(t.direction == 'down' for t in tasks)} down"
        ),
    )
    totals: dict[str, float] = {
        "units_gone": int((place >= 0).sum()),
        "units_created": len(creates),
        "tasks_up": sum(t.direction == "up" for t in tasks),
        "tasks_down": sum(t.direction == "down" for t in tasks),
        "people_moved": sum(a.people for a in agencies if a.successor),
    }
    return plan, Explanation(
        level, tuple(tasks), tuple(agencies), before, after, fixes, totals, time.perf_counter() - start
    )
