"""The invariants and the diagnosis are two views of one set of rules: they agree on every apparatus."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from diagnose_kit import LEVELS, make
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.diagnose import DiagnosisConfig, Finding, diagnose
from reorg.model import Apparatus, DutyRow, StandardRow, TaskRow, UnitRow
from reorg.plan import Violation, check
from reorg.plan.messages import render

#: invariant -> the finding kind that reports its violations
KIND = {
    "one_lead": "multiple_leads",
    "coverage": "no_lead",
    "standards": "below_standard",
    "quota": "over_quota",
    "tree": "broken_tree",
}
EVERY_FINDING = DiagnosisConfig(max_findings_per_kind=0, max_ids_per_finding=1000)
RANK = {lv.level: lv.rank for lv in LEVELS}
NUMBERS = st.sampled_from([math.nan, 0.0, 5.0, 10.0, 20.0])
KINDS = ("", "ward", "commune")


@st.composite
def apparatuses(draw: st.DrawFn) -> Apparatus:
    """Up to 12 units on the kit's levels (sometimes a second root, a child under a parent not ranked
    above it, or a parent cycle), up to 4 tasks (the second may be a sub-task of the first), lead and
    support duties with and without scopes (repeats included), kinds and an island class, standards rows
    (several for one level, by kind and class), quotas and headcounts."""
    n = draw(st.integers(1, 12))
    broken = draw(st.booleans())
    units = [UnitRow("u0", "U0", "nation", area_km2=draw(NUMBERS), population=draw(NUMBERS))]
    for i in range(1, n):
        level = draw(st.sampled_from([lv.level for lv in LEVELS]))
        above = [u.id for u in units if RANK[u.level] < RANK[level]]
        if broken and draw(st.integers(0, 5)) == 0:
            parent = draw(st.sampled_from(["", *[u.id for u in units]]))
        else:
            parent = draw(st.sampled_from(above)) if above else ""
        quota = draw(st.sampled_from([math.nan, 0.0, 1.0, 2.0]))
        units.append(
            UnitRow(
                f"u{i}",
                f"U{i}",
                level,
                parent_id=parent,
                kind=draw(st.sampled_from(KINDS)),
                quota=quota,
                area_km2=draw(NUMBERS),
                population=draw(NUMBERS),
                attributes=(("island_km2", draw(NUMBERS)),) if draw(st.booleans()) else (),
            )
        )
    ids = [u.id for u in units]
    territorial = [u.id for u in units if u.level in ("nation", "province", "district", "commune")]
    n_tasks = draw(st.integers(1, 4))
    tasks = [TaskRow(f"t{k}", f"T{k}") for k in range(n_tasks)]
    if n_tasks > 1 and draw(st.booleans()):
        tasks[1] = TaskRow("t1", "T1", parent_id="t0")
    duties = draw(
        st.lists(
            st.builds(
                DutyRow,
                st.sampled_from(ids),
                st.sampled_from([t.id for t in tasks]),
                st.sampled_from(["lead", "lead", "support"]),
                st.sampled_from(["", *territorial]),
            ),
            max_size=10,
        )
    )
    standards = draw(
        st.lists(
            st.builds(
                StandardRow,
                st.sampled_from(["province", "district", "commune", "department"]),
                NUMBERS,
                NUMBERS,
                st.sampled_from([math.nan, 0.0, 1.0, 3.0]),
                st.sampled_from(KINDS),
                st.sampled_from(["", "island"]),
            ),
            max_size=6,
            unique_by=lambda r: (r.level, r.kind, r.unit_class),
        )
    )
    people = {u: draw(st.integers(0, 3)) for u in ids}
    app = make(units, duties, tasks=tasks, people=people, standards=standards)
    if broken and n > 2 and draw(st.booleans()):  # a cycle: a unit's parent becomes one of its descendants
        parent = app.units.parent.copy()
        child = draw(st.integers(1, n - 1))
        below = [u for u in range(n) if _above(parent, child, u)]
        if below:
            parent[child] = draw(st.sampled_from(below))
            app = dataclasses.replace(app, units=dataclasses.replace(app.units, parent=parent))
    return app


def _above(parent: np.ndarray, a: int, u: int) -> bool:
    """Is ``a`` a strict ancestor of ``u``?"""
    seen = set()
    while parent[u] >= 0 and u not in seen:
        seen.add(u)
        u = int(parent[u])
        if u == a:
            return True
    return False


def _violation_key(v: Violation) -> tuple[str, ...]:
    """What a violation is about, in terms its finding also names."""
    kind = KIND[v.invariant]
    if v.invariant in ("one_lead", "coverage"):
        return (kind, *v.tasks)
    if v.template.startswith("standards.max_units"):
        return (kind, "row", str(v.params["level"]), str(v.params.get("standard", "")))
    if v.invariant == "standards":
        return (kind, str(v.params["standard"]), *v.units)
    if v.invariant == "tree":
        return (kind, v.template.split(".")[1], *v.units)
    return (kind, *v.units)


def _finding_key(f: Finding) -> tuple[str, ...]:
    if f.kind in ("multiple_leads", "no_lead"):
        return (f.kind, *f.tasks)
    if f.template.startswith("below_standard.max_units"):
        return (f.kind, "row", str(f.params["level"]), str(f.params.get("standard", "")))
    if f.kind == "below_standard":
        return (f.kind, str(f.params["standard"]), *f.units)
    if f.kind == "broken_tree":
        return (f.kind, f.template.split(".")[1], *f.units)
    return (f.kind, *f.units)


@settings(max_examples=300, derandomize=True)
@given(apparatuses())
def test_every_violation_has_its_finding_and_every_finding_its_violation(app: Apparatus) -> None:
    """one_lead, coverage, standards, quota and tree violations are exactly the multiple_leads,
    no_lead, below_standard, over_quota and broken_tree findings of the default diagnosis, one for
    one, about the same tasks, units or standards row (and a unit below standard is judged by the same
    standard in both)."""
    violations = check(app, list(KIND))
    assert all(v.message == render(v.template, v.params) for v in violations)
    report = diagnose(app, EVERY_FINDING)
    findings = [f for f in report.findings if f.kind in KIND.values()]
    want = sorted(_violation_key(v) for v in violations)
    got = sorted(_finding_key(f) for f in findings)
    assert got == want
    for invariant, kind in KIND.items():
        assert report.summary["findings"][kind] == sum(v.invariant == invariant for v in violations)
