"""The summary report of a reform: its sections in three languages, the same totals in the page and the
workbook, names shown as text, and its figures matching the plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from markupsafe import escape
from report_kit import MARKED, SECRET_COMMENT, SECTIONS, VOTERS, html_totals, xlsx_totals

from reorg.diagnose.findings import KINDS, TEMPLATES
from reorg.report.data import ReportData
from reorg.report.reform import render_report
from reorg.report.tracking import BreakLine, OpinionLine
from reorg.report.words import words
from reorg.report.workbook import SHEETS, write_workbook
from reorg.services import Settings, access, open_database
from reorg.services.report import report_data, write_reform_report

ADMIN = access.Principal("test", "admin")

#: headings that must not stay English in the other languages
ENGLISH_HEADINGS = ("The apparatus before and after", "Findings before and after", "The plan", "People")


def data_of(
    url: str,
    plan: str = "merge-north",
    compare: tuple[str, ...] = ("merge-south",),
    viewer: access.Principal = ADMIN,
) -> ReportData:
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="test", readonly=True) as uow:
        return report_data(uow, dataset="examplia", plan=plan, compare=compare, viewer=viewer)


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>.*", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]


@pytest.mark.parametrize("plan", ["merge-north", "reform"])
@pytest.mark.parametrize("lang", ["en", "vi", "uk"])
def test_every_section_renders_in_each_language(examplia: str, lang: str, plan: str) -> None:
    """The page in en, vi and uk has every section, in order, and says which language it is in."""
    html = render_report(data_of(examplia, plan), lang)
    found = re.findall(r'<section id="([^"]+)"', html)
    assert tuple(found) == SECTIONS
    assert f'<html lang="{lang}">' in html


@pytest.mark.parametrize("plan", ["merge-north", "reform"])
@pytest.mark.parametrize("lang", ["vi", "uk"])
def test_no_english_heading_left(examplia: str, lang: str, plan: str) -> None:
    """In Vietnamese and Ukrainian no heading of the page is the English one (with the roadmap,
    consultation and monitoring sections absent, and present)."""
    shown = headings(render_report(data_of(examplia, plan), lang))
    english = headings(render_report(data_of(examplia, plan), "en"))
    assert len(shown) == len(english) > 8
    for title in ENGLISH_HEADINGS:
        assert title in english
        assert title not in shown
    assert all(a != b for a, b in zip(shown, english, strict=True))


@pytest.mark.parametrize("lang", ["en", "vi", "uk"])
def test_findings_show_no_template_keys(examplia: str, lang: str) -> None:
    """Findings are sentences: no template key (``no_lead.none``) and no raw kind name
    (``multiple_leads``) nor unfilled ``{field}`` shows on the page."""
    data = data_of(examplia)
    assert data.top_findings
    html = render_report(data, lang)
    for key in TEMPLATES:
        assert key not in html
    for kind in KINDS:
        assert f">{kind}<" not in html
    assert not re.search(r"\{[a-z_]+(:[^}]*)?\}", html)


@pytest.mark.parametrize("lang", ["en", "vi", "uk"])
def test_page_and_workbook_have_the_same_totals(examplia: str, tmp_path: Path, lang: str) -> None:
    """The totals read from the page (units, operations, people, the roadmap, the consultation rounds
    and their groups, monitoring per level) equal those read from the workbook, and both equal the
    ReportData they were written from."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow,
            dataset="examplia",
            plan="reform",
            compare=["merge-south"],
            lang=lang,
            out=tmp_path,
            viewer=ADMIN,
        )
    assert written.html is not None
    assert written.xlsx is not None
    page = html_totals(written.html.read_text(encoding="utf-8"))
    book = xlsx_totals(written.xlsx, lang)
    assert page == book
    d = written.data
    assert page["units"] == [*d.units_total, d.units_total[1] - d.units_total[0]] == [28, 24, -4]
    assert page["headcount_before"] == [d.headcount[0]]
    assert page["moved"] == [d.moved]
    assert page["operations"] == [4]
    assert d.costs is not None
    assert page["surplus"] == [d.costs.surplus]
    assert page["cost"] == [round(d.costs.cost)] != [0]
    assert page["roadmap_steps"] == [4]
    assert page["roadmap_days"] == [60]
    assert page["breaks"] == [0]
    assert page["round_1"] == [1, 4, 4, 4, 12, 0, 1]  # invited, answered, ballots, counted, late, comments
    assert page["round_1_group_2"] == [5, 1, 0]  # the committee: agree, disagree, abstain
    assert page["round_2"] == [2, 2, 1, 1, 1, 0, 0]
    assert page["deviations"] == [3]
    assert page["good_practices"] == [1]
    m = d.monitoring
    assert m is not None
    assert page["all_levels"] == [4, 1, round(m.overall.share * 1000), round(m.overall.expected * 1000)]
    assert len([k for k in page if k.startswith("level_")]) == len(m.by_level) == 3


def test_workbook_has_a_sheet_per_table(examplia: str, tmp_path: Path) -> None:
    """The workbook opens with openpyxl; its sheets (translated titles) hold header rows, and the
    compared plans sit side by side with the plan first."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow,
            dataset="examplia",
            plan="merge-north",
            compare=["merge-south"],
            lang="uk",
            out=tmp_path,
            viewer=ADMIN,
        )
    assert written.xlsx is not None
    book = openpyxl.load_workbook(written.xlsx, read_only=True)
    details = {"milestones", "gantt", "critical", "consult_groups", "consult_items", "contested"}
    details |= {"opinion_groups", "monitoring_levels", "deviations", "good_practices"}
    titles = words("uk").sheets
    assert list(titles) == list(SHEETS)
    # whole titles, none cut at 31; the roadmap, consultation and monitoring sheets say they are absent
    assert book.sheetnames == [titles[k] for k in SHEETS if k not in details]
    compared = list(book.worksheets[11].iter_rows(values_only=True))
    assert compared[0][1:] == ("merge-north", "merge-south")
    book.close()


def test_markup_in_names_is_shown_as_text(examplia: str, tmp_path: Path) -> None:
    """A unit named with markup is escaped on the page (its operation and the map's hover text) and kept
    as plain text, not a formula, in the workbook."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow, dataset="examplia", plan="marked", lang="en", out=tmp_path, viewer=ADMIN
        )
    assert written.html is not None
    assert written.xlsx is not None
    html = written.html.read_text(encoding="utf-8")
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=" in html
    assert "<script" not in html
    book = openpyxl.load_workbook(written.xlsx)
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and MARKED in v for v in cells)
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_the_figures_follow_the_plan(examplia: str) -> None:
    """Merging two northern communes: one commune fewer, no one released, the map on the commune level
    with the two merged communes in one unit, the people of both placed or priced as surplus, the three
    sections still to come named."""
    d = data_of(examplia, compare=())
    communes = next(c for c in d.levels if c.name == "commune")
    assert (communes.before, communes.after) == (12, 11)
    assert d.released == 0
    assert d.headcount[0] == d.headcount[1]
    assert d.operations_by_kind == (("merge", 1),)
    assert d.map is not None
    assert d.map.level == "commune"
    went = {a.id: a.after_id for a in d.map.areas}
    assert went["c-north-1"] == went["c-north-2"] == "c-north-12"
    assert len(d.plans) == 1
    assert d.roadmap is None
    assert d.consultations == ()
    assert d.monitoring is None
    assert d.costs is not None
    assert (d.costs.candidates, d.costs.placed + d.costs.surplus) == (2, 2)
    assert sum(n for _, n in d.costs.surplus_by_regime) == d.costs.surplus
    assert "people" in d.synthetic
    as_json = d.to_dict()
    assert (as_json["roadmap"], as_json["consultations"], as_json["monitoring"]) == (None, [], None)


def test_synthetic_figures_are_labelled_and_the_source_cited(examplia: str) -> None:
    """Examplia is synthetic: the page carries the banner naming its synthetic parts, the people and
    apparatus sections carry the label, and the dataset's source is cited."""
    d = data_of(examplia)
    html = render_report(d, "en")
    assert 'id="synthetic-banner"' in html
    for section in ("apparatus", "people", "findings"):
        block = html.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
        assert '<span class="synthetic">Synthetic</span>' in block
    assert d.source
    assert f"Source: {escape(d.source)}" in html


def section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    ("lang", "roadmap", "consultation", "monitoring"),
    [
        (
            "en",
            "No roadmap has been built for this plan",
            "No consultation round has been opened on this plan.",
            "No progress has been reported on this plan",
        ),
        (
            "vi",
            "Chưa lập lộ trình nào cho phương án này",
            "Chưa mở đợt lấy ý kiến nào về phương án này.",
            "Chưa có báo cáo tiến độ nào",
        ),
        (
            "uk",
            "Для цього плану ще не складено дорожньої карти",
            "Щодо цього плану ще не відкрито жодного раунду консультацій.",
            "ще не надійшло жодного звіту",
        ),
    ],
)
def test_absent_sections_say_so(
    examplia: str, tmp_path: Path, lang: str, roadmap: str, consultation: str, monitoring: str
) -> None:
    """A plan without a roadmap, a round or a progress report has the three sections, each saying in
    the reader's language that nothing was built, opened or reported (not that it is unavailable);
    the workbook's section sheets say the same."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow, dataset="examplia", plan="merge-north", lang=lang, out=tmp_path, viewer=ADMIN
        )
    html = written.file("html").read_text(encoding="utf-8")
    assert roadmap in section(html, "roadmap")
    assert consultation in section(html, "consultation")
    assert monitoring in section(html, "monitoring")
    assert "Not yet available" not in html
    w = words(lang)
    book = openpyxl.load_workbook(written.file("xlsx"), read_only=True)
    cells = {
        key: [v for row in book[w.sheets[key]].iter_rows(values_only=True) for v in row]
        for key in ("roadmap", "consultation", "monitoring")
    }
    book.close()
    assert w["no_roadmap"] in cells["roadmap"]
    assert w["no_consultation"] in cells["consultation"]
    assert w["no_monitoring"] in cells["monitoring"]


def test_roadmap_section_of_a_plan_with_one(examplia: str) -> None:
    """Plan reform's roadmap: 4 steps over 60 days, the ministries' 60-day step alone on the critical
    path, the levels top first in the Gantt chart, continuity holding at the 4 boundaries, the
    milestones by date; the page draws the chart with the status date marked."""
    d = data_of(examplia, "reform", compare=())
    r = d.roadmap
    assert r is not None
    assert (r.steps, r.days, r.start.isoformat(), r.end.isoformat()) == (4, 60, "2025-03-01", "2025-04-30")
    assert r.critical_path == ("s1",)
    assert r.critical_total == 1
    assert [(g.level, g.steps, g.start, g.end) for g in r.gantt] == [
        ("ministry", 1, 0, 60),
        ("commune", 2, 0, 50),
        ("department", 1, 0, 30),
    ]
    assert r.gantt[0].critical == ((0, 60),)
    assert r.gantt[1].critical == ()
    assert (r.continuous, r.boundaries, r.first_break) == (True, 4, None)
    assert [(m.level, m.date.isoformat()) for m in r.milestones] == [
        ("department", "2025-03-31"),
        ("commune", "2025-04-20"),
        ("ministry", "2025-04-30"),
        ("", "2025-04-30"),
    ]
    as_json = json.loads(json.dumps(d.to_dict()))  # the CLI's --json
    assert (as_json["roadmap"]["days"], as_json["monitoring"]["deviations_total"]) == (60, 3)
    assert as_json["consultations"][0]["results"]["groups"][1]["group"] == "committee"
    block = section(render_report(d, "uk"), "roadmap")
    assert block.count('<svg class="gantt"') == 1
    assert "Діаграма Ганта верхніх рівнів" in block
    assert "stroke-dasharray" in block  # the status date
    assert 'id="continuity-verdict"' in block


def test_monitoring_section_finds_the_planted_deviations(examplia: str) -> None:
    """Plan reform's progress to 2025-04-10: the late step, the regression and the silent unit are the
    deviations, each with its evidence; the step done early is the good practice; hand-made reports
    are not labelled synthetic."""
    m = data_of(examplia, "reform", compare=()).monitoring
    assert m is not None
    assert m.as_of.isoformat() == "2025-04-10"
    assert (m.reports, m.synthetic_reports, m.synthetic) == (6, 0, False)
    assert {(x.kind, x.step, x.unit) for x in m.deviations} == {
        ("late", "s4", "p-south"),
        ("regression", "s3", "p-north"),
        ("silent", "", "p-south"),
    }
    regression = next(x for x in m.deviations if x.kind == "regression")
    assert dict(regression.evidence)["indicator"] == "tasks_handed_over"
    assert dict(m.deviations_by_kind) == {"late": 1, "regression": 1, "silent": 1}
    assert [(g.step, g.days) for g in m.good_practices] == [("s2", 6)]
    assert (m.overall.steps, m.overall.done) == (4, 1)
    html = render_report(data_of(examplia, "reform", compare=()), "vi")
    block = section(html, "monitoring")
    assert "chậm so với kế hoạch" in block  # "late", in Vietnamese
    assert "chỉ số: nhiệm vụ đã bàn giao" in block  # the regression's evidence: indicator, its name
    assert "tasks_handed_over" not in block
    assert '<span class="synthetic">' not in block


def test_a_synthetic_history_is_labelled(examplia: str, tmp_path: Path) -> None:
    """Plan merge-south's progress is the demo's seeded synthetic history: the monitoring section
    carries the synthetic label and banner, the workbook's monitoring sheets a note."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow, dataset="examplia", plan="merge-south", lang="en", out=tmp_path, viewer=ADMIN
        )
    m = written.data.monitoring
    assert m is not None
    assert m.synthetic
    assert m.synthetic_reports == m.reports > 0
    block = section(written.file("html").read_text(encoding="utf-8"), "monitoring")
    assert '<span class="synthetic">Synthetic</span>' in block
    assert 'id="synthetic-history"' in block
    w = words("en")
    book = openpyxl.load_workbook(written.file("xlsx"), read_only=True)
    notes = [row[0] for row in book[w.sheets["monitoring"]].iter_rows(values_only=True) if row]
    book.close()
    assert w["synthetic_history"] in notes


def test_consultation_section_holds_aggregates_only(examplia: str, tmp_path: Path) -> None:
    """Round 1 (named, closed) and round 2 (anonymous, open): per round its state, invitations and
    answers, per group the counted stances, consensus per operation and the most contested first;
    no login of a person who answered and no comment shows on the page or in the workbook."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow, dataset="examplia", plan="reform", lang="en", out=tmp_path, viewer=ADMIN
        )
    first, second = written.data.consultations
    assert (first.state, first.anonymous, first.invited, first.answered) == ("closed", False, 4, 4)
    assert (second.state, second.anonymous, second.invited, second.answered) == ("open", True, 2, 1)
    res = first.results
    assert res is not None
    assert res.frozen
    committee = next(g for g in res.groups if g.group == "committee")
    assert (committee.weight, committee.agree, committee.disagree, committee.abstain) == (2.0, 5, 1, 0)
    assert res.contested[0].item == 3  # committee and experts split on the southern merge
    assert res.contested[0].consensus == 0.0
    assert [i.item for i in res.items] == [0, 2, 3, -1]
    assert res.comments == 1
    html = written.file("html").read_text(encoding="utf-8")
    block = section(html, "consultation")
    assert "The whole plan" in block
    book = openpyxl.load_workbook(written.file("xlsx"), read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    book.close()
    for secret in (SECRET_COMMENT, *VOTERS):
        assert secret not in html
        assert not [c for c in cells if secret in c]


def test_a_reviewer_sees_no_live_results(examplia: str) -> None:
    """A reviewer reads the report but may not see an open round's live results: round 2 is listed
    with its counts of invitations and answers only; the closed round's frozen results are shown."""
    rounds = data_of(examplia, "reform", compare=(), viewer=access.Principal("rev", "reviewer")).consultations
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[0].results is not None
    assert rounds[1].results is None
    assert rounds[1].answered == 1


def test_opinion_groups_and_a_bridging_fix_render(examplia: str, tmp_path: Path) -> None:
    """Opinion groups (what each agrees and disagrees on, what all share, the whole plan named in the
    reader's language) and a bridging fix (the unit that keeps leading the task where, until which
    step) are drawn from the report's data, on the page and in the workbook."""
    d = data_of(examplia, "reform", compare=())
    assert d.roadmap is not None
    first = d.consultations[0]
    assert first.results is not None
    groups = (
        OpinionLine(1, 3, ((0, "0 merge: the ministries"),), ((3, "3 merge: the south"),)),
        OpinionLine(2, 1, ((3, "3 merge: the south"),), ()),
    )
    results = dataclasses.replace(
        first.results, opinion_groups=groups, shared_agree=((-1, "the whole plan"),)
    )
    gap = BreakLine(
        "s3",
        dt.date(2025, 4, 20),
        "coverage",
        "",
        {},
        "task land would have no lead",
        ("land", "p-north"),
        fix="bridge",
        fix_after="s4",
        fix_task="land",
        fix_places=("p-north",),
        fix_unit="d-north-fin",
    )
    roadmap = dataclasses.replace(d.roadmap, breaks=1, first_break=gap)
    d = dataclasses.replace(d, roadmap=roadmap, consultations=(dataclasses.replace(first, results=results),))
    html = render_report(d, "en")
    block = section(html, "consultation")
    assert "3 merge: the south" in block
    assert "What all groups share" in block
    assert "The whole plan" in block
    assert "the whole plan" not in block  # the core's English label is not shown
    roadmap_block = section(html, "roadmap")
    assert "Fix: d-north-fin keeps leading land in p-north until step s4 is done." in roadmap_block
    assert "every task led everywhere" in roadmap_block  # the rule, in words
    assert 'class="verdict broken"' in roadmap_block
    w = words("en")
    book = openpyxl.load_workbook(write_workbook(d, "en", tmp_path / "r.xlsx"), read_only=True)
    opinions = list(book[w.sheets["opinion_groups"]].iter_rows(values_only=True))
    figures = dict(row[:2] for row in book[w.sheets["roadmap"]].iter_rows(values_only=True) if row)
    book.close()
    assert (1, 1, 3, "Disagree", "3 merge: the south") in opinions
    assert (1, "all groups", None, "Agree", "The whole plan") in opinions
    assert figures["First break: Proposed fix"] == "bridge: d-north-fin / land / p-north → s4"
