"""Staffing outliers and idle units.

Staffing is compared within a level, on three ratios of a unit's own people: per task it leads, per
10,000 inhabitants and per 100 km² of its jurisdiction (an agency is measured against the territory it
acts for). Ratios are compared on a log scale (they are multiplicative) with robust standard scores
(median / MAD), so a few outliers do not hide one another. A unit is reported once, on the ratio where
it stands out most; the other ratios on which it stands out are in the evidence.

An idle unit holds no duty, as lead or support, and neither does any unit below it: only the topmost
unit of such a subtree is reported. Idle units are not looked for in an apparatus with no duties at all.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, robust_z, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import METRIC_WORDS, Batch, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["idle", "staffing"]

FloatArray = npt.NDArray[np.float64]


def _ratios(app: Apparatus) -> dict[str, FloatArray]:
    """Per unit and metric, people per denominator (NaN where the denominator is unknown or zero)."""
    people = app.headcount.astype(np.float64)
    led = np.diff(app.lead_matrix.indptr).astype(np.float64)
    jur = app.jurisdiction
    pop = np.where(jur >= 0, app.units.population[np.maximum(jur, 0)], np.nan)
    area = np.where(jur >= 0, app.units.area_km2[np.maximum(jur, 0)], np.nan)
    out = {}
    for metric, denominator in (
        ("per_led_task", led),
        ("per_10k_population", pop / 1e4),
        ("per_100_km2", area / 100),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            out[metric] = np.where(denominator > 0, people / denominator, np.nan)
    return out


def staffing(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``staffing_outlier`` findings, and how many units each level had scored."""
    staffed = app.headcount > 0
    level = app.units.level.astype(np.int64)
    n = len(app.units)
    best_z = np.zeros(n)
    best_metric = np.full(n, -1)
    zs, medians = {}, {}
    scored_levels: dict[str, int] = {}
    for k, (metric, ratio) in enumerate(_ratios(app).items()):
        valid = staffed & np.isfinite(ratio)
        per_level = np.bincount(level[valid], minlength=len(app.levels))
        valid &= per_level[level] >= config.staffing_min_units
        rows = np.flatnonzero(valid)
        z = np.zeros(n)
        z[rows] = robust_z(np.log(ratio[rows]), level[rows])
        med = np.full(len(app.levels), np.nan)
        for lv in np.unique(level[rows]).tolist():
            med[lv] = float(np.median(ratio[rows][level[rows] == lv]))
        zs[metric], medians[metric] = (z, ratio), med
        better = np.abs(z) > np.abs(best_z)
        best_z[better], best_metric[better] = z[better], k
        scored_levels.update(
            {str(app.levels.name[lv]): int(per_level[lv]) for lv in np.unique(level[rows]).tolist()}
        )
    rows = np.flatnonzero(np.abs(best_z) > config.robust_z)
    z = best_z[rows]
    strong = np.abs(z) >= 2 * config.robust_z
    severity = np.where(z > 0, np.where(strong, HIGH, MEDIUM), np.where(strong, MEDIUM, LOW)).astype(np.int8)
    metrics = list(zs)
    findings = []
    for i in select(severity, np.abs(z), config.max_findings_per_kind).tolist():
        r = int(rows[i])
        metric = metrics[int(best_metric[r])]
        lv = int(level[r])
        value, median = float(zs[metric][1][r]), float(medians[metric][lv])
        evidence: dict[str, float] = {"people": int(app.headcount[r])}
        for m in metrics:
            zm, ratio = zs[m]
            if abs(zm[r]) > config.robust_z:
                evidence.update(
                    {m: float(ratio[r]), f"{m}_level_median": float(medians[m][lv]), f"{m}_z": float(zm[r])}
                )
        findings.append(
            make_finding(
                "staffing_outlier",
                SEVERITY_NAMES[severity[i]],  # type: ignore[arg-type]
                float(abs(z[i])),
                units=(str(app.units.id[r]),),
                evidence=evidence,
                template="staffing_outlier.high" if z[i] > 0 else "staffing_outlier.low",
                params={
                    "name": unit_label(app, r),
                    "value": value,
                    "metric": METRIC_WORDS[metric],
                    "ratio": value / median,
                    "level": str(app.levels.name[lv]),
                    "median": median,
                    "z": float(z[i]),
                },
            )
        )
    return [batch("staffing_outlier", severity, findings)], {"staffing_scored_units": scored_levels}


def idle(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], dict[str, object]]:
    """``idle_unit`` findings: topmost units of subtrees without any duty."""
    n = len(app.units)
    if len(app.duties) == 0:
        return [batch("idle_unit", np.zeros(0, np.int8), [])], {"idle_units": None}
    tin, tout = app.euler
    holds = np.zeros(n, dtype=bool)
    holds[app.duties.unit] = True
    pre = app.preorder
    prefix = np.concatenate([[0], np.cumsum(holds[pre])])
    people_prefix = np.concatenate([[0], np.cumsum(app.headcount[pre].astype(np.int64))])
    reach = tin >= 0
    busy = np.zeros(n, dtype=np.int64)
    busy[reach] = prefix[tout[reach]] - prefix[tin[reach]]
    empty = reach & (busy == 0)
    parent = app.units.parent
    top = empty & ~np.where(parent >= 0, empty[np.maximum(parent, 0)], False)
    rows = np.flatnonzero(top)
    below = (tout[rows] - tin[rows] - 1).astype(np.int64)
    people = people_prefix[tout[rows]] - people_prefix[tin[rows]]
    severity = np.where(people > 0, HIGH, MEDIUM).astype(np.int8)
    findings = []
    for i in select(severity, people + below / max(n, 1), config.max_findings_per_kind).tolist():
        r = int(rows[i])
        findings.append(
            make_finding(
                "idle_unit",
                SEVERITY_NAMES[severity[i]],  # type: ignore[arg-type]
                float(people[i]),
                units=(str(app.units.id[r]),),
                evidence={"people": int(people[i]), "units_below": int(below[i])},
                template="idle_unit.one" if below[i] == 0 else "idle_unit.subtree",
                params={
                    "name": unit_label(app, r),
                    "level": str(app.levels.name[app.units.level[r]]),
                    "people": int(people[i]),
                    "below": int(below[i]),
                },
            )
        )
    return [batch("idle_unit", severity, findings)], {"idle_units": int(empty.sum())}
