"""Units below the standards of their level, levels with too many units, and units over their quota.

Standards (standards.csv) give per level a minimum area (km²), a minimum population (people) and a
maximum number of units; several rows for one level combine to the strictest. A unit is below standard
when its area or population (or, with ``standard_rule = "both"``, both) is under ``standard_share`` of
the minimum. A unit without a known area or population is not assessed on it. Severity of a shortfall:
value below half the minimum is high, below 80 % medium, else low; of a quota excess: more than 20 %
over is high, more than 5 % medium.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import Batch, Finding, Severity, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["quota", "standards"]

FloatArray = npt.NDArray[np.float64]


def _strictest(app: Apparatus) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per level: the largest minimum area and population, and the smallest maximum count (NaN = none)."""
    n = len(app.levels)
    min_area, min_pop, max_units = (np.full(n, np.nan) for _ in range(3))
    st = app.standards
    for col, out, pick in (
        (st.min_area_km2, min_area, np.fmax),
        (st.min_population, min_pop, np.fmax),
        (st.max_units, max_units, np.fmin),
    ):
        for lv, value in zip(st.level.tolist(), col.tolist(), strict=True):
            out[lv] = pick(out[lv], value)
    return min_area, min_pop, max_units


def _severity(ratio: FloatArray, high: float, medium: float, *, below: bool) -> npt.NDArray[np.int8]:
    """Severity codes of ratios (value / standard) against two cut-offs."""
    if below:
        return np.where(ratio < high, HIGH, np.where(ratio < medium, MEDIUM, LOW)).astype(np.int8)
    return np.where(ratio > high, HIGH, np.where(ratio > medium, MEDIUM, LOW)).astype(np.int8)


def standards(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``below_standard`` findings: units under their level's minimum area or population, and levels
    with more units than their maximum."""
    min_area, min_pop, max_units = _strictest(app)
    units = app.units
    level = units.level
    with np.errstate(invalid="ignore", divide="ignore"):
        area_ratio = units.area_km2 / min_area[level]
        pop_ratio = units.population / min_pop[level]
    area_low = area_ratio < config.standard_share  # NaN (unknown or no standard) compares False
    pop_low = pop_ratio < config.standard_share
    if config.standard_rule == "both":
        need_area, need_pop = np.isfinite(min_area[level]), np.isfinite(min_pop[level])
        below = (area_low | ~need_area) & (pop_low | ~need_pop) & (area_low | pop_low)
    else:
        below = area_low | pop_low
    rows = np.flatnonzero(below)
    worst = np.fmin(np.where(area_low, area_ratio, np.nan), np.where(pop_low, pop_ratio, np.nan))[rows]
    counts = np.bincount(level, minlength=len(app.levels))
    over_levels = np.flatnonzero(counts > max_units)  # NaN compares False
    severity = np.concatenate(
        [_severity(worst, 0.5, 0.8, below=True), np.full(len(over_levels), MEDIUM, np.int8)]
    )
    score = np.concatenate([1 - worst, counts[over_levels] / max_units[over_levels] - 1])
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
    assessed = np.isfinite(min_area[level]) | np.isfinite(min_pop[level])
    summary: dict[str, object] = {
        "units_assessed_against_standards": int(assessed.sum()),
        "units_below_standard": len(rows),
        "levels_over_max_units": len(over_levels),
    }
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


def quota(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``over_quota`` findings, and headcount against quota in the summary."""
    people = app.headcount.astype(np.float64)
    q = app.units.quota
    known = np.isfinite(q)
    rows = np.flatnonzero(known & (people > q * (1 + config.quota_tolerance)))
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
    summary: dict[str, object] = {
        "headcount": int(people.sum()),
        "quota": float(q[known].sum()),
        "headcount_in_units_with_quota": int(people[known].sum()),
        "units_with_quota": int(known.sum()),
        "units_over_quota": len(rows),
        "people_over_quota": float(excess.sum()),
    }
    return [batch("over_quota", severity, findings)], summary
