"""The demo's summary page: the baseline, its diagnosis, and each plan compared with it.

Built from results that other layers computed (a diagnosis Report, Diffs, proposal notes); this module
only arranges them into ``reorg.report.html`` sections. It grows with each capability.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from reorg.diagnose import KINDS, Report
from reorg.diagnose.summary import StandardsSummary
from reorg.model import Apparatus
from reorg.optimize.merge import InternalExplanation
from reorg.plan.diff import Diff
from reorg.report.html import Figure, Page, Section, Table
from reorg.report.svg import gantt_chart, histogram_svg
from reorg.report.tracking import MonitoringFigures, RoadmapFigures
from reorg.report.words import Words, words

__all__ = [
    "Comparison",
    "EnsembleRow",
    "ensemble_section",
    "internal_section",
    "roadmap_section",
    "summary_page",
]

#: how many findings of each kind the page lists
FINDINGS_SHOWN = 5


@dataclasses.dataclass(frozen=True)
class Comparison:
    """One plan against the baseline: its diff, headline figures and notes (how it was made, what it
    reproduces, its limits)."""

    name: str
    description: str
    diff: Diff
    figures: Sequence[Figure] = ()
    notes: Sequence[str] = ()
    findings_before: Mapping[str, int] = dataclasses.field(default_factory=dict)
    findings_after: Mapping[str, int] = dataclasses.field(default_factory=dict)
    #: units below the standard that judges them, per level and kind (``commune, Phường``), and judged
    standards_before: StandardsSummary | None = None
    standards_after: StandardsSummary | None = None


def _n(value: object) -> str:
    """Thousands separators for whole numbers, 3 significant decimals otherwise."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3g}"
    return str(value)


def _baseline_section(app: Apparatus) -> Section:
    counts = app.counts()
    figures = [
        Figure("units", _n(counts["units"])),
        Figure("tasks", _n(counts["tasks"])),
        Figure("duties", _n(counts["duties"])),
        Figure("people", _n(counts["people"]), "synthetic" if "people" in app.info.synthetic else ""),
    ]
    per_level = Table(
        headers=("level", "units"),
        rows=[(level, _n(n)) for level, n in app.units_per_level().items()],
        caption="Units per level",
    )
    return Section(
        title=f"Baseline: {app.info.name}",
        lead=app.info.description,
        figures=figures,
        tables=[per_level],
        notes=[f"Source: {app.info.source}"] if app.info.source else [],
    )


def _branch_of(app: Apparatus, branches: Mapping[str, str], unit_id: str) -> str:
    """The branch of a unit (its level's; the level itself when ``branches`` does not name it)."""
    row = app.units.index.get(unit_id)
    if row is None:
        return ""
    level = str(app.levels.name[app.units.level[row]])
    return branches.get(level, level)


def _cross_branch_table(app: Apparatus, report: Report, branches: Mapping[str, str]) -> Table:
    """The duplicated leads whose lead units belong to more than one branch, with the branches."""
    rows = []
    for f in report.by_kind("multiple_leads"):
        found = list(dict.fromkeys(_branch_of(app, branches, u) for u in f.units))
        if len([b for b in found if b]) > 1:
            rows.append((", ".join(f.tasks), ", ".join(b for b in found if b), f.explanation))
    return Table(
        headers=("task", "branches", "finding"),
        rows=rows,
        caption="Duplicated leads across branches of the political system (party, state, legislature, front)",
    )


def _diagnosis_section(app: Apparatus, report: Report, branches: Mapping[str, str]) -> Section:
    summary = report.summary
    counts = summary.findings
    by_kind = Table(
        headers=("finding", "count"),
        rows=[(kind, _n(counts.get(kind, 0))) for kind in KINDS],
        caption="Findings per kind (exact counts)",
    )
    top = Table(
        headers=("severity", "kind", "explanation"),
        rows=[
            (f.severity, f.kind, f.explanation)
            for kind in KINDS
            for f in report.by_kind(kind)[:FINDINGS_SHOWN]
        ],
        caption=f"The most pressing findings of each kind (at most {FINDINGS_SHOWN})",
    )
    severity = summary.findings_by_severity
    figures = [Figure(f"{s} severity", _n(v)) for s, v in severity.items()]
    standards = summary.standards
    below = Table(
        headers=("kind of unit", "judged", "below its standard"),
        rows=[
            (kind, _n(judged), _n(standards.below_by_kind.get(kind, 0)))
            for kind, judged in standards.assessed_by_kind.items()
        ],
        caption="Units below the standard of their kind (each judged by the most specific standard for "
        "its level, kind and class)",
    )
    tables = [by_kind, top, below]
    if branches:
        tables.insert(1, _cross_branch_table(app, report, branches))
    return Section(
        title="Diagnosis: where the apparatus is cumbersome",
        lead="Duplicated and missing leads, overlapping portfolios, layers and spans, standards, "
        "quota and staffing (docs/diagnosis.md explains each kind).",
        figures=figures,
        tables=tables,
    )


def _standards_table(before: StandardsSummary, after: StandardsSummary) -> Table:
    """Units below their standard per level and kind, before and after a plan (kinds of either side)."""
    kinds = list(dict.fromkeys([*before.assessed_by_kind, *after.assessed_by_kind]))
    return Table(
        headers=("kind of unit", "below before", "below after"),
        rows=[
            (kind, _n(before.below_by_kind.get(kind, 0)), _n(after.below_by_kind.get(kind, 0)))
            for kind in kinds
        ],
        caption="Units below the standard of their kind, before and after the plan",
    )


def _comparison_section(c: Comparison, synthetic_people: bool, branches: Mapping[str, str]) -> Section:
    d = c.diff
    levels = Table(
        headers=("level", "before", "after", "change"),
        rows=[(lv, _n(a), _n(b), _n(b - a)) for lv, (a, b) in d.levels.items()],
        caption="Units per level before and after",
    )
    figures = [
        Figure("units removed", _n(len(d.units_removed))),
        Figure("units added", _n(len(d.units_added))),
        Figure("tasks whose lead moved", _n(len(d.leads_moved))),
        Figure("people moved", _n(len(d.people_moved)), "synthetic" if synthetic_people else ""),
        Figure("people released", _n(len(d.people_released)), "synthetic" if synthetic_people else ""),
        *c.figures,
    ]
    tables = [levels]
    if branches:
        tables.insert(
            0,
            Table(
                headers=("branch", "before", "after", "change"),
                rows=[(br, _n(a), _n(b), _n(b - a)) for br, (a, b) in d.grouped(branches).items()],
                caption="Units per branch of the political system before and after",
            ),
        )
    if c.findings_after:
        tables.append(
            Table(
                headers=("finding", "before", "after"),
                rows=[
                    (kind, _n(c.findings_before.get(kind, 0)), _n(c.findings_after.get(kind, 0)))
                    for kind in KINDS
                ],
                caption="Diagnosis before and after the plan (exact counts)",
            )
        )
    if c.standards_before is not None and c.standards_after is not None:
        tables.append(_standards_table(c.standards_before, c.standards_after))
    return Section(title=f"Plan: {c.name}", lead=c.description, figures=figures, tables=tables, notes=c.notes)


def placement_section(
    plan: str, totals: Mapping[str, Any], *, currency: str, ruleset: str, synthetic: bool
) -> Section:
    """People placed by merit into the units a plan forms, the surplus by regime, and what the surplus
    costs under ``ruleset`` (benefits) and saves (annual payroll), with the payback period."""
    payback = totals.get("payback_years")
    figures = [
        Figure(
            "people placed",
            f"{totals['placed']:,}",
            f"of {totals['candidates']:,} in {totals['units']:,} new units",
        ),
        Figure("of them as leaders", f"{totals['placed_as_leaders']:,}", "leaders are placed first"),
        Figure("surplus", f"{totals['surplus']:,}", "posts run out"),
        Figure("benefit cost", f"{totals['cost']:,.0f} {currency}", ruleset),
        Figure("annual payroll saved", f"{totals['annual_saving']:,.0f} {currency}"),
        Figure("payback", "-" if payback is None else f"{payback:.1f} years"),
    ]
    regimes = Table(
        ("regime", "people"),
        [(r, f"{n:,}") for r, n in sorted(totals["surplus_by_regime"].items(), key=lambda x: -x[1])],
        caption="the surplus by the regime each person is eligible for",
    )
    return Section(
        f"People under {plan}: placement by merit and benefits",
        "Each new unit's posts are filled by min-cost flow on evaluation score, position and continuity "
        "(docs/people.md); whoever is left is the surplus, priced by the benefits ruleset.",
        figures=figures,
        tables=(regimes,),
        synthetic=synthetic,
    )


def internal_section(plan: str, ex: InternalExplanation, *, synthetic: bool, shown: int = 40) -> Section:
    """The internal model after ``plan``'s mergers: per merged unit with departments, the departments
    before, after the merger and after the internal model, its people against its quota, and its
    leadership posts (the first ``shown`` units); the merged units of each level counted."""
    t = ex.totals
    figures = [
        Figure(
            "merged units", f"{int(t['merged_units']):,}", f"{int(t['with_departments']):,} with departments"
        ),
        Figure(
            "departments",
            f"{int(t['departments_before']):,} -> {int(t['departments_merged']):,} -> "
            f"{int(t['departments_after']):,}",
            f"before, after the merger, after the internal model ({int(t['mergers'])} mergers, "
            f"{int(t['dissolutions'])} dissolutions)",
        ),
        Figure(
            "leadership posts",
            f"{int(t['leaders_before']):,} -> {int(t['leaders_merged']):,} -> {int(t['leaders_after']):,}",
            "one leadership team per unit, as the placement derives posts",
        ),
    ]
    rows = []
    for u in ex.units[:shown]:
        quota = (
            "no quota"
            if u.quota_after is None
            else f"{u.quota_after:,.0f}" + (" (over)" if u.over_quota else "")
        )
        merged = "; ".join(f"{' + '.join(r.units)} ({r.shared_tasks} shared tasks)" for r in u.operations)
        rows.append(
            (
                f"{u.name} ({u.unit})",
                f"{u.departments_before} -> {u.departments_merged} -> {u.departments_after}",
                f"{u.headcount_after:,} / {quota}",
                f"{u.leaders_before} -> {u.leaders_merged} -> {u.leaders_after}",
                merged or "-",
            )
        )
    table = Table(
        ("merged unit", "departments", "people / quota", "leadership posts", "departments merged"),
        rows,
        caption="before -> after the merger -> after the internal model",
    )
    counts = ", ".join(f"{level} {n:,}" for level, n in ex.merged_by_level.items())
    notes = [f"Merged units per level: {counts}; only those with departments are listed."]
    if len(ex.units) > shown:
        notes.append(f"The first {shown} of {len(ex.units)} merged units with departments are listed.")
    return Section(
        f"The internal model after {plan}",
        "For each unit the plan merges, the departments of its predecessors, consolidated where their "
        "tasks overlap by the merge optimizer one level down (docs/functions.md); people against the "
        "merged unit's quota; leadership posts before and after (one team per unit: for each leader "
        "title, as many posts as the predecessor that had most).",
        figures=figures,
        tables=(table,),
        notes=tuple(notes),
        synthetic=synthetic,
    )


@dataclasses.dataclass(frozen=True)
class EnsembleRow:
    """One measure of an ensemble: a plan's value, its percentile (0-100) among the sampled divisions,
    their histogram (``counts`` between consecutive ``edges``) and the split R-hat across chains."""

    measure: str
    value: float
    percentile: float
    counts: Sequence[int]
    edges: Sequence[float]
    rhat: float


def ensemble_section(
    plan: str,
    rows: Sequence[EnsembleRow],
    *,
    chains: int,
    steps: int,
    draws: int,
    acceptance: float,
    lead: str,
) -> Section:
    """Where ``plan`` falls in an ensemble of valid divisions: per measure its value, percentile, an
    inline histogram with the plan's value marked, and R-hat (docs/ensembles.md)."""
    table = Table(
        ("measure", "value", "percentile", "distribution (red: the plan)", "R-hat"),
        [
            (
                r.measure,
                _n(r.value),
                f"{r.percentile:.1f}",
                histogram_svg(r.counts, r.edges, r.value, f"{r.measure}: {plan} at {r.percentile:.1f}%"),
                f"{r.rhat:.3f}",
            )
            for r in rows
        ],
        caption=f"{plan} against {draws:,} sampled divisions",
    )
    figures = [
        Figure("chains", _n(chains)),
        Figure("steps per chain", _n(steps)),
        Figure("acceptance", f"{acceptance:.0%}", "ReCom proposals with a valid cut"),
    ]
    worst = max((r.rhat for r in rows if r.rhat == r.rhat), default=float("nan"))
    notes = [
        "A percentile near 0 or 100 says the plan is extreme on that measure among valid divisions "
        "under the same rules. R-hat above 1.1 says the chains have not mixed: the ensemble is then a "
        "local exploration around its start, not the whole space of valid plans "
        f"(largest R-hat here: {worst:.2f})."
    ]
    return Section(f"Ensemble: where {plan} falls", lead, figures=figures, tables=(table,), notes=notes)


def _verdict(r: RoadmapFigures) -> str:
    """The continuity check in one sentence: it holds, or the first break with its fix."""
    b = r.first_break
    if b is None:
        return (
            f"Continuity holds: no gap in time, place or field at any of the {r.boundaries:,} step "
            "boundaries."
        )
    fix = {
        "reorder": f"move step {b.step} after step {b.fix_after}",
        "bridge": f"{b.fix_unit} keeps leading {b.fix_task} in {', '.join(b.fix_places)} until step "
        f"{b.fix_after} is done",
    }.get(b.fix, "none found")
    return (
        f"Continuity breaks at {r.breaks:,} steps; first at step {b.step} on {b.date.isoformat()} "
        f"({b.invariant}): {b.english} Proposed fix: {fix}."
    )


def _monitoring(m: MonitoringFigures, w: Words) -> tuple[list[Figure], list[Table], list[str]]:
    """The status on the latest report's date: figures, the roll-up per level, deviations and good
    practices (each a table when there are some, else a note), labelled synthetic when they are."""
    label = "synthetic" if m.synthetic else ""
    figures = [
        Figure("share done", f"{m.overall.share:.0%}", f"{m.overall.expected:.0%} planned by {m.as_of}"),
        Figure("deviations", _n(m.deviations_total), label),
        Figure("good practices", _n(m.good_practices_total), label),
    ]
    rows = [(r.group or "(no level)", r) for r in m.by_level] + [("all levels", m.overall)]
    tables = [
        Table(
            ("level", "steps", "done", "share done", "planned"),
            [(g, _n(r.steps), _n(r.done), f"{r.share:.0%}", f"{r.expected:.0%}") for g, r in rows],
            caption=f"Progress per level on {m.as_of.isoformat()}",
        )
    ]
    notes = []
    if m.deviations:
        tables.append(
            Table(
                ("deviation", "step", "unit", "evidence"),
                [
                    (w.deviation(d.kind), d.step or "-", d.unit, w.evidence(d.evidence, _n))
                    for d in m.deviations
                ],
                caption=f"Deviations with their evidence ({len(m.deviations):,} of {m.deviations_total:,})",
            )
        )
    else:
        notes.append("No deviation.")
    if m.good_practices:
        tables.append(
            Table(
                ("step", "unit", "share done", "planned", "days ahead"),
                [
                    (g.step, g.unit, f"{g.share:.0%}", f"{g.expected:.0%}", _n(g.days))
                    for g in m.good_practices
                ],
                caption="Good practices: ahead of plan with no deviation of their own "
                f"({len(m.good_practices):,} of {m.good_practices_total:,})",
            )
        )
    else:
        notes.append("Good practices: no step is ahead of plan with its indicators holding.")
    if m.synthetic:
        notes.append(
            f"{m.synthetic_reports:,} of the {m.reports:,} progress reports are a seeded synthetic "
            "history with planted deviations: they show how monitoring works, not how the reform went."
        )
    return figures, tables, notes


def roadmap_section(plan: str, roadmap: RoadmapFigures, monitoring: MonitoringFigures | None) -> Section:
    """The roadmap of ``plan``: a Gantt chart of its levels, top first (the status date marked), the
    continuity verdict, milestones, and the monitoring status with its deviations and good practices
    (labelled synthetic when the progress history is)."""
    w = words("en")
    marker = None
    if monitoring is not None:
        marker = ((monitoring.as_of - roadmap.start).days, f"status on {monitoring.as_of.isoformat()}")
    chart = gantt_chart(
        [(g.level or "(no level)", g.start, g.end, g.critical, f"{g.steps:,} steps") for g in roadmap.gantt],
        start=roadmap.start,
        days=roadmap.days,
        legend=(w["gantt_bar"], w["on_critical_path"]),
        date_label=lambda d: d.strftime("%b %Y"),
        title=f"Gantt chart of the top levels of the roadmap of {plan}",
        marker=marker,
    )
    figures = [
        Figure("steps", _n(roadmap.steps)),
        Figure("days", _n(roadmap.days), f"{roadmap.start.isoformat()} to {roadmap.end.isoformat()}"),
        Figure("steps on the critical path", _n(roadmap.critical_total)),
        Figure("continuity", "holds" if roadmap.continuous else f"{roadmap.breaks:,} breaks"),
    ]
    milestones = [
        ("the whole roadmap" if m.whole else m.level or "(no level)", m.date.isoformat(), _n(m.steps))
        for m in roadmap.milestones
    ]
    tables = [Table(("level", "done by", "steps"), milestones, caption="Milestones")]
    notes = [_verdict(roadmap)]
    if monitoring is not None:
        more_figures, more_tables, more_notes = _monitoring(monitoring, w)
        figures += more_figures
        tables += more_tables
        notes += more_notes
    else:
        notes.append("No progress has been reported on this roadmap yet.")
    return Section(
        f"Roadmap of {plan}: the transition in time, its continuity and its monitoring",
        "Steps laid out by the critical path method with the levels moving in parallel; the apparatus is "
        "checked against every invariant at each step boundary (docs/roadmap.md).",
        figures=figures,
        tables=tables,
        notes=notes,
        synthetic=monitoring is not None and monitoring.synthetic,
        charts=(chart,),
        id="roadmap",
    )


def summary_page(
    app: Apparatus,
    diagnosis: Report,
    comparisons: Sequence[Comparison],
    *,
    sources: Sequence[str] = (),
    branches: Mapping[str, str] | None = None,
    extra: Sequence[Section] = (),
) -> Page:
    """The whole page for one baseline; ``branches`` (level -> branch of the political system, e.g.
    ``vietnam.BRANCHES``) adds the units per branch of each plan and the duplications across branches;
    ``extra`` sections come after the comparisons."""
    synthetic_people = "people" in app.info.synthetic
    groups = branches or {}
    sections = [
        _baseline_section(app),
        _diagnosis_section(app, diagnosis, groups),
        *(_comparison_section(c, synthetic_people, groups) for c in comparisons),
        *extra,
    ]
    return Page(
        title=f"reorg summary — {app.info.name}",
        subtitle="Diagnosis of the apparatus and the plans proposed for it, compared with the baseline.",
        sections=sections,
        synthetic_parts=app.info.synthetic,
        sources=sources,
    )
