"""Streams: a roadmap's steps grouped by the territorial tier they act in, with their dates.

A step's tier is that of its level: a territorial level (nation, province, district, commune) is its
own tier; an agency level (ministry, department, district office, a Party or Front committee) takes
the tier of the territorial units its units sit in, in the baseline (a department acts in a province,
a ministry for the nation). So the central stream is everything acting for the nation, the provincial
stream the provinces and their agencies, and so on. Streams run in parallel when their spans overlap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import numpy as np

from reorg.model import Apparatus
from reorg.roadmap.schedule import Schedule

__all__ = ["Stream", "level_tiers", "streams"]


@dataclasses.dataclass(frozen=True)
class Stream:
    """The steps acting in tier ``tier``: how many, from ``start`` to ``end`` (the first start and the
    last finish of its steps)."""

    tier: str
    steps: int
    start: dt.date
    end: dt.date

    def overlaps(self, other: Stream) -> bool:
        """Whether the two streams are under way at the same time on some day."""
        return max(self.start, other.start) < min(self.end, other.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "steps": self.steps,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def level_tiers(app: Apparatus) -> dict[str, str]:
    """Level name -> the territorial level its units act in (the most common, for a level whose units
    sit under different tiers): the level of each unit's jurisdiction (``Apparatus.jurisdiction``)."""
    units, levels = app.units, app.levels
    jur = app.jurisdiction
    tier = np.where(jur >= 0, units.level[np.maximum(jur, 0)], units.level)
    counts: dict[int, Counter[int]] = {}
    for lv, t in zip(units.level.tolist(), tier.tolist(), strict=True):
        counts.setdefault(int(lv), Counter())[int(t)] += 1
    names = [str(n) for n in levels.name.tolist()]
    return {names[lv]: names[c.most_common(1)[0][0]] for lv, c in counts.items()}


def streams(app: Apparatus, sched: Schedule) -> tuple[Stream, ...]:
    """The roadmap's streams by tier, by start date (a step of a level the baseline lacks is its own
    tier)."""
    tiers = level_tiers(app)
    span: dict[str, tuple[int, int, int]] = {}
    for i, s in enumerate(sched.roadmap.steps):
        t = tiers.get(s.level, s.level)
        lo, hi, n = span.get(t, (int(sched.es[i]), int(sched.ef[i]), 0))
        span[t] = (min(lo, int(sched.es[i])), max(hi, int(sched.ef[i])), n + 1)
    out = [Stream(t, n, sched.date(lo), sched.date(hi)) for t, (lo, hi, n) in span.items()]
    return tuple(sorted(out, key=lambda s: (s.start, s.tier)))
