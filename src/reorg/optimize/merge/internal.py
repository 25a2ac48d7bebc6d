"""The internal model after a merger: for each unit a plan merged, its departments consolidated where
their tasks overlap — the merge optimizer (``propose``) one level down, restricted to them — with the
merged unit's headcount against its quota and its leadership posts before and after.

The words (docs/functions.md, "The internal model after a merger"):

- a **merged unit** is a unit of the merger's result into which two or more units of its own level in
  the baseline went (the lineage ``apply`` records, read by ``reorg.plan.lineage.successors``: by
  ``merge``, or by ``dissolve`` into a unit of the same level); those units are its *predecessors*;
- its **departments** are its child units at levels without territory (agencies); territorial
  children (districts, communes) belong to the territorial consolidation, not to the internal model;
- its **internal apparatus** is the unit itself with its departments and the agencies below them.

The departments of all merged units, level by level, are the only units ``propose`` considers
(``among``): pairs are formed within one merged unit (their common parent), with the same similarity,
the same spec (least similarity, largest merged unit, locked and kept-apart pairs, untouchable units,
``target`` = departments per merged unit) and the same solvers. Departments of different
predecessors now sit in one place, so two that did the same work are merged, and one whose tasks
are all held beside it is dissolved with its leads handed over, as ``propose`` does for any place.

The plan is the merger plan followed by the department operations (``Explanation.first`` is where
they start): stored, compared and applied like any plan against the merger's baseline, and its tail
alone applies on top of the merger's result.

Headcount and quota: the people of the internal apparatus against the sum of its units' quotas
(units without a quota add nothing; None when none has one), judged by the quota rule written once
(``reorg.plan.rules.QuotaFacts.over``: over when people > quota).

Leadership posts: a post is held by a person whose position is one of the leader titles (by default
``reorg.people.candidates.LEADER_POSITIONS``, the list ``reorg people place`` uses). *Before*: the
people holding one in the predecessors' internal apparatuses. *After*: the leader posts placement
derives for the result (``reorg.people.candidates.derive_quotas``): each unit keeps one leadership
team — for each leader title, as many posts as the predecessor that had most of that title (a unit
the plans left alone keeps its own), cut to the unit's quota when that is smaller.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.merge.explain import GroupReport, InternalExplanation, MergedUnit, OperationReport
from reorg.optimize.merge.propose import propose
from reorg.optimize.merge.spec import MergeSpec
from reorg.people.candidates import LEADER_POSITIONS, derive_quotas
from reorg.plan.apply import apply
from reorg.plan.lineage import successors
from reorg.plan.operations import Operation, Plan
from reorg.plan.rules import QuotaFacts
from reorg.progress import Progress, report

__all__ = ["InternalExplanation", "MergedUnit", "merged_units", "propose_internal"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def merged_units(baseline: Apparatus, after: Apparatus, *, level: str | None = None) -> dict[str, list[str]]:
    """The merged units of ``after`` (made from ``baseline`` by a plan), each with its predecessors, in
    the order of ``after``'s rows; with ``level``, only those of that level (InputError: unknown)."""
    names = [str(n) for n in after.levels.name]
    if level is not None and level not in names:
        raise InputError("--level", f"one of {', '.join(names)}", value=level)
    base_level = baseline.levels.name[baseline.units.level]
    ids = baseline.units.id.tolist()
    went = successors(after, ids)
    preds: dict[str, list[str]] = {}
    for uid, lv in zip(ids, base_level.tolist(), strict=True):
        target = went.get(uid)
        if target is None:
            continue
        row = after.units.index[target]
        if names[int(after.units.level[row])] == str(lv):
            preds.setdefault(target, []).append(uid)
    order = after.units.index
    kept = {u: p for u, p in preds.items() if len(p) >= 2}
    if level is not None:
        kept = {u: p for u, p in kept.items() if names[int(after.units.level[order[u]])] == level}
    return {u: kept[u] for u in sorted(kept, key=order.__getitem__)}


class _Tree:
    """The unit tree of one apparatus, for internal apparatuses: child rows grouped by parent."""

    def __init__(self, app: Apparatus) -> None:
        parent = app.units.parent
        # departments: units of levels without territory that their parent directs (not attached)
        self.agency = ~(app.levels.territorial[app.units.level] | app.is_attached)
        self.order = np.argsort(parent, kind="stable").astype(np.int64)
        self.start = np.searchsorted(parent[self.order], np.arange(len(app.units) + 1)).astype(np.int64)

    def below(self, rows: IntArray) -> IntArray:
        """The agency children of ``rows``."""
        if not len(rows):
            return np.zeros(0, np.int64)
        kids: IntArray = np.concatenate(
            [self.order[self.start[r] : self.start[r + 1]] for r in rows.tolist()]
        )
        out: IntArray = kids[self.agency[kids]].astype(np.int64)
        return out

    def internal(self, roots: Sequence[int]) -> tuple[IntArray, IntArray]:
        """The internal apparatus of the units ``roots`` together: (every row, the departments: the
        agency children of the roots). Below a department, its agency descendants belong to it too."""
        top = np.asarray(roots, np.int64)
        departments = self.below(top)
        rows, frontier = [top, departments], departments
        while len(frontier):
            frontier = self.below(frontier)
            rows.append(frontier)
        return np.concatenate(rows), departments


def _quota(app: Apparatus, rows: IntArray) -> float | None:
    quotas = app.units.quota[rows]
    known = np.isfinite(quotas)
    return float(quotas[known].sum()) if known.any() else None


def _leaders_held(app: Apparatus, leaders: Sequence[str]) -> IntArray:
    """People per unit whose position is a leader title."""
    held = np.isin(app.people.position.astype(str), list(leaders))
    return np.bincount(app.people.unit[held], minlength=len(app.units)).astype(np.int64)


def _leader_posts(baseline: Apparatus, after: Apparatus, rows: IntArray, leaders: Sequence[str]) -> IntArray:
    """Leader posts per unit of ``after`` (0 outside ``rows``, distinct rows) by placement's rule
    (``derive_quotas``, see the module), from the baseline units its people came from."""
    full = np.zeros(len(after.units), np.int64)
    full[rows] = _posts(baseline, after, rows, leaders)
    return full


def _posts(baseline: Apparatus, after: Apparatus, rows: IntArray, leaders: Sequence[str]) -> IntArray:
    place = np.full(len(after.units), -1, np.int64)
    place[rows] = np.arange(len(rows))
    code = place[after.people.unit]
    mine = np.flatnonzero(code >= 0)
    out = np.zeros(len(rows), np.int64)
    if not len(mine):
        return out
    index = baseline.people.index
    back = np.fromiter((index.get(p, -1) for p in after.people.id[mine].tolist()), np.int64, len(mine))
    came_from = np.where(
        back >= 0,
        baseline.units.id[baseline.people.unit[np.maximum(back, 0)]],
        after.units.id[after.people.unit[mine]],
    ).astype(object)
    names, current = np.unique(after.people.position[mine].astype(str), return_inverse=True)
    leader = np.isin(names, list(leaders))
    units = after.units.id[rows].tolist()
    slot_unit, slot_position, quota = derive_quotas(
        code[mine], current.astype(np.int64), came_from, leader, after.units.quota, units, after
    )
    lead = leader[slot_position]
    np.add.at(out, slot_unit[lead], quota[lead])
    return out


def _spec_for(spec: MergeSpec, rows: set[str]) -> MergeSpec:
    """The spec for one department level: the locked and kept-apart pairs of its departments."""
    locked = tuple(p for p in spec.locked_together if p[0] in rows and p[1] in rows)
    apart = tuple(p for p in spec.kept_apart if p[0] in rows and p[1] in rows)
    return dataclasses.replace(spec, locked_together=locked, kept_apart=apart)


def _check_pairs(spec: MergeSpec, mid: Apparatus, department: BoolArray) -> None:
    """Locked pairs must be two departments of one merged unit at one level (InputError)."""
    idx = mid.units.index
    for u, v in spec.locked_together:
        ru, rv = idx.get(u, -1), idx.get(v, -1)
        ok = (
            ru >= 0
            and rv >= 0
            and department[ru]
            and department[rv]
            and mid.units.parent[ru] == mid.units.parent[rv]
            and mid.units.level[ru] == mid.units.level[rv]
        )
        if not ok:
            raise InputError(
                "locked_together", "two departments of one merged unit, of one level", value=f"{u}, {v}"
            )
    for uid in (x for pair in spec.kept_apart for x in pair):
        if uid not in idx:
            raise InputError("kept_apart", "a unit id of the merger's result", value=uid)


def propose_internal(
    baseline: Apparatus,
    merger: Plan,
    spec: MergeSpec | None = None,
    *,
    after: Apparatus | None = None,
    level: str | None = None,
    leaders: Sequence[str] = LEADER_POSITIONS,
    progress: Progress | None = None,
) -> tuple[Plan, InternalExplanation]:
    """The internal model of the units ``merger`` merges (of ``level`` only, when given) under ``spec``
    (see the module). ``after`` is ``apply(baseline, merger)`` when the caller has it. A plan that
    merges no unit (of ``level``) is an InputError naming it."""
    spec = spec or MergeSpec()
    start = time.perf_counter()
    mid = after if after is not None else apply(baseline, merger, progress=progress)
    report(progress, 0, None, "departments")
    merged = merged_units(baseline, mid, level=level)
    label = merger.name or merger.baseline
    if not merged:
        of = f" of level {level}" if level else ""
        raise InputError(
            f"plan {label}",
            f"a plan that merges units{of} (a merge, or a dissolve into a unit of the same level)",
        )
    roots = [mid.units.index[u] for u in merged]
    department = np.zeros(len(mid.units), bool)
    _, kids = _Tree(mid).internal(roots)
    department[kids] = True
    _check_pairs(spec, mid, department)
    order = np.unique(mid.units.level[department])
    levels = [str(mid.levels.name[lv]) for lv in order[np.argsort(mid.levels.rank[order], kind="stable")]]
    ops: list[Operation] = []
    reports: list[OperationReport] = []
    groups: list[GroupReport] = []
    first = len(merger.operations)
    for done, name in enumerate(levels):
        report(progress, done, len(levels), "departments")
        at_level = department & (mid.levels.name[mid.units.level] == name)
        ids = set(mid.units.id[at_level].tolist())
        drawn, why = propose(mid, name, _spec_for(spec, ids), among=at_level)
        shift = first + len(ops)
        reports += [
            dataclasses.replace(r, operations=tuple(shift + i for i in r.operations)) for r in why.operations
        ]
        ops += drawn.operations
        groups += why.groups
    report(progress, len(levels), len(levels), "leaders")
    tail = Plan(baseline=merger.baseline, operations=tuple(ops), name="internal", require=())
    final = apply(mid, tail) if ops else mid
    units = _explain(baseline, mid, final, merged, reports, leaders)
    plan = Plan(
        baseline=merger.baseline,
        operations=(*merger.operations, *ops),
        name=f"{merger.name}-internal" if merger.name else "internal",
        description=(
            f"{merger.name or 'The merger'} followed by the internal model of its {len(merged)} "
            f"merged units: "
            f"{sum(r.kind == 'merge' for r in reports)} department mergers, "
            f"{sum(r.kind != 'merge' for r in reports)} dissolutions (from operation {first + 1})"
        )[:500],
        require=merger.require,
    )
    shown = tuple(u for u in units if u.departments_before or u.departments_merged)
    totals: dict[str, float] = {
        "merged_units": len(units),
        "with_departments": len(shown),
        "mergers": sum(r.kind == "merge" for r in reports),
        "dissolutions": sum(r.kind != "merge" for r in reports),
    }
    for key in (
        "departments_before",
        "departments_merged",
        "departments_after",
        "headcount_before",
        "headcount_after",
        "leaders_before",
        "leaders_merged",
        "leaders_after",
    ):
        totals[key] = sum(getattr(u, key) for u in shown)
    by_level: dict[str, int] = {}
    for u in units:
        by_level[u.level] = by_level.get(u.level, 0) + 1
    explanation = InternalExplanation(
        label, shown, tuple(levels), tuple(groups), totals, first, time.perf_counter() - start, by_level
    )
    return plan, explanation


def _explain(
    baseline: Apparatus,
    mid: Apparatus,
    final: Apparatus,
    merged: Mapping[str, list[str]],
    reports: list[OperationReport],
    leaders: Sequence[str],
) -> list[MergedUnit]:
    """One MergedUnit per merged unit (see the module for the rules)."""
    base_leaders = _leaders_held(baseline, leaders)
    spans: dict[str, dict[str, tuple[IntArray, IntArray]]] = {"base": {}, "mid": {}, "final": {}}
    trees = {"base": _Tree(baseline), "mid": _Tree(mid), "final": _Tree(final)}
    # a merged unit that is a department of another may itself go in the internal model: follow it
    now = successors(final, list(merged))
    for uid, preds in merged.items():
        spans["base"][uid] = trees["base"].internal([baseline.units.index[p] for p in preds])
        spans["mid"][uid] = trees["mid"].internal([mid.units.index[uid]])
        spans["final"][uid] = trees["final"].internal([final.units.index[now[uid]]])
    posts: dict[str, dict[str, int]] = {}
    for key, app in (("mid", mid), ("final", final)):
        rows = np.unique(np.concatenate([spans[key][u][0] for u in merged]))
        per_unit = _leader_posts(baseline, app, rows, leaders)
        posts[key] = {u: int(per_unit[spans[key][u][0]].sum()) for u in merged}
    by_place: dict[str, list[OperationReport]] = {}
    for r in reports:
        by_place.setdefault(r.place, []).append(r)
    out = []
    for uid, preds in merged.items():
        b_rows, b_depts = spans["base"][uid]
        f_rows, f_depts = spans["final"][uid]
        row = mid.units.index[uid]
        people = int(final.headcount[f_rows].sum())
        quota = _quota(final, f_rows)
        facts = QuotaFacts(np.array([people], np.int64), np.array([np.nan if quota is None else quota]))
        out.append(
            MergedUnit(
                unit=uid,
                name=str(mid.units.name[row]),
                level=str(mid.levels.name[mid.units.level[row]]),
                predecessors=tuple(preds),
                departments_before=len(b_depts),
                departments_merged=len(spans["mid"][uid][1]),
                departments_after=len(f_depts),
                operations=tuple(by_place.get(uid, ())),
                headcount_before=int(baseline.headcount[b_rows].sum()),
                headcount_after=people,
                quota_before=_quota(baseline, b_rows),
                quota_after=quota,
                over_quota=bool(len(facts.over())),
                leaders_before=int(base_leaders[b_rows].sum()),
                leaders_merged=posts["mid"][uid],
                leaders_after=posts["final"][uid],
            )
        )
    return out
