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
from reorg.diagnose.summary import IdleSummary, StaffingSummary
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


def _scores(app: Apparatus, config: DiagnosisConfig) -> tuple[dict[str, FloatArray], dict[str, int]]:
    """Per metric, an (n_units, 3) array of ratio, level median and robust z (NaN where not scored);
    and the number of units scored per level."""
    staffed = app.headcount >= config.staffing_min_people
    level = app.units.level.astype(np.int64)
    out: dict[str, FloatArray] = {}
    scored: dict[str, int] = {}
    for metric, ratio in _ratios(app).items():
        if metric not in config.staffing_metrics:
            continue
        valid = staffed & np.isfinite(ratio)
        per_level = np.bincount(level[valid], minlength=len(app.levels))
        valid &= per_level[level] >= config.staffing_min_units
        rows = np.flatnonzero(valid)
        table = np.full((len(level), 3), np.nan)
        z, centre = robust_z(np.log(ratio[rows]), level[rows])
        table[rows] = np.stack([ratio[rows], np.exp(centre), z], axis=1)
        out[metric] = table
        for lv in np.unique(level[rows]).tolist():
            scored[str(app.levels.name[lv])] = int(per_level[lv])
    return out, scored


def staffing(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], StaffingSummary]:
    """``staffing_outlier`` findings: units more than ``robust_z`` robust scores and at least
    ``staffing_min_ratio`` times (or at most its inverse) away from their level's median on some ratio;
    severity high for overstaffing at twice the z threshold, medium for other overstaffing and strong
    understaffing, low for mild understaffing."""
    scores, scored = _scores(app, config)
    metrics = list(scores)
    n = len(app.units)
    best_z = np.zeros(n)
    best = np.full(n, -1)
    flags = {}
    for k, metric in enumerate(metrics):
        ratio, median, z = scores[metric].T
        with np.errstate(invalid="ignore", divide="ignore"):
            far = np.abs(np.log(ratio / median)) >= np.log(config.staffing_min_ratio)
        flag = (np.abs(z) > config.robust_z) & far
        flags[metric] = flag
        better = flag & (np.abs(z) > np.abs(best_z))
        best_z[better], best[better] = z[better], k
    rows = np.flatnonzero(best >= 0)
    z = best_z[rows]
    strong = np.abs(z) >= 2 * config.robust_z
    severity = np.where(z > 0, np.where(strong, HIGH, MEDIUM), np.where(strong, MEDIUM, LOW)).astype(np.int8)
    findings = []
    for i in select(severity, np.abs(z), config.max_findings_per_kind).tolist():
        r = int(rows[i])
        metric = metrics[int(best[r])]
        value, median, _ = scores[metric][r].tolist()
        evidence: dict[str, float] = {"people": int(app.headcount[r])}
        for m in metrics:
            if flags[m][r]:
                ratio_m, median_m, z_m = scores[m][r].tolist()
                evidence.update({m: ratio_m, f"{m}_level_median": median_m, f"{m}_z": z_m})
        findings.append(
            make_finding(
                "staffing_outlier",
                SEVERITY_NAMES[severity[i]],
                float(abs(z[i])),
                units=(str(app.units.id[r]),),
                evidence=evidence,
                template="staffing_outlier.high" if z[i] > 0 else "staffing_outlier.low",
                params={
                    "name": unit_label(app, r),
                    "value": value,
                    "metric": METRIC_WORDS[metric],
                    "ratio": value / median,
                    "level": str(app.levels.name[app.units.level[r]]),
                    "median": median,
                    "z": float(z[i]),
                },
            )
        )
    return [batch("staffing_outlier", severity, findings)], StaffingSummary(scored)


def idle(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], IdleSummary]:
    """``idle_unit`` findings: topmost units of subtrees without any duty."""
    n = len(app.units)
    if len(app.duties) == 0:
        return [batch("idle_unit", np.zeros(0, np.int8), [])], IdleSummary(None)
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
                SEVERITY_NAMES[severity[i]],
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
    return [batch("idle_unit", severity, findings)], IdleSummary(int(empty.sum()))
