"""Every word of the reform report that both its page and its workbook show, in one language.

The English is written once, here, inside ``_()`` so that ``make i18n`` extracts it; ``words(lang)``
gives the translations of one language (``reorg.i18n.translations``). The page's own prose lives in
its template (``templates/reform.html``), also under ``_()``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

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
        "not_yet": _("Not yet available"),
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
        "hook_roadmap": _("Roadmap and continuity"),
        "hook_consultation": _("Consultation results"),
        "hook_monitoring": _("Monitoring status"),
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
    }


def words(lang: str) -> Words:
    """The report's words in ``lang`` (English for an unknown language)."""
    code = i18n.resolve(lang)
    _ = i18n.translations(code).gettext
    severities = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    return Words(code, _labels(_), _finding_kinds(_), severities, _operations(_), _parts(_), _sheets(_))
