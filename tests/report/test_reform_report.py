"""The summary report of a reform: its sections in three languages, the same totals in the page and the
workbook, names shown as text, and its figures matching the plan."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from markupsafe import escape
from report_kit import MARKED, SECTIONS, html_totals, xlsx_totals

from reorg.diagnose.findings import KINDS, TEMPLATES
from reorg.report.data import ReportData
from reorg.report.reform import render_report
from reorg.report.words import words
from reorg.services import Settings, access, open_database
from reorg.services.report import report_data, write_reform_report

ADMIN = access.Principal("test", "admin")

#: headings that must not stay English in the other languages
ENGLISH_HEADINGS = ("The apparatus before and after", "Findings before and after", "The plan", "People")


def data_of(url: str, plan: str = "merge-north", compare: tuple[str, ...] = ("merge-south",)) -> ReportData:
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="test", readonly=True) as uow:
        return report_data(uow, dataset="examplia", plan=plan, compare=compare, viewer=ADMIN)


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>.*", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]


@pytest.mark.parametrize("lang", ["en", "vi", "uk"])
def test_every_section_renders_in_each_language(examplia: str, lang: str) -> None:
    """The page in en, vi and uk has every section, in order, and says which language it is in."""
    html = render_report(data_of(examplia), lang)
    found = re.findall(r'<section id="([^"]+)"', html)
    assert tuple(found) == SECTIONS
    assert f'<html lang="{lang}">' in html


@pytest.mark.parametrize("lang", ["vi", "uk"])
def test_no_english_heading_left(examplia: str, lang: str) -> None:
    """In Vietnamese and Ukrainian no heading of the page is the English one."""
    shown = headings(render_report(data_of(examplia), lang))
    english = headings(render_report(data_of(examplia), "en"))
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
    """The totals read from the page (units, operations, people) equal those read from the workbook,
    and both equal the ReportData they were written from."""
    with open_database(Settings(db_url=examplia)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        written = write_reform_report(
            uow,
            dataset="examplia",
            plan="merge-north",
            compare=["merge-south"],
            lang=lang,
            out=tmp_path,
            viewer=ADMIN,
        )
    assert written.html is not None
    assert written.xlsx is not None
    page = html_totals(written.html.read_text(encoding="utf-8"))
    book = xlsx_totals(written.xlsx)
    assert page == book
    d = written.data
    assert page["units"] == [*d.units_total, d.units_total[1] - d.units_total[0]] == [28, 27, -1]
    assert page["headcount_before"] == [d.headcount[0]]
    assert page["moved"] == [d.moved]
    assert page["operations"] == [1]
    assert d.costs is not None
    assert page["surplus"] == [d.costs.surplus]
    assert page["cost"] == [round(d.costs.cost)] != [0]


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
    assert book.sheetnames == list(words("uk").sheets.values())  # whole titles, none cut at 31
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
    assert d.hooks == ("roadmap", "consultation", "monitoring")
    assert d.costs is not None
    assert (d.costs.candidates, d.costs.placed + d.costs.surplus) == (2, 2)
    assert sum(n for _, n in d.costs.surplus_by_regime) == d.costs.surplus
    assert "people" in d.synthetic
    assert d.to_dict()["not_yet_available"] == list(d.hooks)


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
