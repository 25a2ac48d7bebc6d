"""Units below the standards that judge them, standards rows with too many units, and units over quota.

Views of the facts behind the ``standards`` and ``quota`` invariants (``reorg.plan.rules``). Standards
(standards.csv) give per level, and optionally per kind of unit and class, a minimum area (km²), a
minimum population (people) and a maximum number of units; each unit is judged by the most specific
standard that applies to it (``reorg.plan.kinds``), and its finding names that standard. A unit is
below standard when its area or population (or, with ``standard_rule = "both"``, both) is under
``standard_share`` of the minimum; a unit is over quota when its headcount exceeds
``quota * (1 + quota_tolerance)``. With the defaults (share 1, rule "either", tolerance 0) the findings
are exactly the invariants' violations. A unit without a known area or population is not assessed on
it. Severity of a shortfall: value below half the minimum is high, below 80 % medium, else low; of a
quota excess: more than 20 % over is high, more than 5 % medium.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, Severity, batch, make_finding, select
from reorg.diagnose.summary import QuotaSummary, StandardsSummary
from reorg.model import Apparatus
from reorg.plan.rules import StandardFacts, quota_facts, standard_facts, standard_label

__all__ = ["quota", "standards"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _severity(ratio: FloatArray, high: float, medium: float, *, below: bool) -> npt.NDArray[np.int8]:
    """Severity codes of ratios (value / standard) against two cut-offs."""
    if below:
        return np.where(ratio < high, HIGH, np.where(ratio < medium, MEDIUM, LOW)).astype(np.int8)
    return np.where(ratio > high, HIGH, np.where(ratio > medium, MEDIUM, LOW)).astype(np.int8)


def standards(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], StandardsSummary]:
    """``below_standard`` findings: units under the minimum area or population of the standard that
    judges them (the most specific for their level, kind and class), and standards rows that apply to
    more units than their maximum."""
    facts = standard_facts(app)
    max_units, counts = facts.max_units, facts.counts
    with np.errstate(invalid="ignore", divide="ignore"):
        area_ratio = facts.area / facts.min_area
        pop_ratio = facts.population / facts.min_population
    area_low = facts.area_low(config.standard_share)
    pop_low = facts.population_low(config.standard_share)
    below = facts.below(config.standard_share, config.standard_rule)
    rows = np.flatnonzero(below)
    worst = np.fmin(np.where(area_low, area_ratio, np.nan), np.where(pop_low, pop_ratio, np.nan))[rows]
    over_rows = facts.over_rows
    severity = np.concatenate(
        [_severity(worst, 0.5, 0.8, below=True), np.full(len(over_rows), MEDIUM, np.int8)]
    )
    cap, count = max_units[over_rows], counts[over_rows].astype(np.float64)
    excess = np.divide(count, cap, out=count.copy(), where=cap > 0) - np.where(cap > 0, 1, 0)  # cap 0: count
    score = np.concatenate([1 - worst, excess])
    findings: list[Finding] = []
    for i in select(severity, score, config.max_findings_per_kind).tolist():
        sev = SEVERITY_NAMES[severity[i]]
        if i >= len(rows):
            findings.append(_row_finding(app, facts, int(over_rows[i - len(rows)]), sev, float(score[i])))
            continue
        r = int(rows[i])
        findings.append(
            _unit_finding(app, facts, r, sev, float(score[i]), bool(area_low[r]), bool(pop_low[r]))
        )
    summary = StandardsSummary(
        units_assessed_against_standards=int(facts.assessed.sum()),
        units_below_standard=len(rows),
        levels_over_max_units=len(over_rows),
        below_by_standard=_below_by_standard(app, facts, below),
        assessed_by_kind=_by_kind(app, facts.assessed),
        below_by_kind=_by_kind(app, below, facts.assessed),
    )
    return [batch("below_standard", severity, findings)], summary


def _below_by_standard(app: Apparatus, facts: StandardFacts, below: BoolArray) -> dict[str, int]:
    """Units below standard per standard that judged them (its label: level, kind, class), in the
    order of the standards rows; rows that judge no unit are left out."""
    judged = np.bincount(facts.standard[facts.standard >= 0], minlength=len(app.standards))
    low = np.bincount(facts.standard[below & (facts.standard >= 0)], minlength=len(app.standards))
    return {standard_label(app, r): int(low[r]) for r in range(len(app.standards)) if judged[r]}


def _by_kind(app: Apparatus, units: BoolArray, among: BoolArray | None = None) -> dict[str, int]:
    """How many of ``units`` there are per level and kind (``commune, Xã``; the level alone for units
    without a kind), for every (level, kind) that has a unit in ``among`` (default: ``units``), in order
    of level rank, then kind."""
    among = units if among is None else among
    level, kind = app.units.level, app.units.kind
    keys = sorted(
        {(int(lv), str(k)) for lv, k in zip(level[among].tolist(), kind[among].tolist(), strict=True)},
        key=lambda key: (int(app.levels.rank[key[0]]), str(app.levels.name[key[0]]), key[1]),
    )
    out = {}
    for lv, k in keys:
        label = ", ".join(p for p in (str(app.levels.name[lv]), k) if p)
        out[label] = int((units & (level == lv) & (kind == k)).sum())
    return out


def _row_finding(app: Apparatus, facts: StandardFacts, r: int, severity: Severity, score: float) -> Finding:
    """The finding of standards row ``r`` applying to more units than its maximum."""
    st = app.standards
    params: dict[str, str | int | float] = {
        "level": str(app.levels.name[st.level[r]]),
        "count": int(facts.counts[r]),
        "max_units": int(facts.max_units[r]),
    }
    template = "below_standard.max_units"
    if st.kind[r] or st.unit_class[r]:
        params["standard"] = standard_label(app, r)
        template = "below_standard.max_units_of"
    return make_finding(
        "below_standard",
        severity,
        score,
        evidence={"units": int(facts.counts[r]), "max_units": float(facts.max_units[r])},
        template=template,
        params=params,
    )


def _unit_finding(
    app: Apparatus,
    facts: StandardFacts,
    r: int,
    severity: Severity,
    score: float,
    area_low: bool,
    pop_low: bool,
) -> Finding:
    """The below-standard finding of one unit, naming the standard that judged it."""
    lv = int(app.units.level[r])
    area, pop = float(app.units.area_km2[r]), float(app.units.population[r])
    min_area, min_pop = float(facts.min_area[r]), float(facts.min_population[r])
    evidence: dict[str, float] = {}
    params: dict[str, str | int | float] = {
        "name": unit_label(app, r),
        "level": str(app.levels.name[lv]),
        "standard": standard_label(app, int(facts.standard[r])),
    }
    if area_low:
        evidence.update(area_km2=area, min_area_km2=min_area)
        params.update(area=area, min_area=min_area, ratio=area / min_area)
    if pop_low:
        evidence.update(population=pop, min_population=min_pop)
        params.update(population=pop, min_population=min_pop, ratio=pop / min_pop)
    template = (
        "below_standard.both"
        if area_low and pop_low
        else ("below_standard.area" if area_low else "below_standard.population")
    )
    return make_finding(
        "below_standard",
        severity,
        score,
        units=(str(app.units.id[r]),),
        evidence=evidence,
        template=template,
        params=params,
    )


def quota(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], QuotaSummary]:
    """``over_quota`` findings, and headcount against quota in the summary."""
    facts = quota_facts(app)
    people = facts.people.astype(np.float64)
    q, known = facts.quota, facts.known
    rows = facts.over(config.quota_tolerance)
    excess = people[rows] - q[rows]
    with np.errstate(divide="ignore"):
        ratio = np.where(q[rows] > 0, excess / np.maximum(q[rows], 1e-300), np.inf)
    severity = _severity(ratio, 0.2, 0.05, below=False)
    score = np.where(np.isfinite(ratio), ratio, excess)
    findings = []
    for i in select(severity, score, config.max_findings_per_kind).tolist():
        r = int(rows[i])
        findings.append(
            make_finding(
                "over_quota",
                SEVERITY_NAMES[severity[i]],
                float(score[i]),
                units=(str(app.units.id[r]),),
                evidence={"people": float(people[r]), "quota": float(q[r]), "excess": float(excess[i])},
                template="over_quota",
                params={
                    "name": unit_label(app, r),
                    "people": int(people[r]),
                    "quota": int(q[r]) if float(q[r]).is_integer() else float(q[r]),
                    "excess": int(excess[i]) if float(excess[i]).is_integer() else float(excess[i]),
                    "ratio": float(people[r] / q[r]) if q[r] > 0 else float("inf"),
                },
            )
        )
    summary = QuotaSummary(
        headcount=int(people.sum()),
        quota=float(q[known].sum()),
        headcount_in_units_with_quota=int(people[known].sum()),
        units_with_quota=int(known.sum()),
        units_over_quota=len(rows),
        people_over_quota=float(excess.sum()),
    )
    return [batch("over_quota", severity, findings)], summary
