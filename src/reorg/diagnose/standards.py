"""Units below the standards of their level, levels with too many units, and units over their quota.

Views of the facts behind the ``standards`` and ``quota`` invariants (``reorg.plan.rules``). Standards
(standards.csv) give per level a minimum area (km²), a minimum population (people) and a maximum number
of units; several rows for one level combine to the strictest. A unit is below standard when its area
or population (or, with ``standard_rule = "both"``, both) is under ``standard_share`` of the minimum;
a unit is over quota when its headcount exceeds ``quota * (1 + quota_tolerance)``. With the defaults
(share 1, rule "either", tolerance 0) the findings are exactly the invariants' violations. A unit
without a known area or population is not assessed on it. Severity of a shortfall: value below half the
minimum is high, below 80 % medium, else low; of a quota excess: more than 20 % over is high, more than
5 % medium.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, Severity, batch, make_finding, select
from reorg.diagnose.summary import QuotaSummary, StandardsSummary
from reorg.model import Apparatus
from reorg.plan.rules import quota_facts, standard_facts

__all__ = ["quota", "standards"]

FloatArray = npt.NDArray[np.float64]


def _severity(ratio: FloatArray, high: float, medium: float, *, below: bool) -> npt.NDArray[np.int8]:
    """Severity codes of ratios (value / standard) against two cut-offs."""
    if below:
        return np.where(ratio < high, HIGH, np.where(ratio < medium, MEDIUM, LOW)).astype(np.int8)
    return np.where(ratio > high, HIGH, np.where(ratio > medium, MEDIUM, LOW)).astype(np.int8)


def standards(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], StandardsSummary]:
    """``below_standard`` findings: units under their level's minimum area or population, and levels
    with more units than their maximum."""
    facts = standard_facts(app)
    min_area, min_pop, max_units, counts = facts.min_area, facts.min_population, facts.max_units, facts.counts
    level = facts.level
    with np.errstate(invalid="ignore", divide="ignore"):
        area_ratio = facts.area / min_area[level]
        pop_ratio = facts.population / min_pop[level]
    area_low = facts.area_low(config.standard_share)
    pop_low = facts.population_low(config.standard_share)
    rows = np.flatnonzero(facts.below(config.standard_share, config.standard_rule))
    worst = np.fmin(np.where(area_low, area_ratio, np.nan), np.where(pop_low, pop_ratio, np.nan))[rows]
    over_levels = facts.over_levels
    severity = np.concatenate(
        [_severity(worst, 0.5, 0.8, below=True), np.full(len(over_levels), MEDIUM, np.int8)]
    )
    cap, count = max_units[over_levels], counts[over_levels].astype(np.float64)
    excess = np.divide(count, cap, out=count.copy(), where=cap > 0) - np.where(cap > 0, 1, 0)  # cap 0: count
    score = np.concatenate([1 - worst, excess])
    findings: list[Finding] = []
    for i in select(severity, score, config.max_findings_per_kind).tolist():
        sev = SEVERITY_NAMES[severity[i]]
        if i >= len(rows):
            lv = int(over_levels[i - len(rows)])
            findings.append(
                make_finding(
                    "below_standard",
                    sev,
                    float(score[i]),
                    evidence={"units": int(counts[lv]), "max_units": float(max_units[lv])},
                    template="below_standard.max_units",
                    params={
                        "level": str(app.levels.name[lv]),
                        "count": int(counts[lv]),
                        "max_units": int(max_units[lv]),
                    },
                )
            )
            continue
        r = int(rows[i])
        findings.append(
            _unit_finding(
                app, r, sev, float(score[i]), bool(area_low[r]), bool(pop_low[r]), min_area, min_pop
            )
        )
    summary = StandardsSummary(
        units_assessed_against_standards=int(facts.assessed.sum()),
        units_below_standard=len(rows),
        levels_over_max_units=len(over_levels),
    )
    return [batch("below_standard", severity, findings)], summary


def _unit_finding(
    app: Apparatus,
    r: int,
    severity: Severity,
    score: float,
    area_low: bool,
    pop_low: bool,
    min_area: FloatArray,
    min_pop: FloatArray,
) -> Finding:
    """The below-standard finding of one unit."""
    lv = int(app.units.level[r])
    area, pop = float(app.units.area_km2[r]), float(app.units.population[r])
    evidence: dict[str, float] = {}
    params: dict[str, str | int | float] = {"name": unit_label(app, r), "level": str(app.levels.name[lv])}
    if area_low:
        evidence.update(area_km2=area, min_area_km2=float(min_area[lv]))
        params.update(area=area, min_area=float(min_area[lv]), ratio=area / float(min_area[lv]))
    if pop_low:
        evidence.update(population=pop, min_population=float(min_pop[lv]))
        params.update(population=pop, min_population=float(min_pop[lv]), ratio=pop / float(min_pop[lv]))
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
