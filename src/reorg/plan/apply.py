"""Apply a plan to an apparatus: ``apply`` returns the apparatus after it, ``validate`` every refusal.

``apply`` is pure and deterministic: it copies nothing it does not change, works on a mutable
``State``, checks each operation on what it touched (``reorg.plan.region``) and refuses the first one
that introduces a violation of a structural invariant, or of an optional one the plan ``require``s,
with a ``PlanError`` naming the operation and the invariant. At the end it builds the new Apparatus
once and, as a safety net, runs the full structural check on it. What each operation does is in
docs/invariants.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from reorg.errors import PlanError
from reorg.model import Apparatus
from reorg.plan.compact import compact
from reorg.plan.handlers import HANDLERS
from reorg.plan.invariants import STRUCTURAL, Violation, check
from reorg.plan.messages import refusal
from reorg.plan.operations import Operation, Plan
from reorg.plan.region import check_operation
from reorg.plan.state import State
from reorg.progress import Progress, report
from reorg.text import Phrase

__all__ = ["Validation", "apply", "run_operation", "validate"]

_REPORT_EVERY = 100  # operations between progress reports


@dataclasses.dataclass(frozen=True)
class Validation:
    """What ``validate`` found: the refusals (empty when the plan is valid) and the apparatus after
    the operations that could be applied."""

    errors: tuple[PlanError, ...]
    after: Apparatus

    @property
    def ok(self) -> bool:
        return not self.errors


def apply(app: Apparatus, plan: Plan, *, progress: Progress | None = None) -> Apparatus:
    """The apparatus after ``plan``; raises PlanError for the first operation that cannot be applied."""
    return _run(app, plan, progress, None)


def validate(app: Apparatus, plan: Plan, *, progress: Progress | None = None) -> Validation:
    """Every refusal in ``plan``: a refused operation is rolled back and the next ones still tried
    (so a refusal may follow from an earlier one)."""
    errors: list[PlanError] = []
    after = _run(app, plan, progress, errors)
    return Validation(tuple(errors), after)


def _run(app: Apparatus, plan: Plan, progress: Progress | None, errors: list[PlanError] | None) -> Apparatus:
    st = State(app)
    total = len(plan.operations)
    for i, op in enumerate(plan.operations):
        st.begin(i, op.op)
        try:
            run_operation(st, op, plan)
            check_operation(st)
        except PlanError as error:
            if errors is None:
                raise
            errors.append(error)
            st.rollback()
        if (i + 1) % _REPORT_EVERY == 0 or i + 1 == total:
            report(progress, i + 1, total, "applying operations")
    info = dataclasses.replace(
        app.info,
        name=plan.name or app.info.name,
        description=f"{app.info.name or plan.baseline} after plan {plan.name or '(unnamed)'}",
    )
    report(progress, 0, None, "checking the result")
    after = compact(st, info)
    for refused in _final_refusals(app, after, plan):
        if errors is None:
            raise refused
        errors.append(refused)
    return after


def run_operation(st: State, op: Operation, plan: Plan) -> None:
    """Change the working copy ``st`` by ``op`` (its handler), unchecked: the caller runs
    ``check_operation`` at the boundary it checks (each operation here; each roadmap step in
    ``reorg.roadmap.continuity``)."""
    handler = HANDLERS.get(type(op))
    if handler is None:
        raise st.refuse("plan.unknown_op", {"op": type(op).__name__})
    handler(st, op, plan)


def _key(v: Violation) -> tuple[str, ...]:
    """What a violation is about, in terms that survive a plan: the task for lead rules, the first unit
    (a parent, for contiguity) otherwise."""
    if v.tasks:
        return (v.invariant, *v.tasks)
    return (v.invariant, v.units[0] if v.invariant == "contiguity" and v.units else "")


def _final_refusals(app: Apparatus, after: Apparatus, plan: Plan) -> Iterable[PlanError]:
    """Whole-plan checks: the optional ``standards`` on the result, and the safety net — a violation of
    a structural (or required ``contiguity``) invariant in the result about a task, or a kind of
    problem, the baseline did not have."""
    names = [*STRUCTURAL, *(["contiguity"] if "contiguity" in plan.require else [])]
    found = check(after, names)
    if found:
        inherited = {_key(v) for v in check(app, names)}
        for v in found:
            if _key(v) not in inherited:
                yield refusal(
                    "plan.result",
                    {"message": Phrase(v.message, v.template, v.params)},
                    invariant=v.invariant,
                    ids=v.units + v.tasks,
                )
                break
    if "standards" in plan.require:
        for v in check(after, ["standards"]):
            yield refusal(v.template, v.params, ids=v.units)
