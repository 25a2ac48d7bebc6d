"""The rules of an evaluation, with documented defaults, checked on construction, loadable from TOML.

docs/people.md explains the score, the levels, the cap on "excellent", the ties and the lists.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.tomlfile import dataclass_from_mapping, read_toml

__all__ = ["LEVELS", "EvaluationConfig"]

#: the four rating levels, best first (Decree 90/2020/ND-CP; Decree 335/2025/ND-CP)
LEVELS = ("excellent", "good", "completed", "not_completed")


@dataclasses.dataclass(frozen=True)
class EvaluationConfig:
    """How results become ratings (``reorg.people.evaluate``).

    Score (points, 0-100 with the default cap): per person and period, ``100 x sum(w x a) / sum(w)`` over
    the person's indicators, where ``a = min(actual / target, achievement_cap)`` (more is better) and a
    target of 0 counts as met (``a = 1``); a weight left empty counts 1.

    Levels: score >= ``excellent_min`` is excellent (if at least ``excellent_min_exceeded`` of the
    weight is on indicators whose actual exceeds the target), >= ``good_min`` good, >= ``completed_min``
    completed, else not completed. Defaults: the KPI thresholds of Decree 335/2025/ND-CP (>= 90, 70-<90,
    50-<70; reference §5, [S]). Regulation 366-QĐ/TW also asks >= 30 % of tasks exceeded for excellent:
    set ``excellent_min_exceeded = 0.3``.

    Cap: in each unit, at most ``floor(excellent_cap x people rated in the unit)`` are excellent (20 %
    by default: Regulation 124-QĐ/TW via Decree 48/2023, reference §5; whether Regulation 366 keeps it is
    [U]); those over it are rated good. Ties, for the cap and for every ranking: higher score, then higher
    exceeded weight share, then person id (text order); scores and shares are compared rounded to 1e-6.

    Periods: sorted as text (``2024`` < ``2025``, ``2025-Q1`` < ``2025-Q2``); ``period`` is the one
    evaluated (None = the latest). Screening lists those rated not completed in each of the last
    ``screen_consecutive`` periods up to it, and the bottom ``screen_bottom_share`` of each level's ranking;
    the talent pool is the top ``talent_share`` of each level's ranking, rated good or excellent.

    ``names`` are the level names used in output; ``labels`` their long titles (Vietnamese by default).
    """

    period: str | None = None
    achievement_cap: float = 1.0
    excellent_min: float = 90.0
    good_min: float = 70.0
    completed_min: float = 50.0
    excellent_min_exceeded: float = 0.0
    excellent_cap: float = 0.2
    screen_consecutive: int = 2
    screen_bottom_share: float = 0.05
    talent_share: float = 0.05
    names: tuple[str, str, str, str] = LEVELS
    labels: tuple[str, str, str, str] = (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    )

    def __post_init__(self) -> None:
        def need(ok: bool, what: str) -> None:
            if not ok:
                raise ValueError(f"EvaluationConfig: {what}")

        need(self.period is None or isinstance(self.period, str), "period must be a string or absent")
        need(
            math.isfinite(self.achievement_cap) and self.achievement_cap >= 1,
            "achievement_cap must be at least 1",
        )
        need(
            0 <= self.completed_min <= self.good_min <= self.excellent_min,
            "thresholds must satisfy 0 <= completed_min <= good_min <= excellent_min",
        )
        need(0 <= self.excellent_min_exceeded <= 1, "excellent_min_exceeded must be in [0, 1]")
        need(0 <= self.excellent_cap <= 1, "excellent_cap must be in [0, 1]")
        need(self.screen_consecutive >= 1, "screen_consecutive must be at least 1")
        need(0 <= self.screen_bottom_share <= 1, "screen_bottom_share must be in [0, 1]")
        need(0 <= self.talent_share <= 1, "talent_share must be in [0, 1]")
        for field in ("names", "labels"):
            value = tuple(getattr(self, field))
            need(len(value) == 4 and all(isinstance(v, str) and v for v in value), f"{field}: 4 texts")
            object.__setattr__(self, field, value)
        need(len(set(self.names)) == 4, "names must differ")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "config") -> EvaluationConfig:
        """A config from a mapping; unknown keys and bad values raise InputError naming ``source``."""
        return dataclass_from_mapping(cls, data, source=source)

    @classmethod
    def from_toml(cls, path: str | Path) -> EvaluationConfig:
        """A config from a TOML file: top-level keys, or an ``[evaluation]`` table."""
        return cls.from_mapping(read_toml(path, "evaluation config", table="evaluation"), source=str(path))
