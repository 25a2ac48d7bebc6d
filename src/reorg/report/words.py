"""Every word of the reform report that both its page and its workbook show, in one language.

The English is written once, here, inside ``_()`` so that ``make i18n`` extracts it; ``words(lang)``
gives the translations of one language (``reorg.i18n.translations``). The page's own prose lives in
its template (``templates/reform.html``), also under ``_()``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reorg import i18n
from reorg.report.data import FindingLine

__all__ = ["Words", "words"]


@dataclasses.dataclass(frozen=True)
class Words:
    """Labels (column heads, sheet and section titles) and the names of finding kinds, severities and
    operation kinds, in ``lang``; an unknown kind is shown as it is written in the data."""

    lang: str
    labels: Mapping[str, str]
    finding_kinds: Mapping[str, str]
    severities: Mapping[str, str]
    operations: Mapping[str, str]
    parts: Mapping[str, str]
    sheets: Mapping[str, str]
    invariants: Mapping[str, str]
    deviation_kinds: Mapping[str, str]
    evidence_words: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def kind(self, name: str) -> str:
        return self.finding_kinds.get(name, name)

    def severity(self, name: str) -> str:
        return self.severities.get(name, name)

    def op(self, name: str) -> str:
        return self.operations.get(name, name)

    def part(self, name: str) -> str:
        return self.parts.get(name, name)

    def invariant(self, name: str) -> str:
        return self.invariants.get(name, name)

    def deviation(self, name: str) -> str:
        return self.deviation_kinds.get(name, name)

    def evidence(self, pairs: Sequence[tuple[str, str | float]], number: Callable[[float], str]) -> str:
        """A deviation's evidence as "name: value · ...": names and word values (an indicator's name)
        in this language, numbers by ``number``."""
        shown = []
        for key, value in pairs:
            text = self.evidence_words.get(value, value) if isinstance(value, str) else number(value)
            shown.append(f"{self.evidence_words.get(key, key)}: {text}")
        return " · ".join(shown)

    def refusal(self, template: str, params: Mapping[str, Any], english: str) -> str:
        """The sentence of a continuity break (an invariant refused) in this language; the core's
        English when the template is unknown here."""
        if not template:
            return english
        try:
            return i18n.refusal(template, dict(params), self.lang)
        except KeyError:
            return english

    def finding(self, line: FindingLine) -> str:
        """The sentence of a finding in this language; a finding whose template this catalogue does not
        know (a newer core) keeps its English sentence."""
        try:
            return i18n.explain(line.template, dict(line.params), self.lang)
        except KeyError:
            return line.english


def _labels(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "report": _("Summary report of a reform"),
        "overview": _("Overview"),
        "apparatus": _("The apparatus before and after"),
        "apparatus_kinds": _("Units per level and kind"),
        "findings": _("Findings before and after"),
        "findings_kind": _("Findings per kind"),
        "findings_severity": _("Findings per severity"),
        "top_findings": _("The most pressing findings left after the plan"),
        "plan": _("The plan"),
        "operations_kind": _("Operations per kind"),
        "operations": _("Operations"),
        "people": _("People"),
        "compared": _("The plans side by side"),
        "differences": _("Where the plan differs from the compared plans"),
        "map": _("Territorial map"),
        "level": _("Level"),
        "kind": _("Kind"),
        "finding": _("Finding"),
        "severity": _("Severity"),
        "explanation": _("Explanation"),
        "operation": _("Operation"),
        "details": _("Details"),
        "count": _("Count"),
        "before": _("Before"),
        "after": _("After"),
        "change": _("Net change"),
        "total": _("Total"),
        "figure": _("Figure"),
        "value": _("Value"),
        "plan_name": _("Plan"),
        "dataset": _("Dataset"),
        "version": _("Version"),
        "source": _("Source"),
        "synthetic": _("Synthetic"),
        "synthetic_parts": _("Synthetic parts of the data"),
        "language": _("Language"),
        "headcount_before": _("People before"),
        "headcount_after": _("People after"),
        "moved": _("People moved to another unit"),
        "released": _("People released"),
        "added": _("People added"),
        "units_after": _("Units after"),
        "findings_after": _("Findings after"),
        "difference": _("Difference"),
        "id": _("Id"),
        "name": _("Name"),
        "went_into": _("Went into"),
        "estimated": _("Estimated"),
        "yes": _("yes"),
        "no": _("no"),
        "costs": _("People costs under a benefits ruleset"),
        "ruleset": _("Benefits ruleset"),
        "illustrative": _("illustrative, not a real policy"),
        "as_of": _("Leaving on"),
        "units_formed": _("New units formed by the plan"),
        "candidates": _("People in the units the plan replaces"),
        "posts": _("Posts in the new units"),
        "placed": _("People placed by merit"),
        "placed_as_leaders": _("Of them in leader posts"),
        "surplus": _("People left without a post"),
        "cost": _("Cost of benefits"),
        "annual_saving": _("Payroll saved per year"),
        "payback": _("Payback (years)"),
        "regime": _("Benefit regime"),
        **_tracking_labels(_),
    }


def _tracking_labels(_: Callable[[str], str]) -> dict[str, str]:
    """The labels of the roadmap, consultation and monitoring sections."""
    return {
        "roadmap": _("Roadmap and continuity"),
        "consultation": _("Consultation results"),
        "monitoring": _("Monitoring status"),
        "no_roadmap": _("No roadmap has been built for this plan (reorg roadmap build)."),
        "no_consultation": _("No consultation round has been opened on this plan."),
        "no_monitoring": _("No progress has been reported on this plan's roadmap."),
        "roadmap_version": _("Roadmap version"),
        "on_plan_version": _("Made on plan version"),
        "steps": _("Steps"),
        "start": _("Start"),
        "finish": _("Finish"),
        "days": _("Duration (days)"),
        "critical_steps": _("Steps on the critical path"),
        "critical_path": _("Critical path"),
        "milestones": _("Milestones"),
        "done_by": _("Done by"),
        "whole_roadmap": _("the whole roadmap"),
        "no_level": _("(no level)"),
        "gantt": _("Gantt chart of the top levels"),
        "gantt_bar": _("Steps of the level"),
        "on_critical_path": _("On the critical path"),
        "continuity": _("Continuity"),
        "continuity_holds": _("Continuity holds at every step boundary"),
        "boundaries": _("Step boundaries checked"),
        "breaks": _("Steps that break continuity"),
        "first_break": _("First break"),
        "step": _("Step"),
        "date": _("Date"),
        "rule": _("Rule"),
        "named": _("Tasks and places named"),
        "fix": _("Proposed fix"),
        "no_fix": _("none found"),
        "round": _("Round"),
        "question": _("Question"),
        "state": _("State"),
        "open": _("open"),
        "closed": _("closed"),
        "deadline": _("Deadline"),
        "anonymous": _("Anonymous"),
        "invited": _("Invited"),
        "answered": _("Answered"),
        "ballots": _("Ballots"),
        "counted": _("Answers counted"),
        "late": _("Late answers"),
        "comments": _("Comments"),
        "results": _("Results"),
        "group": _("Group"),
        "weight": _("Weight"),
        "agree": _("Agree"),
        "disagree": _("Disagree"),
        "abstain": _("Abstain"),
        "agree_share": _("Agree share"),
        "rating": _("Mean rating (1–5)"),
        "consensus": _("Consensus"),
        "votes": _("Votes"),
        "item": _("Item"),
        "whole_plan": _("The whole plan"),
        "by_group": _("Answers per group"),
        "by_item": _("Consensus per operation"),
        "contested": _("The most contested operations"),
        "opinion_groups": _("Opinion groups"),
        "opinion_group": _("Opinion group"),
        "agrees_on": _("Agrees on"),
        "disagrees_on": _("Disagrees on"),
        "shared": _("What all groups share"),
        "all_groups": _("all groups"),
        "side": _("Side"),
        "silhouette": _("Silhouette of the clustering"),
        "status_on": _("Status on"),
        "reports": _("Progress reports"),
        "synthetic_reports": _("Of them synthetic"),
        "synthetic_history": _(
            "Synthetic progress history: the reports come from a seeded generated history with planted "
            "deviations, not from the units."
        ),
        "steps_done": _("Steps done"),
        "share_done": _("Share done"),
        "planned": _("Planned by now"),
        "all_levels": _("All levels"),
        "by_level": _("Progress per level"),
        "deviations": _("Deviations"),
        "deviation": _("Deviation"),
        "unit": _("Unit"),
        "evidence": _("Evidence"),
        "good_practices": _("Good practices"),
        "days_ahead": _("Days ahead"),
    }


def _invariants(_: Callable[[str], str]) -> dict[str, str]:
    """The rules a continuity break names (``reorg.plan.invariants``, and ``operation``)."""
    return {
        "tree": _("unit tree"),
        "one_lead": _("one lead per task and place"),
        "coverage": _("every task led everywhere"),
        "territory_partition": _("each territory covered once"),
        "contiguity": _("contiguous territory"),
        "standards": _("unit standards"),
        "quota": _("headcount within quota"),
        "operation": _("the operation's units exist"),
    }


def _deviation_kinds(_: Callable[[str], str]) -> dict[str, str]:
    """Deviation kinds (``reorg.roadmap.monitor``), for the report, the demo page and the /monitor page;
    a newer kind is shown as the core names it."""
    return {
        "late": _("late against plan"),
        "delays_end": _("late past its slack: the end moves"),
        "headcount": _("headcount off target"),
        "regression": _("an indicator fell"),
        "silent": _("stopped reporting"),
        "invariant": _("the state reported breaks an invariant"),
    }


def _evidence_words(_: Callable[[str], str]) -> dict[str, str]:
    """The names in a deviation's evidence, and the indicators it may name as a value."""
    return {
        "planned_end": _("planned end"),
        "share": _("share done"),
        "days_late": _("days late"),
        "slack": _("slack (days)"),
        "target": _("target"),
        "reported": _("reported"),
        "indicator": _("indicator"),
        "from": _("from"),
        "to": _("to"),
        "on": _("on"),
        "last_report": _("last report"),
        "open_steps": _("steps under way"),
        "tasks_handed_over": _("tasks handed over"),
        "headcount": _("headcount"),
        "invariant": _("rule"),
        "ids": _("tasks and places"),
        "reported_done": _("reported done on"),
        "waits_for": _("waits for steps not done"),
        "coverage": _("a task without a lead in some place"),
        "one_lead": _("a task led twice in some place"),
        "territory_partition": _("a territory covered twice or not at all"),
        "tree": _("a unit without a parent"),
        "operation": _("a unit that does not exist yet or any more"),
    }


def _finding_kinds(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "multiple_leads": _("More than one lead"),
        "no_lead": _("No lead"),
        "overlap": _("Overlapping portfolios"),
        "broken_tree": _("Broken unit tree"),
        "deep_branch": _("Too many layers"),
        "intermediary": _("Intermediary layer"),
        "narrow_span": _("Narrow span"),
        "wide_span": _("Wide span"),
        "below_standard": _("Below its standard"),
        "over_quota": _("Over quota"),
        "staffing_outlier": _("Staffing outlier"),
        "idle_unit": _("Idle unit"),
        "level_mismatch": _("Task at the wrong level"),
    }


def _operations(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "merge": _("Merge"),
        "split": _("Split"),
        "dissolve": _("Dissolve"),
        "transfer": _("Transfer a task"),
        "abolish_level": _("Abolish a level"),
        "rename": _("Rename"),
        "create": _("Create a unit"),
        "move_people": _("Move people"),
        "release_people": _("Release people"),
    }


def _parts(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "units": _("units"),
        "tasks": _("tasks"),
        "duties": _("duties"),
        "people": _("people"),
        "results": _("results of people"),
        "neighbours": _("neighbours"),
        "standards": _("standards"),
        "territories": _("territories"),
    }


def _sheets(_: Callable[[str], str]) -> dict[str, str]:
    """The workbook's sheet titles: short (a sheet name holds at most 31 characters in any language)."""
    return {
        "overview": _("Overview"),
        "apparatus": _("Units per level"),
        "apparatus_kinds": _("Units per kind"),
        "findings_severity": _("Findings by severity"),
        "findings_kind": _("Findings by kind"),
        "top_findings": _("Findings left"),
        "operations_kind": _("Operations by kind"),
        "operations": _("Operations"),
        "people": _("People"),
        "costs": _("People costs"),
        "regimes": _("Surplus per regime"),
        "compared": _("Plans compared"),
        "differences": _("Differences"),
        "map": _("Map"),
        "roadmap": _("Roadmap"),
        "milestones": _("Milestones"),
        "gantt": _("Levels in time"),
        "critical": _("Critical path"),
        "consultation": _("Consultation"),
        "consult_groups": _("Answers per group"),
        "consult_items": _("Consensus per operation"),
        "contested": _("Most contested"),
        "opinion_groups": _("Opinion groups"),
        "monitoring": _("Monitoring"),
        "monitoring_levels": _("Progress per level"),
        "deviations": _("Deviations"),
        "good_practices": _("Good practices"),
    }


def words(lang: str) -> Words:
    """The report's words in ``lang`` (English for an unknown language)."""
    code = i18n.resolve(lang)
    _ = i18n.translations(code).gettext
    severities = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    return Words(
        code,
        _labels(_),
        _finding_kinds(_),
        severities,
        _operations(_),
        _parts(_),
        _sheets(_),
        _invariants(_),
        _deviation_kinds(_),
        _evidence_words(_),
    )
