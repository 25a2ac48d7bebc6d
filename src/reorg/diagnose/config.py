"""The thresholds of a diagnosis, with documented defaults, checked on construction, loadable from TOML.

docs/diagnosis.md explains each threshold and the severity rules that use it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.errors import InputError
from reorg.tomlfile import read_toml

__all__ = ["STAFFING_METRICS", "DiagnosisConfig"]

#: the staffing ratios: people per led task, per 10,000 inhabitants, per 100 km² of the jurisdiction
STAFFING_METRICS = ("per_led_task", "per_10k_population", "per_100_km2")


@dataclasses.dataclass(frozen=True)
class DiagnosisConfig:
    """Thresholds for ``reorg.diagnose.diagnose``; every field has a sensible default.

    Overlap: two units are similar when their jurisdictions overlap (same place, or one contains the
    other), they share at least ``overlap_min_shared`` tasks and either the Jaccard similarity of their
    task portfolios (lead and support) is at least ``overlap_threshold`` or, for two units of one level
    acting for the same place, their containment (shared tasks / the smaller portfolio) is at least
    ``overlap_containment``; a pair's similarity is the larger of the two, and ``overlap_high`` and
    above is high severity. A task held by more than ``overlap_max_holders`` units acting for the same
    place is generic there (internal administration, say) and is left out of the comparison.

    Layers: ``depth_norm`` is the expected depth of the leaves (edges from the root; None = the modal
    depth of the leaves). A unit with one subordinate is an intermediary; a span from 2 up to
    ``span_narrow - 1`` is narrow, a span above ``span_wide`` is wide. ``span_limits`` overrides both per
    level name: ``{"commune": (2, 40)}``.

    Staffing: per level, units whose people per led task, per 10,000 inhabitants or per 100 km² of their
    jurisdiction lie more than ``robust_z`` robust standard scores (median / MAD, on a log scale) from
    the level's median and at least ``staffing_min_ratio`` times above it (or that many times below);
    levels with fewer than ``staffing_min_units`` scored units are not scored, nor units with fewer than
    ``staffing_min_people`` people (ratios of a handful of people say little). ``staffing_metrics``
    chooses among those three ratios (e.g. leave out area where cities and mountains mix).

    Standards: a unit is below standard when its area or population is under ``standard_share`` of its
    level's minimum; with ``standard_rule = "both"``, only when both are (where the level has both
    minimums): e.g. share 0.7 and rule "both" for an arrangement rule of "under 70 % of both".

    Quota: headcount above ``quota * (1 + quota_tolerance)`` is over quota.

    Decentralisation: a task is a level mismatch when it is led at another level than the modal level
    of the tasks of its field (or, without a field, its parent task), among at least
    ``mismatch_min_tasks`` led tasks of which at least ``mismatch_min_share`` are led at that level.

    Report: at most ``max_findings_per_kind`` findings of each kind are built (0 = all); the summary
    keeps exact counts. ``max_ids_per_finding`` caps the ids listed in one finding.
    """

    overlap_threshold: float = 0.5
    overlap_min_shared: int = 3
    overlap_high: float = 0.8
    overlap_containment: float = 0.8
    overlap_max_holders: int = 50
    depth_norm: int | None = None
    span_narrow: int = 3
    span_wide: int = 15
    span_limits: Mapping[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    robust_z: float = 3.5
    staffing_metrics: tuple[str, ...] = STAFFING_METRICS
    staffing_min_ratio: float = 1.5
    staffing_min_units: int = 8
    staffing_min_people: int = 5
    quota_tolerance: float = 0.0
    standard_share: float = 1.0
    standard_rule: str = "either"
    mismatch_min_tasks: int = 4
    mismatch_min_share: float = 0.6
    max_findings_per_kind: int = 100
    max_ids_per_finding: int = 25

    def __post_init__(self) -> None:
        def need(ok: bool, what: str) -> None:
            if not ok:
                raise ValueError(f"DiagnosisConfig: {what}")

        need(0.0 < self.overlap_threshold <= 1.0, "overlap_threshold must be in (0, 1]")
        need(self.overlap_threshold <= self.overlap_high <= 1.0, "overlap_high must be in [threshold, 1]")
        need(0.0 < self.overlap_containment <= 1.0, "overlap_containment must be in (0, 1]")
        need(self.overlap_min_shared >= 1, "overlap_min_shared must be at least 1")
        need(self.overlap_max_holders >= 2, "overlap_max_holders must be at least 2")
        need(self.depth_norm is None or self.depth_norm >= 0, "depth_norm must be None or >= 0")
        need(
            1 <= self.span_narrow <= self.span_wide, "span limits must satisfy 1 <= span_narrow <= span_wide"
        )
        limits = {}
        for level, pair in self.span_limits.items():
            narrow, wide = (int(x) for x in pair)
            need(1 <= narrow <= wide, f"span_limits[{level!r}] must satisfy 1 <= narrow <= wide")
            limits[str(level)] = (narrow, wide)
        object.__setattr__(self, "span_limits", limits)
        need(math.isfinite(self.robust_z) and self.robust_z > 0, "robust_z must be positive")
        need(
            math.isfinite(self.staffing_min_ratio) and self.staffing_min_ratio >= 1,
            "staffing_min_ratio must be at least 1",
        )
        metrics = tuple(self.staffing_metrics)
        need(set(metrics) <= set(STAFFING_METRICS), f"staffing_metrics must be among {STAFFING_METRICS}")
        object.__setattr__(self, "staffing_metrics", metrics)
        need(0 < self.standard_share <= 1, "standard_share must be in (0, 1]")
        need(self.standard_rule in ("either", "both"), "standard_rule must be 'either' or 'both'")
        need(self.staffing_min_people >= 1, "staffing_min_people must be at least 1")
        need(self.staffing_min_units >= 3, "staffing_min_units must be at least 3")
        need(
            math.isfinite(self.quota_tolerance) and self.quota_tolerance >= 0, "quota_tolerance must be >= 0"
        )
        need(self.mismatch_min_tasks >= 2, "mismatch_min_tasks must be at least 2")
        need(0.5 <= self.mismatch_min_share <= 1.0, "mismatch_min_share must be in [0.5, 1]")
        need(self.max_findings_per_kind >= 0, "max_findings_per_kind must be >= 0")
        need(self.max_ids_per_finding >= 1, "max_ids_per_finding must be at least 1")

    def spans(self, level: str) -> tuple[int, int]:
        """(narrow, wide) span limits of a level."""
        return self.span_limits.get(level, (self.span_narrow, self.span_wide))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "config") -> DiagnosisConfig:
        """A config from a mapping (e.g. a parsed TOML table); unknown keys and bad values raise
        InputError naming ``source`` and the key."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for key in data:
            if key not in fields:
                raise InputError(source, f"one of the keys {', '.join(sorted(fields))}", field=str(key))
        values = dict(data)
        if "span_limits" in values:
            raw = values["span_limits"]
            if not isinstance(raw, Mapping) or not all(isinstance(v, list) for v in raw.values()):
                raise InputError(source, "a table of level = [narrow, wide]", field="span_limits")
            values["span_limits"] = {str(k): tuple(v) for k, v in raw.items()}
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise InputError(source, str(exc)) from None

    @classmethod
    def from_toml(cls, path: str | Path) -> DiagnosisConfig:
        """A config from a TOML file: top-level keys, or a ``[diagnose]`` table, named as the fields."""
        return cls.from_mapping(read_toml(path, "diagnosis config", table="diagnose"), source=str(path))
