"""``propose(apparatus, level, spec) -> (Plan, Explanation)``: contiguous territorial consolidation.

Each nesting group (a parent, an ancestor level, or a group of another plan) is solved on its own,
and inside it each connected piece of the neighbour graph: regions never cross a group border nor a
gap in the graph (the sea). A piece whose total is below a minimum cannot hold a feasible region; it
is kept as one region and reported, never joined to another piece. A target number of regions is
shared between groups in proportion to their units (or given per group), and inside a group between
its pieces in proportion to the regions each can hold when the target fits under their sum, else to
their units (an infeasible piece takes one).

The effort budget (``Effort.budget``) is for the whole level: each group gets a share in proportion
to its units, so a level of ten thousand units costs about what one ten-thousand-unit territory does.

The plan merges the units of every region of two or more units into its largest member, whose id
and name the region keeps. The apparatus is only read.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

import numpy as np

from reorg.model import Apparatus
from reorg.optimize.territory.explain import Explanation, GroupReport
from reorg.optimize.territory.extract import LevelData, extract
from reorg.optimize.territory.groups import allocate, solve_group
from reorg.optimize.territory.regions import RegionBuilder
from reorg.optimize.territory.spec import TerritorySpec
from reorg.plan.operations import Plan
from reorg.progress import Progress, report

__all__ = ["propose"]


def propose(
    apparatus: Apparatus,
    level: str,
    spec: TerritorySpec | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[Plan, Explanation]:
    """Group the units of ``level`` into contiguous regions under ``spec`` (see the module)."""
    spec = spec or TerritorySpec()
    start = time.perf_counter()
    data = extract(apparatus, level, spec)
    targets = _group_targets(spec, data)
    builder = RegionBuilder(apparatus, data, spec)
    groups: list[GroupReport] = []
    timed_out = False
    count = len(data.group_ids)
    sizes = np.bincount(data.group, minlength=count)
    for g in range(count):
        report(progress, g, count, "groups")
        share = dataclasses.replace(spec.effort, budget=max(1, round(spec.effort.budget * sizes[g] / data.n)))
        inner = progress if count == 1 else None  # one group: show its restarts and sweeps instead
        result = solve_group(apparatus, data, dataclasses.replace(spec, effort=share), g, targets[g], inner)
        builder.add(result)
        groups.append(result.report)
        timed_out = timed_out or result.timed_out
    report(progress, count, count, "groups")
    plan = Plan(
        baseline=apparatus.info.name,
        operations=builder.operations(),
        name=f"territory-{level}",
        description=_describe(level, spec),
    )
    explanation = Explanation(
        level=level,
        regions=builder.reports(),
        groups=tuple(groups),
        objective=builder.objective(),
        seconds=time.perf_counter() - start,
        timed_out=timed_out,
    )
    return plan, explanation


def _describe(level: str, spec: TerritorySpec) -> str:
    bounds = [f"{k} >= {v:g}" for k, v in spec.minimums.items()]
    bounds += [f"{k} >= the standard of each unit's kind" for k in spec.standard_minimums]
    bounds += [f"{k} <= {v:g}" for k, v in spec.maximums.items()]
    if spec.standard_waiver and spec.standard_minimums:
        bounds.append(f"standards waived for {spec.standard_waiver} units or more")
    aim = "as many regions as the minimums allow" if spec.target is None else "a target number of regions"
    return f"Contiguous {level} regions, {aim}" + (f"; {', '.join(bounds)}" if bounds else "")


def _group_targets(spec: TerritorySpec, data: LevelData) -> list[int | None]:
    """Per group: its target (a table's entry, or a share of a total by unit count), or None."""
    if spec.target is None:
        return [None] * len(data.group_ids)
    if isinstance(spec.target, Mapping):
        return [spec.target.get(g) for g in data.group_ids]
    sizes = np.bincount(data.group, minlength=len(data.group_ids)).tolist()
    return list(allocate(spec.target, sizes, [1] * len(sizes)))
