"""Use case parts of the summary report: the roadmap and its continuity, the consultation rounds and the
monitoring status of a plan, read from the store as figures (``reorg.report.tracking``).

Each is computed by the use cases that own it (``reorg.services.roadmaps``, ``reorg.services.consult``)
and only summarized here, for the report (``reorg.services.report``) and the demo's summary page alike.
Who may read them is asked of those use cases; the report itself needs ``read_national``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from reorg.model import Apparatus
from reorg.progress import Progress
from reorg.report.tracking import (
    BreakLine,
    DeviationLine,
    GanttRow,
    GroupLine,
    ItemLine,
    MilestoneLine,
    MonitoringFigures,
    OpinionLine,
    PracticeLine,
    RoadmapFigures,
    RollupLine,
    RoundFigures,
    RoundResults,
)
from reorg.roadmap.history import NOTE as SYNTHETIC_NOTE
from reorg.roadmap.monitor import Rollup
from reorg.services import access, consult, roadmaps
from reorg.services.consult_results import ItemResult, Results
from reorg.store import ConsultationRecord, UnitOfWork

__all__ = [
    "CRITICAL_SHOWN",
    "DEVIATIONS_SHOWN",
    "GANTT_LEVELS",
    "ITEMS_SHOWN",
    "consultation_figures",
    "monitoring_figures",
    "roadmap_figures",
]

#: levels drawn in the Gantt chart, from the top (a row each: every level of a national apparatus)
GANTT_LEVELS = 16
#: critical steps listed by name (the count is always exact)
CRITICAL_SHOWN = 30
#: deviations and good practices listed one by one (the counts are always exact)
DEVIATIONS_SHOWN = 40
#: items of a round listed with their consensus, and most contested ones
ITEMS_SHOWN, CONTESTED_SHOWN = 50, 10


def _merged(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Day spans (first day, end day) merged where they touch or overlap, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _rows(bars: Iterable[Mapping[str, object]], start: dt.date) -> list[GanttRow]:
    """One Gantt row per level: its steps' first start to last finish, its critical spans."""
    by_level: dict[str, list[tuple[int, int, bool]]] = {}
    for b in bars:
        s = (dt.date.fromisoformat(str(b["start"])) - start).days
        e = (dt.date.fromisoformat(str(b["end"])) - start).days
        by_level.setdefault(str(b["level"]), []).append((s, e, bool(b["critical"])))
    return [
        GanttRow(
            level,
            len(spans),
            min(s for s, _, _ in spans),
            max(e for _, e, _ in spans),
            _merged((s, e) for s, e, c in spans if c),
        )
        for level, spans in by_level.items()
    ]


def roadmap_figures(
    uow: UnitOfWork,
    *,
    plan: str,
    app: Apparatus,
    viewer: access.Principal | None = None,
    progress: Progress | None = None,
) -> RoadmapFigures | None:
    """The newest stored roadmap of ``plan`` (on the baseline ``app``, which ranks its levels), its
    continuity and the Gantt rows of its top ``GANTT_LEVELS`` levels; None when none was built."""
    if not uow.roadmaps.exists(plan=plan):
        return None
    record = uow.roadmaps.get(plan=plan)
    view = roadmaps.show_roadmap(uow, plan=plan, viewer=viewer, bars=max(record.steps, 1), progress=progress)
    levels = app.levels
    rank = {str(levels.name[i]): int(levels.rank[i]) for i in range(len(levels))}
    rows = sorted(
        _rows(view.gantt, view.start), key=lambda r: (rank.get(r.level, len(rank)), r.start, r.level)
    )
    c = view.continuity
    first = c.first
    line = None
    if first is not None:
        fix = first.fix
        line = BreakLine(
            first.step,
            first.date,
            first.invariant,
            first.template,
            dict(first.params),
            first.message,
            tuple(first.ids),
            fix.kind if fix else "",
            fix.after if fix else "",
            fix.task if fix else "",
            tuple(fix.places) if fix else (),
            fix.unit if fix else "",
        )
    return RoadmapFigures(
        version=record.version,
        plan_version=record.plan_version,
        steps=record.steps,
        start=view.start,
        end=view.end,
        days=view.days,
        critical_path=view.critical_path[:CRITICAL_SHOWN],
        critical_total=len(view.critical_path),
        milestones=tuple(
            MilestoneLine(
                str(m["level"]),
                dt.date.fromisoformat(str(m["date"])),
                int(m["steps"]),
                whole=k == len(view.milestones) - 1,  # the schedule ends with the whole roadmap's
            )
            for k, m in enumerate(view.milestones)
        ),
        gantt=tuple(rows[:GANTT_LEVELS]),
        levels_left_out=max(0, len(rows) - GANTT_LEVELS),
        boundaries=c.boundaries,
        breaks=len(c.breaks),
        first_break=line,
    )


def _rollup(r: Rollup) -> RollupLine:
    return RollupLine(r.group, r.steps, r.done, r.share, r.expected)


def monitoring_figures(
    uow: UnitOfWork, *, plan: str, viewer: access.Principal | None = None
) -> MonitoringFigures | None:
    """The monitoring status of ``plan``'s newest roadmap on the date of its latest progress report;
    None when it has no roadmap or no report. Reports of a seeded synthetic history (their notes say
    ``synthetic``, ``reorg.roadmap.history``) are counted, so that the figures are labelled."""
    if not uow.roadmaps.exists(plan=plan):
        return None
    reports = uow.roadmaps.reports(plan=plan)
    if not reports:
        return None
    as_of = max(r.date for r in reports)
    view = roadmaps.monitor_status(uow, plan=plan, as_of=as_of, viewer=viewer)
    st = view.status
    practices = sorted(st.good_practices, key=lambda g: (-g.days, g.step))
    return MonitoringFigures(
        as_of=as_of,
        reports=view.reports,
        synthetic_reports=sum(1 for r in reports if r.notes == SYNTHETIC_NOTE),
        overall=_rollup(st.overall),
        by_level=tuple(_rollup(r) for r in st.by_level),
        deviations=tuple(
            DeviationLine(d.kind, d.step, d.unit, tuple(d.evidence)) for d in st.deviations[:DEVIATIONS_SHOWN]
        ),
        deviations_total=len(st.deviations),
        deviations_by_kind=tuple(sorted(Counter(d.kind for d in st.deviations).items())),
        good_practices=tuple(
            PracticeLine(g.step, g.unit, g.share, g.expected, g.days) for g in practices[:DEVIATIONS_SHOWN]
        ),
        good_practices_total=len(practices),
    )


def _item(i: ItemResult) -> ItemLine:
    return ItemLine(i.item, i.label, i.votes, i.share, i.consensus, i.rating)


def _groups(record: ConsultationRecord, r: Results) -> tuple[GroupLine, ...]:
    """Each group's counted answers summed over the items, its agree share and mean rating."""
    sums: dict[str, list[int]] = {}
    ratings: dict[str, list[float]] = {}
    for item in r.items:
        for t in item.tallies:
            row = sums.setdefault(t.group, [0, 0, 0])
            row[0] += t.agree
            row[1] += t.disagree
            row[2] += t.abstain
            if t.rating is not None:
                ratings.setdefault(t.group, []).append(t.rating)
    out = []
    for group, (agree, disagree, abstain) in sorted(sums.items()):
        rated = ratings.get(group, [])
        out.append(
            GroupLine(
                group,
                float(record.weights.get(group, 1.0)),
                agree,
                disagree,
                abstain,
                round(agree / (agree + disagree), 6) if agree + disagree else None,
                round(sum(rated) / len(rated), 6) if rated else None,
            )
        )
    return tuple(out)


def _results(record: ConsultationRecord, r: Results) -> RoundResults:
    label = {i.item: i.label for i in r.items}
    answered = [i for i in r.items if i.votes or i.rating is not None]

    def named(items: Iterable[int]) -> tuple[tuple[int, str], ...]:
        return tuple((i, label.get(i, "")) for i in items)

    return RoundResults(
        frozen=r.frozen,
        ballots=r.ballots,
        counted=r.counted,
        late=r.late,
        comments=sum(len(i.comments) for i in r.items),
        groups=_groups(record, r),
        items=tuple(_item(i) for i in answered[:ITEMS_SHOWN]),
        items_total=len(answered),
        contested=tuple(_item(r.item(i)) for i in r.contested[:CONTESTED_SHOWN]),
        opinion_groups=tuple(
            OpinionLine(
                g.number, g.size, named(g.agrees[:CONTESTED_SHOWN]), named(g.disagrees[:CONTESTED_SHOWN])
            )
            for g in r.groups
        ),
        shared_agree=named(r.shared_agree[:CONTESTED_SHOWN]),
        shared_disagree=named(r.shared_disagree[:CONTESTED_SHOWN]),
        silhouette=r.silhouette,
    )


def consultation_figures(uow: UnitOfWork, *, plan: str, viewer: access.Principal) -> tuple[RoundFigures, ...]:
    """Every consultation round on ``plan``, oldest first, with its results as aggregates (see
    ``reorg.services.consult.plan_rounds`` for which results a viewer sees); empty when none was
    opened."""
    return tuple(
        RoundFigures(
            number=record.id,
            plan_version=record.plan_version,
            question=record.question,
            state=record.state,
            deadline=record.deadline,
            anonymous=record.anonymous,
            invited=len(record.invites),
            answered=sum(1 for i in record.invites if i.answered),
            results=None if found is None else _results(record, found),
        )
        for record, found in consult.plan_rounds(uow, viewer=viewer, plan=plan)
    )
