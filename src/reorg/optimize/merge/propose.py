"""``propose(apparatus, level, spec) -> (Plan, Explanation)``: merge and dissolve units of one level.

Per place (the units of the level with one parent: the ministries, one province's departments), the
pairs that may be merged and their similarity come from ``instance``; ``solve`` partitions the place's
units into merged units (CP-SAT up to ``exact_max_units`` units, else greedy agglomeration). Each merged
unit is written as operations:

- its *absorber* is the member holding most tasks (then most people, then the first row); it keeps its
  id and name;
- a member whose tasks the absorber all holds is ``dissolve``d into it (successor: the absorber), when
  ``dissolve_contained``;
- the absorber and the other members are ``merge``d into the absorber's id.

A unit left alone whose tasks are all held by other units of its place is dissolved as well
(``dissolve_contained``; smallest portfolio first, never into a unit already dissolved nor an
untouchable one, and never a unit that received one): the leads it
holds that another unit beside it also leads are dropped (a transfer from the unit), those another unit
supports are handed to that unit (a transfer of the lead), and the unit is dissolved into the unit
beside it holding most of its tasks (its staff and remaining duties go there). These come first in the
plan, then the merged units place by place. A dissolution that would take the receiver past
``max_headcount`` is not proposed.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.optimize.merge.explain import Explanation, GroupReport, OperationReport
from reorg.optimize.merge.instance import Instance, build_instance
from reorg.optimize.merge.solve import Group, Partition, solve_exact, solve_greedy
from reorg.optimize.merge.spec import MergeSpec
from reorg.plan.operations import Dissolve, Merge, NewUnit, Operation, Plan, Transfer
from reorg.progress import Progress, report

__all__ = ["propose"]

IntArray = npt.NDArray[np.int64]

#: the most units a place may have for method = "exact"
EXACT_LIMIT = 200


def propose(
    apparatus: Apparatus,
    level: str,
    spec: MergeSpec | None = None,
    *,
    among: npt.NDArray[np.bool_] | None = None,
    progress: Progress | None = None,
) -> tuple[Plan, Explanation]:
    """Merged and dissolved units of ``level`` under ``spec`` (see the module); with ``among`` (a mask
    over units) only those units of the level are considered, as candidates and as receivers."""
    spec = spec or MergeSpec()
    start = time.perf_counter()
    report(progress, 0, None, "similarity")
    inst = build_instance(apparatus, level, spec, among=among)
    sets = [
        frozenset(inst.matrix.indices[inst.matrix.indptr[i] : inst.matrix.indptr[i + 1]].tolist())
        for i in range(len(inst.rows))
    ]
    leads = [
        frozenset(apparatus.lead_matrix[[int(r)]].indices.tolist()) if inst.leads[i] else frozenset()
        for i, r in enumerate(inst.rows.tolist())
    ]
    label = np.arange(len(inst.rows), dtype=np.int64)
    groups: list[GroupReport] = []
    edge_group = inst.group[inst.a]
    active = np.unique(edge_group[inst.allowed])
    for done, g in enumerate(active.tolist()):
        report(progress, done, len(active), "merging")
        members = np.flatnonzero(inst.group == g)
        part = _solve_group(inst, spec, members, sets)
        label[members] = members[part.label]
        groups.append(
            GroupReport(
                _uid(apparatus, int(inst.places[g])),
                len(members),
                len(np.unique(part.label)),
                part.method,
                part.status,
                part.objective,
                part.bound,
            )
        )
    report(progress, len(active), len(active), "operations")
    ops: list[Operation] = []
    reports: list[OperationReport] = []
    if spec.dissolve_contained:
        _dissolve_held(apparatus, inst, spec, label, sets, leads, ops, reports)
    _merges(apparatus, inst, spec, label, sets, leads, ops, reports)
    plan = Plan(
        baseline=apparatus.info.name,
        operations=tuple(ops),
        name="merge",
        description=(
            f"Merge and dissolve units of level {level}: {sum(r.kind == 'merge' for r in reports)} "
            f"mergers, {sum(r.kind != 'merge' for r in reports)} dissolutions"
        ),
        require=(),
    )
    gone = sum(len(r.units) - 1 if r.kind == "merge" else 1 for r in reports)
    totals: dict[str, float] = {
        "units": len(inst.rows),
        "units_after": len(inst.rows) - gone,
        "merges": sum(r.kind == "merge" for r in reports),
        "dissolutions": sum(r.kind != "merge" for r in reports),
        "pairs": int(inst.allowed.sum()),
        "objective": float(sum(g.objective for g in groups)),
        "bound": float(sum(g.bound for g in groups)),
    }
    return plan, Explanation(level, tuple(reports), tuple(groups), totals, time.perf_counter() - start)


def _uid(app: Apparatus, row: int) -> str:
    return str(app.units.id[row]) if row >= 0 else ""


def _solve_group(inst: Instance, spec: MergeSpec, members: IntArray, sets: list[frozenset[int]]) -> Partition:
    """The partition of one place's units (local labels)."""
    local = np.full(len(inst.rows), -1, np.int64)
    local[members] = np.arange(len(members))
    sel = inst.allowed & (local[inst.a] >= 0)
    group = Group(
        n=len(members),
        a=local[inst.a[sel]],
        b=local[inst.b[sel]],
        s=inst.similarity[sel],
        forced=inst.forced[sel],
        task_sets=tuple(sets[i] for i in members.tolist()),
        headcount=inst.headcount[members],
        max_tasks=spec.max_tasks,
        max_headcount=spec.max_headcount,
        target=spec.target,
    )
    exact = spec.method == "exact" or (spec.method == "auto" and len(members) <= spec.exact_max_units)
    if exact and len(members) <= EXACT_LIMIT:
        return solve_exact(group, time_limit_s=spec.time_limit_s)
    return solve_greedy(group)


def _absorber(inst: Instance, cluster: list[int]) -> int:
    return min(cluster, key=lambda i: (-int(inst.tasks[i]), -int(inst.headcount[i]), i))


def _report(
    app: Apparatus,
    inst: Instance,
    kind: str,
    cluster: list[int],
    into: int,
    sets: list[frozenset[int]],
    leads: list[frozenset[int]],
    binds: str,
    positions: tuple[int, ...],
) -> OperationReport:
    inside = set(cluster)
    sel = (
        np.asarray([int(x) in inside and int(y) in inside for x, y in zip(inst.a, inst.b, strict=True)], bool)
        if len(inst.a)
        else np.zeros(0, bool)
    )
    sims = inst.similarity[sel]
    counts: dict[int, int] = {}
    lead_counts: dict[int, int] = {}
    for i in cluster:
        for t in sets[i]:
            counts[t] = counts.get(t, 0) + 1
        for t in leads[i]:
            lead_counts[t] = lead_counts.get(t, 0) + 1
    quotas = inst.quota[cluster]
    return OperationReport(
        kind=kind,
        units=tuple(_uid(app, int(inst.rows[i])) for i in cluster),
        into=_uid(app, int(inst.rows[into])),
        place=_uid(app, int(inst.places[inst.group[into]])),
        similarity_min=float(sims.min()) if len(sims) else 0.0,
        similarity_mean=float(sims.mean()) if len(sims) else 0.0,
        shared_tasks=sum(c >= 2 for c in counts.values()),
        duplicated_leads=sum(c >= 2 for c in lead_counts.values()),
        tasks_before=int(sum(len(sets[i]) for i in cluster)),
        tasks_after=len(counts),
        headcount=int(inst.headcount[cluster].sum()),
        quota=float(np.nansum(quotas)) if np.isfinite(quotas).any() else None,
        binds=binds,
        operations=positions,
    )


def _binds(
    inst: Instance, spec: MergeSpec, label: IntArray, cluster: list[int], sets: list[frozenset[int]]
) -> str:
    """Why the merged unit ``cluster`` did not take in the most similar unit outside it."""
    inside = set(cluster)
    touching = [
        (float(s), int(y) if int(x) in inside else int(x))
        for x, y, s in zip(inst.a, inst.b, inst.similarity, strict=True)
        if (int(x) in inside) != (int(y) in inside)
    ]
    touching = [(s, o) for s, o in touching if s >= spec.min_similarity]
    if not touching:
        return "similarity"
    _, other = max(touching)
    theirs = np.flatnonzero(label == label[other]).tolist()
    allowed = {(int(x), int(y)) for x, y, ok in zip(inst.a, inst.b, inst.allowed, strict=True) if ok}
    if any((min(u, v), max(u, v)) not in allowed for u in cluster for v in theirs):
        return "similarity"
    if spec.max_headcount is not None and inst.headcount[cluster + theirs].sum() > spec.max_headcount:
        return "max_headcount"
    if (
        spec.max_tasks is not None
        and len(frozenset().union(*(sets[i] for i in cluster + theirs))) > spec.max_tasks
    ):
        return "max_tasks"
    return "target" if spec.target is not None else "objective"


def _merges(
    app: Apparatus,
    inst: Instance,
    spec: MergeSpec,
    label: IntArray,
    sets: list[frozenset[int]],
    leads: list[frozenset[int]],
    ops: list[Operation],
    reports: list[OperationReport],
) -> None:
    """The operations of every merged unit (see the module)."""
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(np.concatenate([[-1], label[order], [-1]])))
    for lo, hi in itertools.pairwise(bounds):
        cluster = sorted(order[lo:hi].tolist())
        if len(cluster) < 2:
            continue
        into = _absorber(inst, cluster)
        binds = _binds(inst, spec, label, cluster, sets)
        rest = [i for i in cluster if i != into]
        contained = [i for i in rest if spec.dissolve_contained and sets[i] <= sets[into]]
        merged = [i for i in rest if i not in contained]
        target = _uid(app, int(inst.rows[into]))
        for i in contained:
            ops.append(Dissolve(unit=_uid(app, int(inst.rows[i])), successor=target))
            reports.append(
                _report(app, inst, "dissolve", [into, i], into, sets, leads, binds, (len(ops) - 1,))
            )
        if merged:
            units = tuple(_uid(app, int(inst.rows[i])) for i in [into, *merged])
            ops.append(Merge(units=units, into=NewUnit(id=target, name=str(app.units.name[inst.rows[into]]))))
            reports.append(
                _report(app, inst, "merge", [into, *merged], into, sets, leads, binds, (len(ops) - 1,))
            )


def _dissolve_held(
    app: Apparatus,
    inst: Instance,
    spec: MergeSpec,
    label: IntArray,
    sets: list[frozenset[int]],
    leads: list[frozenset[int]],
    ops: list[Operation],
    reports: list[OperationReport],
) -> None:
    """Units left alone whose tasks are all held beside them are dissolved (see the module)."""
    sizes = np.bincount(label, minlength=len(label))
    alone = (sizes[label] == 1) & ~inst.fixed
    dissolved: set[int] = set()
    receivers: set[int] = set()  # never dissolved: they hold what a dissolved unit left
    # people of each merged unit as the plan will leave it (the cap holds for what receives staff)
    heads = np.bincount(label, weights=inst.headcount, minlength=len(label))
    tid = app.tasks.id
    for g in np.unique(inst.group[alone]).tolist():
        members = np.flatnonzero(inst.group == g).tolist()
        holders: dict[int, set[int]] = {}
        for i in members:
            for t in sets[i]:
                if not inst.fixed[i]:  # an untouchable unit receives nothing
                    holders.setdefault(t, set()).add(i)
        for i in sorted((i for i in members if alone[i] and sets[i]), key=lambda i: (len(sets[i]), i)):
            others = {t: holders[t] - {i} - dissolved for t in sets[i]}
            if i in receivers or any(not hs for hs in others.values()):
                continue
            count: dict[int, int] = {}
            for hs in others.values():
                for h in hs:
                    count[h] = count.get(h, 0) + 1
            into = min(count, key=lambda h: (-count[h], -int(inst.tasks[h]), h))
            if spec.max_headcount is not None and heads[label[into]] + inst.headcount[i] > spec.max_headcount:
                continue
            heads[label[into]] += inst.headcount[i]
            me = _uid(app, int(inst.rows[i]))
            first = len(ops)
            for t in sorted(leads[i]):
                led = [h for h in others[t] if t in leads[h]]
                if led:
                    ops.append(Transfer(task=str(tid[t]), from_unit=me, role="lead"))
                elif into not in others[t]:
                    h = min(others[t])
                    ops.append(Transfer(task=str(tid[t]), from_unit=me, to_unit=_uid(app, int(inst.rows[h]))))
            ops.append(Dissolve(unit=me, successor=_uid(app, int(inst.rows[into]))))
            dissolved.add(i)
            receivers.update({into, *(h for hs in others.values() for h in hs)})
            reports.append(
                _report(
                    app,
                    inst,
                    "dissolve_held",
                    [i, into],
                    into,
                    sets,
                    leads,
                    "similarity",
                    tuple(range(first, len(ops))),
                )
            )
