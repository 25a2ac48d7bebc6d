"""The workbook's sheets of the roadmap, consultation and monitoring sections: the same figures as the
page (``reorg.report.tracking``), numbers as numbers, shares as fractions (0.25 = 25 %).

The three section sheets are always written (holding the sentence that says the section is absent when
it is); the detail sheets only when there is something to list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from reorg.report.data import ReportData
from reorg.report.tracking import ItemLine, RoadmapFigures, RoundFigures
from reorg.report.words import Words

__all__ = ["TRACKING_SHEETS", "Sheet", "tracking_sheets"]

#: the sheets in order (keys of ``Words.sheets``)
TRACKING_SHEETS = (
    "roadmap",
    "milestones",
    "gantt",
    "critical",
    "consultation",
    "consult_groups",
    "consult_items",
    "contested",
    "opinion_groups",
    "monitoring",
    "monitoring_levels",
    "deviations",
    "good_practices",
)

Row = Sequence[Any]
#: a sheet to write: key, header row, rows, notes
Sheet = tuple[str, Sequence[str], Sequence[Row], Sequence[str]]


def _fix(r: RoadmapFigures, w: Words) -> str:
    b = r.first_break
    if b is None or not b.fix:
        return w["no_fix"]
    if b.fix == "reorder":
        return f"{b.fix}: {b.step} → {b.fix_after}"
    return f"{b.fix}: {b.fix_unit} / {b.fix_task} / {', '.join(b.fix_places)} → {b.fix_after}"


def _roadmap(data: ReportData, w: Words) -> list[Sheet]:
    r = data.roadmap
    head = (w["figure"], w["value"])
    if r is None:
        return [("roadmap", head, [(w["roadmap"], w["no_roadmap"])], ())]
    rows: list[Row] = [
        (w["roadmap_version"], r.version),
        (w["on_plan_version"], r.plan_version),
        (w["steps"], r.steps),
        (w["start"], r.start.isoformat()),
        (w["finish"], r.end.isoformat()),
        (w["days"], r.days),
        (w["critical_steps"], r.critical_total),
        (w["boundaries"], r.boundaries),
        (w["breaks"], r.breaks),
        (w["continuity_holds"], w["yes"] if r.continuous else w["no"]),
    ]
    b = r.first_break
    if b is not None:
        rows += [
            (f"{w['first_break']}: {w['step']}", b.step),
            (f"{w['first_break']}: {w['date']}", b.date.isoformat()),
            (f"{w['first_break']}: {w['rule']}", w.invariant(b.invariant)),
            (f"{w['first_break']}: {w['explanation']}", w.refusal(b.template, b.params, b.english)),
            (f"{w['first_break']}: {w['named']}", ", ".join(b.ids)),
            (f"{w['first_break']}: {w['fix']}", _fix(r, w)),
        ]
    milestones = [
        (w["whole_roadmap"] if m.whole else (m.level or w["no_level"]), m.date.isoformat(), m.steps)
        for m in r.milestones
    ]
    gantt = [
        (
            g.level or w["no_level"],
            g.steps,
            (r.start + dt.timedelta(days=g.start)).isoformat(),
            (r.start + dt.timedelta(days=g.end)).isoformat(),
            g.end - g.start,
            sum(b - a for a, b in g.critical),
        )
        for g in r.gantt
    ]
    critical = [(k + 1, step) for k, step in enumerate(r.critical_path)]
    return [
        ("roadmap", head, rows, ()),
        ("milestones", (w["level"], w["done_by"], w["steps"]), milestones, ()),
        (
            "gantt",
            (w["level"], w["steps"], w["start"], w["finish"], w["days"], w["on_critical_path"]),
            gantt,
            (),
        ),
        ("critical", ("#", w["step"]), critical, ()),
    ]


def _item_name(w: Words, item: int, label: str) -> str:
    return w["whole_plan"] if item < 0 else label


def _consultation(data: ReportData, w: Words) -> list[Sheet]:
    rounds: Sequence[RoundFigures] = data.consultations
    head = (
        w["round"],
        w["on_plan_version"],
        w["question"],
        w["state"],
        w["deadline"],
        w["anonymous"],
        w["invited"],
        w["answered"],
        w["ballots"],
        w["counted"],
        w["late"],
        w["comments"],
    )
    if not rounds:
        return [("consultation", (w["figure"], w["value"]), [(w["consultation"], w["no_consultation"])], ())]
    rows: list[Row] = []
    groups: list[Row] = []
    items: list[Row] = []
    contested: list[Row] = []
    opinions: list[Row] = []

    def item_row(n: int, i: ItemLine) -> Row:
        return (n, i.item, _item_name(w, i.item, i.label), i.votes, i.share, i.consensus, i.rating)

    for c in rounds:
        res = c.results
        counts = ("", "", "", "") if res is None else (res.ballots, res.counted, res.late, res.comments)
        state = w[c.state] if c.state in ("open", "closed") else c.state
        yes_no = w["yes"] if c.anonymous else w["no"]
        deadline = c.deadline.date().isoformat()
        rows.append(
            (c.number, c.plan_version, c.question, state, deadline, yes_no, c.invited, c.answered, *counts)
        )
        if res is None:
            continue
        n = c.number
        groups += [
            (n, g.group, g.weight, g.agree, g.disagree, g.abstain, g.share, g.rating) for g in res.groups
        ]
        items += [item_row(n, i) for i in res.items]
        contested += [(n, k + 1, *item_row(n, i)[1:]) for k, i in enumerate(res.contested)]
        for g in res.opinion_groups:
            opinions += [(n, g.number, g.size, w["agree"], _item_name(w, i, lb)) for i, lb in g.agrees]
            opinions += [(n, g.number, g.size, w["disagree"], _item_name(w, i, lb)) for i, lb in g.disagrees]
        opinions += [(n, w["all_groups"], "", w["agree"], _item_name(w, i, lb)) for i, lb in res.shared_agree]
        opinions += [
            (n, w["all_groups"], "", w["disagree"], _item_name(w, i, lb)) for i, lb in res.shared_disagree
        ]
    item_head = (
        w["round"],
        w["item"],
        w["operation"],
        w["votes"],
        w["agree_share"],
        w["consensus"],
        w["rating"],
    )
    out: list[Sheet] = [("consultation", head, rows, ())]
    if groups:
        group_head = (
            w["round"],
            w["group"],
            w["weight"],
            w["agree"],
            w["disagree"],
            w["abstain"],
            w["agree_share"],
            w["rating"],
        )
        out.append(("consult_groups", group_head, groups, ()))
    if items:
        out.append(("consult_items", item_head, items, ()))
    if contested:
        out.append(("contested", (w["round"], "#", *item_head[1:]), contested, ()))
    if opinions:
        head_groups = (w["round"], w["opinion_group"], w["ballots"], w["side"], w["operation"])
        out.append(("opinion_groups", head_groups, opinions, ()))
    return out


def _monitoring(data: ReportData, w: Words, number: Callable[[float], str]) -> list[Sheet]:
    m = data.monitoring
    head = (w["figure"], w["value"])
    if m is None:
        return [("monitoring", head, [(w["monitoring"], w["no_monitoring"])], ())]
    notes = [w["synthetic_history"]] if m.synthetic else []
    rows: list[Row] = [
        (w["status_on"], m.as_of.isoformat()),
        (w["reports"], m.reports),
        (w["synthetic_reports"], m.synthetic_reports),
        (w["deviations"], m.deviations_total),
        (w["good_practices"], m.good_practices_total),
        *((f"{w['deviations']}: {w.deviation(k)}", n) for k, n in m.deviations_by_kind),
    ]
    levels: list[Row] = [
        (lv.group or w["no_level"], lv.steps, lv.done, lv.share, lv.expected) for lv in m.by_level
    ]
    o = m.overall
    levels.append((w["all_levels"], o.steps, o.done, o.share, o.expected))
    deviations = [(w.deviation(d.kind), d.step, d.unit, w.evidence(d.evidence, number)) for d in m.deviations]
    practices = [(g.step, g.unit, g.share, g.expected, g.days) for g in m.good_practices]
    level_head = (w["level"], w["steps"], w["steps_done"], w["share_done"], w["planned"])
    out: list[Sheet] = [("monitoring", head, rows, notes), ("monitoring_levels", level_head, levels, notes)]
    if deviations:
        out.append(("deviations", (w["deviation"], w["step"], w["unit"], w["evidence"]), deviations, notes))
    if practices:
        practice_head = (w["step"], w["unit"], w["share_done"], w["planned"], w["days_ahead"])
        out.append(("good_practices", practice_head, practices, notes))
    return out


def tracking_sheets(data: ReportData, w: Words, number: Callable[[float], str]) -> list[Sheet]:
    """The sheets of the three sections, in ``TRACKING_SHEETS`` order; ``number`` writes a number in
    the workbook's language inside text (a deviation's evidence)."""
    return [*_roadmap(data, w), *_consultation(data, w), *_monitoring(data, w, number)]
