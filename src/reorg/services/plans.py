"""Use cases on plans: validate, apply and store, list and show stored plans, compare two stored things."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from reorg.errors import InputError, PlanError, ReorgError
from reorg.io.plan_file import parse_plan
from reorg.model import Apparatus
from reorg.plan import Diff, Plan, apply, check, diff, validate
from reorg.plan.invariants import REPORTED, STRUCTURAL
from reorg.progress import Progress
from reorg.services import access
from reorg.services.resolve import load_dataset, resolve
from reorg.store import PlanRecord, UnitOfWork, check_name

__all__ = [
    "Applied",
    "Compared",
    "Explains",
    "PlanDetail",
    "Proposal",
    "Validated",
    "apply_plan",
    "check_plan_file",
    "compare",
    "keep_proposal",
    "list_plans",
    "show_plan",
    "store_plan_file",
    "validate_plan",
]


def _error_dict(error: PlanError) -> dict[str, Any]:
    return {
        "operation": error.operation,
        "op": error.op,
        "invariant": error.invariant,
        "message": str(error),
        "ids": list(error.ids),
    }


def remaining_violations(after: Apparatus) -> dict[str, int]:
    """Violations a result still has (inherited from the baseline, or reported only), per invariant."""
    return dict(Counter(v.invariant for v in check(after, [*STRUCTURAL, *REPORTED])))


@dataclasses.dataclass(frozen=True)
class Validated:
    """A plan tried on its baseline: every refusal, and what the result still violates."""

    baseline: str
    operations: int
    errors: tuple[PlanError, ...]
    remaining: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "baseline": self.baseline,
            "operations": self.operations,
            "errors": [_error_dict(e) for e in self.errors],
            "remaining": dict(self.remaining),
        }


def validate_plan(uow: UnitOfWork, *, plan: Plan, progress: Progress | None = None) -> Validated:
    """Try every operation of ``plan`` on the newest version of its baseline."""
    baseline = load_dataset(uow, name=plan.baseline, progress=progress)
    result = validate(baseline, plan, progress=progress)
    return Validated(
        plan.baseline, len(plan.operations), tuple(result.errors), remaining_violations(result.after)
    )


@dataclasses.dataclass(frozen=True)
class Applied:
    """A plan applied to its baseline: what changed, and its stored record (None when not saved)."""

    name: str
    baseline: str
    changes: Diff
    saved: PlanRecord | None

    def to_dict(self) -> dict[str, Any]:
        saved = self.saved.to_dict() if self.saved else None
        return {"plan": self.name, "saved": saved, "summary": self.changes.counts()}


def apply_plan(
    uow: UnitOfWork, *, plan: Plan, name: str, save: bool = True, progress: Progress | None = None
) -> Applied:
    """Apply ``plan`` to the newest version of its baseline (PlanError at the first refusal) and, when
    ``save``, store it as the next version of plan ``name``."""
    check_name(name, "plan name")
    baseline = load_dataset(uow, name=plan.baseline, progress=progress)
    after = apply(baseline, plan, progress=progress)
    record = uow.plans.create(plan, name=name) if save else None
    return Applied(name, plan.baseline, diff(baseline, after), record)


@dataclasses.dataclass(frozen=True)
class Compared:
    """What changed from ``before`` to ``after`` (each a dataset or a plan's result)."""

    before: str
    after: str
    changes: Diff

    def to_dict(self) -> dict[str, Any]:
        return self.changes.to_dict()


def compare(uow: UnitOfWork, *, before: str, after: str, progress: Progress | None = None) -> Compared:
    """The diff between two stored names (datasets, or plans applied to their baselines)."""
    a = resolve(uow, before, progress=progress).apparatus
    b = resolve(uow, after, progress=progress).apparatus
    return Compared(before, after, diff(a, b))


class Explains(Protocol):
    """An optimizer's explanation of the plan it drew."""

    def to_dict(self) -> dict[str, Any]: ...


E = TypeVar("E", bound=Explains)


@dataclasses.dataclass(frozen=True)
class Proposal(Generic[E]):
    """What an optimizer drew from stored dataset ``dataset``: the plan, its explanation, its stored
    record (when saved) and the file written (when asked)."""

    dataset: str
    plan: Plan
    explanation: E
    saved: PlanRecord | None
    out: Path | None

    def to_dict(self) -> dict[str, Any]:
        saved = self.saved.to_dict() if self.saved else None
        return {"plan": self.plan.to_dict(), "explanation": self.explanation.to_dict(), "saved": saved}


def keep_proposal(
    uow: UnitOfWork, plan: Plan, *, dataset: str, save: str | None, out: Path | None
) -> tuple[Plan, PlanRecord | None]:
    """What every optimizer's use case does with the plan it drew from stored dataset ``dataset``: make
    the plan name that dataset as its baseline (whatever name its data carries inside), store it as plan
    ``save`` when given, and write its JSON to ``out`` when given. Returns the plan and its record."""
    plan = dataclasses.replace(plan, baseline=dataset)
    record = uow.plans.create(plan, name=check_name(save, "plan name")) if save else None
    if out is not None:
        try:
            out.write_text(plan.to_json(), encoding="utf-8")
        except OSError as exc:
            raise ReorgError(f"cannot write {out}: {exc.strerror}") from None
    return plan, record


def list_plans(uow: UnitOfWork, *, baseline: str | None = None) -> list[PlanRecord]:
    """Every stored version of every plan (or of those saved against ``baseline``)."""
    return uow.plans.list(baseline=baseline)


@dataclasses.dataclass(frozen=True)
class PlanDetail:
    """A stored plan version: its record, its document, and its operations counted by kind."""

    record: PlanRecord
    plan: Plan
    versions: tuple[int, ...]

    @property
    def operations_by_kind(self) -> dict[str, int]:
        return dict(Counter(op.op for op in self.plan.operations))

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.record.to_dict(),
            "versions": list(self.versions),
            "description": self.plan.description,
            "require": list(self.plan.require),
            "operations_by_kind": self.operations_by_kind,
            "plan": self.plan.to_dict(),
        }


def show_plan(uow: UnitOfWork, *, name: str, version: int | None = None) -> PlanDetail:
    """A stored plan version (the newest when ``version`` is None)."""
    record = uow.plans.get(name=name, version=version)
    versions = tuple(r.version for r in uow.plans.list(name=name))
    return PlanDetail(record, uow.plans.load(name=name, version=record.version), versions)


#: the largest plan file accepted from an upload (bytes): 20 MB holds ~100,000 operations
MAX_PLAN_BYTES = 20 * 1024 * 1024


def _uploaded(data: bytes, source: str) -> Plan:
    if len(data) > MAX_PLAN_BYTES:
        raise InputError(source, f"a plan file of at most {MAX_PLAN_BYTES // (1024 * 1024)} MB")
    return parse_plan(data, source=source)


def check_plan_file(
    uow: UnitOfWork, *, data: bytes, source: str, viewer: access.Principal, progress: Progress | None = None
) -> tuple[Plan, Validated]:
    """An uploaded plan file (JSON) read and tried on its baseline: every refusal, nothing stored."""
    access.require(viewer, "read_national")
    plan = _uploaded(data, source)
    return plan, validate_plan(uow, plan=plan, progress=progress)


def store_plan_file(
    uow: UnitOfWork,
    *,
    data: bytes,
    source: str,
    name: str,
    viewer: access.Principal,
    progress: Progress | None = None,
) -> Applied:
    """An uploaded plan file applied to its baseline (PlanError at the first refusal) and stored as the
    next version of plan ``name``."""
    access.require(viewer, "save_plan")
    return apply_plan(uow, plan=_uploaded(data, source), name=name, progress=progress)
