"""Continuity: no gap in time, place or field at any step boundary of a roadmap.

The steps take effect at their (earliest) finish, in the schedule's order. The apparatus is carried
from one boundary to the next in one working copy (``reorg.plan.state.State``): each step's operations
are applied by the same handlers as ``apply`` and ``validate`` (``reorg.plan.apply.run_operation``) and
the step is checked at its boundary by the same rule code (``reorg.plan.region.check_operation`` on
``reorg.plan.leads.range_conflicts`` and ``reorg.plan.rules``): a task left with no lead, or led twice,
in some place; a territory covered twice or not at all by a tier; a unit with no parent or under one
not ranked above it. The prefix is never re-applied: each boundary costs what its step touched.

A step that breaks continuity is rolled back (so later ones are judged on a sound apparatus) and
reported with its date, the rule and the tasks and places named, and the smallest fix found: moving
the step after a later step naming one of those that makes it pass (a reordering: a missing
dependency), or else a
bridging step that keeps a temporary lead on the place until the step that gives the new lead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reorg.errors import PlanError
from reorg.model import Apparatus
from reorg.plan.apply import run_operation
from reorg.plan.compact import compact
from reorg.plan.operations import Operation, Plan, Transfer
from reorg.plan.region import check_operation
from reorg.plan.state import State
from reorg.progress import Progress, report
from reorg.roadmap.derive import names
from reorg.roadmap.schedule import Schedule

__all__ = [
    "Break",
    "Continuity",
    "Fix",
    "apparatus_at",
    "check_continuity",
    "reorder_tries",
    "reported_breaks",
]

_REPORT_EVERY = 200  # steps between progress reports
_REORDER_TRIES = 40  # later steps tried as the missing dependency of a step that breaks continuity
#: and fewer for a step whose own run changed much: tries x the entries its journal held stay under
#: this (a commune merge journals about 20 entries, so 40 tries; abolishing the district level of the
#: vietnam-2024 dataset at scale 0.05 about 94,000, so 4 tries, each of which re-runs it: 40 took 80 s)
_REORDER_WORK = 400_000


@dataclasses.dataclass(frozen=True)
class Fix:
    """The smallest change found that removes a break: ``reorder`` (``step`` after ``after``) or
    ``bridge`` (``unit`` keeps leading ``task`` in ``places`` from ``step`` until ``after`` is done)."""

    kind: str
    step: str
    after: str = ""
    task: str = ""
    places: tuple[str, ...] = ()
    unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["places"] = list(self.places)
        return out


@dataclasses.dataclass(frozen=True)
class Break:
    """A step whose boundary breaks continuity: on ``date``, rule ``invariant``, the sentence
    ``message``, the tasks and places (unit ids) in ``ids``, and the fix proposed (None if none)."""

    step: str
    date: dt.date
    invariant: str
    message: str
    ids: tuple[str, ...]
    operation: int | None
    fix: Fix | None
    template: str = ""
    params: Mapping[str, str | int | float] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "date": self.date.isoformat(),
            "invariant": self.invariant,
            "message": self.message,
            "ids": list(self.ids),
            "operation": self.operation,
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclasses.dataclass(frozen=True)
class Continuity:
    """The result of the check: every break in date order (``first`` is the earliest), and how many
    step boundaries were checked."""

    breaks: tuple[Break, ...]
    boundaries: int

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "boundaries": self.boundaries, "breaks": [b.to_dict() for b in self.breaks]}


def _run_step(st: State, plan: Plan, ops: Sequence[int]) -> None:
    """Apply ``ops`` to ``st`` as one journaled change and check it at its boundary (PlanError)."""
    st.begin(ops[0] if ops else -1, plan.operations[ops[0]].op if ops else "")
    for i in ops:
        st.next_operation(i, plan.operations[i].op)
        run_operation(st, plan.operations[i], plan)
    check_operation(st)


def _passes(st: State, plan: Plan, *groups: Sequence[int]) -> bool:
    """Whether ``groups`` applied in turn each pass their boundary; ``st`` is left as it was. Only the
    first group may pass alone: the state after it is rolled back with the journal of the last."""
    if len(groups) == 2:
        try:
            _run_step(st, plan, groups[0])
        except PlanError:
            st.rollback()
            return False
        st.rollback()
    try:
        _run_step(st, plan, [i for g in groups for i in g])
    except PlanError:
        st.rollback()
        return False
    st.rollback()
    return True


def check_continuity(
    app: Apparatus, plan: Plan, sched: Schedule, *, progress: Progress | None = None
) -> Continuity:
    """Every break of continuity at the step boundaries of ``sched`` (see the module docstring)."""
    steps = sched.roadmap.steps
    st = State(app)
    breaks: list[Break] = []
    order = sched.order
    for k, i in enumerate(order):
        step = steps[i]
        try:
            _run_step(st, plan, step.operations)
        except PlanError as error:
            tries = reorder_tries(st.journaled())
            st.rollback()
            later = [steps[j] for j in order[k + 1 :]]
            fix = _fix(st, plan, step.id, step.operations, later, error, tries)
            date = sched.date(int(sched.ef[i]))
            params = dict(error.params)
            found = Break(step.id, date, error.invariant, error.message, error.ids, error.operation, fix)
            breaks.append(dataclasses.replace(found, template=error.template, params=params))
        if (k + 1) % _REPORT_EVERY == 0 or k + 1 == len(order):
            report(progress, k + 1, len(order), "checking continuity")
    return Continuity(tuple(breaks), len(order))


def reorder_tries(journaled: int) -> int:
    """How many later steps to try as the missing dependency of a broken step whose run journaled
    ``journaled`` values (each try re-runs it)."""
    return min(_REORDER_TRIES, max(1, _REORDER_WORK // max(journaled, 1)))


def _fix(
    st: State,
    plan: Plan,
    step: str,
    ops: Sequence[int],
    later: Sequence[Any],
    error: PlanError,
    tries: int,
) -> Fix | None:
    """A later step naming a unit or task the refusal names after which ``ops`` pass (tried nearest
    first, at most ``tries``), else a bridging lead for a gap."""
    named = set(error.ids)
    related = [s for s in later if any(named.intersection(_named(plan.operations[i])) for i in s.operations)]
    for other in related[:tries]:
        if _passes(st, plan, other.operations, ops):
            return Fix("reorder", step, after=other.id)
    if error.invariant == "coverage" and error.ids:
        task, places = error.ids[0], tuple(error.ids[1:])
        unit = _lead_of(st, task, places[0]) if places else ""
        after = later[0].id if later else ""
        return Fix("bridge", step, after=after, task=task, places=places, unit=unit)
    return None


def _named(op: Operation) -> list[str]:
    """The units an operation names, and the task a transfer moves."""
    return [*names(op), *([op.task] if isinstance(op, Transfer) else [])]


def _lead_of(st: State, task: str, place: str) -> str:
    """The unit leading ``task`` over ``place`` (or its nearest territorial ancestor) before the
    step: the one to keep as a temporary lead."""
    t = st.app.tasks.index.get(task)
    u = st.index.get(place, -1)
    if t is None:
        return ""
    while u >= 0:
        if st.alive[u] and st.terr[u] and st.leads(u).get(t):
            for holder in _holders(st, u, t):
                return holder
        u = st.parent[u]
    return ""


def _holders(st: State, s: int, t: int) -> list[str]:
    """Living units whose lead of task ``t`` covers territorial unit ``s`` (searched below ``s``'s
    agencies and ``s`` itself)."""
    out = []
    stack = [s]
    while stack:
        u = stack.pop()
        if st.alive[u] and any(task == t and st.resolve(u, scope) == s for (task, scope) in st.duties(u)):
            out.append(st.ids[u])
        stack.extend(c for c in st.children(u) if not st.terr[c])
    return out


def reported_breaks(
    app: Apparatus,
    plan: Plan,
    sched: Schedule,
    done: Mapping[str, dt.date],
    *,
    progress: Progress | None = None,
) -> tuple[Break, ...]:
    """The breaks of the apparatus as reported: the steps in ``done`` (step id -> the date it was
    reported done) applied in the schedule's order in one working copy, each checked at its boundary
    by the same rule code as ``check_continuity`` (so a step reported done while one it depends on is
    not can leave a task with no lead, a territory covered twice, a unit with no parent). A breaking
    step is rolled back and dated when it was reported done; a done step after it in the dependencies
    is not judged again (its break follows from the first), nor are the steps not reported done."""
    steps = sched.roadmap.steps
    preds: dict[str, list[str]] = {}
    for d in sched.dependencies:
        preds.setdefault(d.step, []).append(d.after)
    st = State(app)
    blocked: set[str] = set()
    out: list[Break] = []
    order = [i for i in sched.order if steps[i].id in done]
    for k, i in enumerate(order):
        step = steps[i]
        if any(p in blocked for p in preds.get(step.id, ())):
            blocked.add(step.id)
            continue
        try:
            _run_step(st, plan, step.operations)
        except PlanError as error:
            st.rollback()
            blocked.add(step.id)
            found = Break(
                step.id, done[step.id], error.invariant, error.message, error.ids, error.operation, None
            )
            out.append(dataclasses.replace(found, template=error.template, params=dict(error.params)))
        if (k + 1) % _REPORT_EVERY == 0 or k + 1 == len(order):
            report(progress, k + 1, len(order), "checking the reported state")
    return tuple(out)


def apparatus_at(app: Apparatus, plan: Plan, sched: Schedule, date: dt.date) -> Apparatus:
    """The apparatus on ``date``: the steps finished by then applied in the schedule's order, in one
    pass (a step that breaks continuity is left out, as the check leaves it)."""
    st = State(app)
    day = sched.day(date)
    for i in sched.order:
        if int(sched.ef[i]) > day:
            break
        try:
            _run_step(st, plan, sched.roadmap.steps[i].operations)
        except PlanError:
            st.rollback()
    return compact(st, app.info)
