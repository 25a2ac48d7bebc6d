"""Findings, the report that holds them, and the English wording of each finding.

A finding's explanation is rendered from a template key and its parameters, and both are kept, so that
a later translation layer can render the same finding in another language. Findings are ranked by
severity (high, medium, low), then by their numeric score (larger = more pressing), then by kind and ids.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from reorg.diagnose.summary import Summary
from reorg.text import json_number

__all__ = [
    "GROUP_WORDS",
    "KINDS",
    "METRIC_WORDS",
    "SEVERITIES",
    "SPAN_WORDS",
    "TEMPLATES",
    "Batch",
    "Finding",
    "Report",
    "Severity",
    "batch",
    "explain",
    "make_finding",
    "rank",
    "select",
]

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
Param = str | int | float

#: Every kind of finding, in the order families run (and ties are broken).
KINDS = (
    "multiple_leads",
    "no_lead",
    "overlap",
    "broken_tree",
    "deep_branch",
    "intermediary",
    "narrow_span",
    "wide_span",
    "below_standard",
    "over_quota",
    "staffing_outlier",
    "idle_unit",
    "level_mismatch",
)

#: English wording per template key; ``{name}`` fields are filled from the finding's params.
TEMPLATES: Mapping[str, str] = {
    "multiple_leads.one_place": (
        'Task "{task}" has {leads} lead units whose jurisdictions overlap ({names}), '
        "over {share:.0%} of the territory."
    ),
    "multiple_leads.places": (
        'Task "{task}" has more than one lead in {places} places ({leads} lead units, e.g. {names}), '
        "over {share:.0%} of the territory."
    ),
    "multiple_leads.same_unit": (
        'Task "{task}" is led twice by {names}, for a place and again for a part of it, '
        "over {share:.0%} of the territory."
    ),
    "no_lead.none": 'Task "{task}" has no lead unit anywhere.',
    "no_lead.gap": (
        'Task "{task}" has no lead in {uncovered} of {leaves} pieces of territory ({share:.0%}), '
        "e.g. {names}."
    ),
    "overlap.pair.same_level": (
        "{names} ({level}) share {shared} tasks with overlapping jurisdictions: "
        "portfolio similarity {similarity:.2f}."
    ),
    "overlap.pair.cross_level": (
        "{names} ({level}) share {shared} tasks with overlapping jurisdictions: "
        "portfolio similarity {similarity:.2f}."
    ),
    "overlap.group": (
        "{count} units with overlapping jurisdictions ({names}) share {shared} tasks in {pairs} similar "
        "pairs; highest portfolio similarity {similarity:.2f}."
    ),
    "broken_tree.no_root": "The unit tree has no root: every unit has a parent.",
    "broken_tree.roots": "The unit tree has {count} roots ({names}); it must have exactly one.",
    "broken_tree.cycle": (
        "{count} units are each other's ancestors ({names}): a parent cycle, cut off from the root."
    ),
    "broken_tree.rank": (
        "{name} ({level}) sits under {parent} ({parent_level}), whose level is not ranked above it."
    ),
    "deep_branch": (
        "The branch below {name} reaches depth {depth}, {excess} more than the norm of {norm} "
        "({deep} units deeper than the norm)."
    ),
    "intermediary.one": "{name} has a single subordinate unit ({child}): an intermediary layer.",
    "intermediary.territory": (
        "{name} oversees a single territorial unit ({child}), beside {agencies} agencies: "
        "an intermediary layer."
    ),
    "intermediary.chain": "{links} units in a row each pass everything to a single unit: {names}.",
    "narrow_span.territorial": (
        "{name} ({level}) oversees only {span} territorial units; the narrowest span allowed is {limit}."
    ),
    "narrow_span.agencies": (
        "{name} ({level}) has only {span} {agencies}; the narrowest span allowed is {limit}."
    ),
    "wide_span.territorial": (
        "{name} ({level}) oversees {span} territorial units directly; the widest span allowed is {limit}."
    ),
    "wide_span.agencies": (
        "{name} ({level}) has {span} {agencies} directly; the widest span allowed is {limit}."
    ),
    "below_standard.area": (
        "{name} ({level}) has {area:,.1f} km², below the standard for {standard} of {min_area:,.1f} km² "
        "({ratio:.0%})."
    ),
    "below_standard.population": (
        "{name} ({level}) has {population:,.0f} inhabitants, below the standard for {standard} of "
        "{min_population:,.0f} ({ratio:.0%})."
    ),
    "below_standard.both": (
        "{name} ({level}) has {area:,.1f} km² and {population:,.0f} inhabitants, below the standards for "
        "{standard} of {min_area:,.1f} km² and {min_population:,.0f}."
    ),
    "below_standard.max_units": (
        "Level {level} has {count} units, more than the standard's maximum of {max_units}."
    ),
    "below_standard.max_units_of": (
        "{count} units of level {level} fall under the standard for {standard}, more than its maximum of "
        "{max_units}."
    ),
    "over_quota": "{name} has {people} people for a quota of {quota} ({excess} over, {ratio:.0%} of quota).",
    "staffing_outlier.high": (
        "{name} has {value:.2f} people {metric}, {ratio:.1f}× the median of its level {level} "
        "({median:.2f}); robust z = {z:.1f}."
    ),
    "staffing_outlier.low": (
        "{name} has {value:.2f} people {metric}, {ratio:.2f}× the median of its level {level} "
        "({median:.2f}); robust z = {z:.1f}."
    ),
    "idle_unit.one": "{name} ({level}) has no task, as lead or support, and {people} people.",
    "idle_unit.subtree": (
        "{name} ({level}) and the {below} units below it have no task, as lead or support, "
        "and {people} people."
    ),
    "level_mismatch.higher": (
        'Task "{task}" is led at level {task_level}, above level {group_level} where {share:.0%} of the '
        "{count} {group} are led."
    ),
    "level_mismatch.lower": (
        'Task "{task}" is led at level {task_level}, below level {group_level} where {share:.0%} of the '
        "{count} {group} are led."
    ),
    "level_mismatch.other": (
        'Task "{task}" is led at level {task_level}, not at level {group_level} where {share:.0%} of the '
        "{count} {group} are led."
    ),
}

#: Metric names in the wording of ``staffing_outlier``.
METRIC_WORDS: Mapping[str, str] = {
    "per_led_task": "per led task",
    "per_10k_population": "per 10,000 inhabitants",
    "per_100_km2": "per 100 km²",
}

#: How ``level_mismatch`` names a group of alike tasks (``{group}``), by key ``group.<reach>.<alike>``:
#: tasks of the same field, else under the same parent task, led for the whole territory or not.
GROUP_WORDS: Mapping[str, str] = {
    "group.national.field": "national tasks of field {name}",
    "group.local.field": "local tasks of field {name}",
    "group.national.task": "national tasks of task {name}",
    "group.local.task": "local tasks of task {name}",
}

#: What a unit's non-territorial subordinates are called in the wording of ``narrow_span`` and
#: ``wide_span``: agencies where the apparatus has territory, units where it has none.
SPAN_WORDS: Mapping[str, str] = {
    "agencies": "subordinate agencies",
    "units": "subordinate units",
}


def explain(template: str, params: Mapping[str, Param]) -> str:
    """The English sentence of ``template`` filled with ``params``."""
    return TEMPLATES[template].format(**params)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One diagnosis result.

    ``units`` and ``tasks`` are ids (capped lists for large groups; ``evidence`` keeps exact counts);
    ``evidence`` holds the numbers that show it; ``score`` orders findings of equal severity (larger =
    more pressing); ``explanation`` is the English rendering of ``template`` with ``params``.
    """

    kind: str
    severity: Severity
    score: float
    units: tuple[str, ...]
    tasks: tuple[str, ...]
    evidence: Mapping[str, float]
    template: str
    params: Mapping[str, Param]
    explanation: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (the fields of the ``--json`` output, plus score, template and params)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "score": json_number(self.score),
            "units": list(self.units),
            "tasks": list(self.tasks),
            "evidence": {k: json_number(v) for k, v in self.evidence.items()},
            "explanation": self.explanation,
            "template": self.template,
            "params": {k: json_number(v) if isinstance(v, float) else v for k, v in self.params.items()},
        }


def make_finding(
    kind: str,
    severity: Severity,
    score: float,
    *,
    units: Sequence[str] = (),
    tasks: Sequence[str] = (),
    evidence: Mapping[str, float],
    template: str,
    params: Mapping[str, Param],
) -> Finding:
    """A Finding with its explanation rendered."""
    return Finding(
        kind=kind,
        severity=severity,
        score=float(score),
        units=tuple(units),
        tasks=tuple(tasks),
        evidence=dict(evidence),
        template=template,
        params=dict(params),
        explanation=explain(template, params),
    )


@dataclasses.dataclass(frozen=True)
class Batch:
    """What one check found: the exact number of findings per severity and the top ones, built."""

    kind: str
    counts: Mapping[Severity, int]
    findings: tuple[Finding, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def batch(kind: str, severity: npt.NDArray[np.int8], findings: Sequence[Finding]) -> Batch:
    """A Batch from the severity codes of every finding (0 high, 1 medium, 2 low) and the built ones."""
    counts = np.bincount(severity.astype(np.int64), minlength=3) if len(severity) else np.zeros(3, int)
    return Batch(kind, {s: int(counts[i]) for i, s in enumerate(SEVERITIES)}, tuple(findings))


def select(severity: npt.NDArray[np.int8], score: npt.NDArray[np.float64], cap: int) -> npt.NDArray[np.intp]:
    """Indexes of the ``cap`` most pressing candidates (by severity, then score, then position)."""
    if len(severity) == 0:
        return np.zeros(0, dtype=np.intp)
    order = np.lexsort((np.arange(len(severity)), -score, severity))
    return order[:cap] if cap > 0 else order


@dataclasses.dataclass(frozen=True)
class Report:
    """A diagnosis: the typed summary (``reorg.diagnose.summary``) and ranked findings (at most
    ``max_findings_per_kind`` of each kind; ``summary.findings`` keeps the exact counts)."""

    summary: Summary
    findings: tuple[Finding, ...]

    def by_kind(self, kind: str) -> tuple[Finding, ...]:
        """The reported findings of one kind, in rank order."""
        return tuple(f for f in self.findings if f.kind == kind)

    def to_dict(self) -> dict[str, object]:
        """``{"summary": {...}, "findings": [...]}`` for JSON."""
        return {"summary": self.summary.to_dict(), "findings": [f.to_dict() for f in self.findings]}


def rank(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings by severity, then score (descending), then kind order and ids."""
    kind_order = {k: i for i, k in enumerate(KINDS)}

    def key(f: Finding) -> tuple[int, float, int, tuple[str, ...], tuple[str, ...]]:
        return (SEVERITIES.index(f.severity), -f.score, kind_order.get(f.kind, len(KINDS)), f.units, f.tasks)

    return tuple(sorted(findings, key=key))
