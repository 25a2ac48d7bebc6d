"""The figures of the report's last three sections: the roadmap and its continuity, the consultation
rounds, and the monitoring status of a plan, as plain data read by the page, the workbook and the
demo's summary page alike.

Computed once by the use case (``reorg.services.report_tracking``) from what the store holds: a
section whose capability has not been used on the plan (no roadmap built, no round opened, no progress
reported) is None or empty, and the renderers say so. Long lists are cut here, with their exact
counts kept, so that every renderer shows the same rows. Nothing personal is kept: consultation
results are aggregates only (no comments, no authors, no ballots).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

__all__ = [
    "BreakLine",
    "DeviationLine",
    "GanttRow",
    "GroupLine",
    "ItemLine",
    "MilestoneLine",
    "MonitoringFigures",
    "OpinionLine",
    "PracticeLine",
    "RoadmapFigures",
    "RollupLine",
    "RoundFigures",
    "RoundResults",
]


@dataclasses.dataclass(frozen=True)
class GanttRow:
    """One level's stream of steps: how many, from the first start to the last finish (days from the
    roadmap's start), and the spans (first day, end day) where its critical steps run, merged."""

    level: str
    steps: int
    start: int
    end: int
    critical: tuple[tuple[int, int], ...]


@dataclasses.dataclass(frozen=True)
class MilestoneLine:
    """All ``steps`` of ``level`` done by ``date`` (``level`` empty: steps without a level), or, when
    ``whole``, all steps of the roadmap."""

    level: str
    date: dt.date
    steps: int
    whole: bool = False


@dataclasses.dataclass(frozen=True)
class BreakLine:
    """The first step boundary where continuity breaks: the step, its date, the rule, the sentence
    (``template`` and ``params`` for any language, ``english`` the core's), the tasks and places it
    names, and the fix proposed: ``fix`` "reorder" (``step`` after ``fix_after``), "bridge"
    (``fix_unit`` keeps leading ``fix_task`` in ``fix_places`` until ``fix_after`` is done) or ""
    (none found)."""

    step: str
    date: dt.date
    invariant: str
    template: str
    params: Mapping[str, Any]
    english: str
    ids: tuple[str, ...]
    fix: str = ""
    fix_after: str = ""
    fix_task: str = ""
    fix_places: tuple[str, ...] = ()
    fix_unit: str = ""


@dataclasses.dataclass(frozen=True)
class RoadmapFigures:
    """The newest stored roadmap of the plan (``version``, laid out on plan version ``plan_version``):
    its steps, dates and length (days), the critical path (the first ``len(critical_path)`` of
    ``critical_total`` steps, by start), milestones, the Gantt rows of its levels, top first
    (``levels_left_out`` lower levels not drawn) and the continuity check: ``boundaries`` checked,
    ``breaks`` found, the first of them."""

    version: int
    plan_version: int
    steps: int
    start: dt.date
    end: dt.date
    days: int
    critical_path: tuple[str, ...]
    critical_total: int
    milestones: tuple[MilestoneLine, ...]
    gantt: tuple[GanttRow, ...]
    levels_left_out: int
    boundaries: int
    breaks: int
    first_break: BreakLine | None

    @property
    def continuous(self) -> bool:
        """Does continuity hold at every step boundary?"""
        return self.breaks == 0

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for key in ("start", "end"):
            out[key] = out[key].isoformat()
        out["milestones"] = [{**m, "date": m["date"].isoformat()} for m in out["milestones"]]
        if self.first_break is not None:
            out["first_break"]["date"] = self.first_break.date.isoformat()
            out["first_break"]["params"] = dict(self.first_break.params)
        return out


@dataclasses.dataclass(frozen=True)
class RollupLine:
    """Steps of a level (``group``; "" = all levels): how many, how many done, the share done and the
    share the schedule expects by then (0..1, weighted by duration)."""

    group: str
    steps: int
    done: int
    share: float
    expected: float


@dataclasses.dataclass(frozen=True)
class DeviationLine:
    """A deviation of kind ``kind`` of step ``step`` ("" for a unit that stopped reporting) owned by
    ``unit``, with the figures that show it (name, value)."""

    kind: str
    step: str
    unit: str
    evidence: tuple[tuple[str, str | float], ...]


@dataclasses.dataclass(frozen=True)
class PracticeLine:
    """A good practice: step ``step`` of ``unit``, ``share`` done where ``expected`` was planned,
    ``days`` ahead of plan."""

    step: str
    unit: str
    share: float
    expected: float
    days: int


@dataclasses.dataclass(frozen=True)
class MonitoringFigures:
    """The monitoring status on ``as_of`` (the latest report's date): ``reports`` stored by then, of
    them ``synthetic_reports`` from a generated history; the roll-up overall and per level; the first
    deviations and good practices, with their exact totals (deviations also per kind)."""

    as_of: dt.date
    reports: int
    synthetic_reports: int
    overall: RollupLine
    by_level: tuple[RollupLine, ...]
    deviations: tuple[DeviationLine, ...]
    deviations_total: int
    deviations_by_kind: tuple[tuple[str, int], ...]
    good_practices: tuple[PracticeLine, ...]
    good_practices_total: int

    @property
    def synthetic(self) -> bool:
        """Do the figures rest on a synthetic progress history?"""
        return self.synthetic_reports > 0

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["as_of"] = self.as_of.isoformat()
        out["synthetic"] = self.synthetic
        out["deviations"] = [{**d, "evidence": dict(d["evidence"])} for d in out["deviations"]]
        out["deviations_by_kind"] = dict(self.deviations_by_kind)
        return out


@dataclasses.dataclass(frozen=True)
class GroupLine:
    """One group of a round, over every item: its weight, the counted agree, disagree and abstain
    answers, its agree share among those taking a side, and its mean rating 1–5 over the items it
    rated (None: none)."""

    group: str
    weight: float
    agree: int
    disagree: int
    abstain: int
    share: float | None
    rating: float | None


@dataclasses.dataclass(frozen=True)
class ItemLine:
    """One item of a round (an operation's position, −1 = the whole plan; ``label`` the operation as
    data): agree + disagree votes, the weighted agree share, the consensus |2·share − 1| and the
    weighted mean rating (None: nobody took a side / rated)."""

    item: int
    label: str
    votes: int
    share: float | None
    consensus: float | None
    rating: float | None


@dataclasses.dataclass(frozen=True)
class OpinionLine:
    """An opinion group: its number, how many ballots, and the items it agrees and disagrees on (most
    distinctive first; item, label)."""

    number: int
    size: int
    agrees: tuple[tuple[int, str], ...]
    disagrees: tuple[tuple[int, str], ...]


@dataclasses.dataclass(frozen=True)
class RoundResults:
    """A round's results as aggregates: ballots, answers counted and late, how many comments (never
    their text), per group, per item (the first answered ones, ``items_total`` in all), the most
    contested items, the opinion groups and what all of them share, and the silhouette of the
    clustering (None: too few ballots)."""

    frozen: bool
    ballots: int
    counted: int
    late: int
    comments: int
    groups: tuple[GroupLine, ...]
    items: tuple[ItemLine, ...]
    items_total: int
    contested: tuple[ItemLine, ...]
    opinion_groups: tuple[OpinionLine, ...]
    shared_agree: tuple[tuple[int, str], ...]
    shared_disagree: tuple[tuple[int, str], ...]
    silhouette: float | None


@dataclasses.dataclass(frozen=True)
class RoundFigures:
    """A consultation round on the plan (version ``plan_version``): its question, ``state`` (open or
    closed), deadline (UTC), anonymity, how many were invited and how many of them answered, and its
    results (None while open, for a reader who may not see live results)."""

    number: int
    plan_version: int
    question: str
    state: str
    deadline: dt.datetime
    anonymous: bool
    invited: int
    answered: int
    results: RoundResults | None

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["deadline"] = self.deadline.isoformat()
        return out
