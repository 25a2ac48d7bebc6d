"""The summary report of a reform as one self-contained HTML page, in a reader's language.

Drawn from a ``ReportData`` (``reorg.report.data``), the same one the workbook is written from. The
page has no external assets and no scripts: CSS inline, charts and the map as inline SVG
(``reorg.report.svg``), so it can be mailed, archived or printed (print CSS keeps sections whole).
Every value is escaped by Jinja2's autoescape; every sentence goes through gettext (``_()`` in the
template, ``reorg.report.words`` for the labels shared with the workbook); findings are rendered from
their template key and parameters (``reorg.i18n.explain``) and numbers the language's way.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from reorg import i18n
from reorg.diagnose.findings import SEVERITIES
from reorg.errors import ReorgError
from reorg.report.data import ReportData
from reorg.report.svg import bar_chart, gantt_chart, map_svg
from reorg.report.words import Words, words

__all__ = ["render_report", "write_report"]


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("reorg.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def _charts(data: ReportData, w: Words) -> dict[str, Markup]:
    def number(x: float) -> str:
        return i18n.format_number(x, w.lang)

    legend = (w["before"], w["after"])
    levels = [(c.name, float(c.before), float(c.after)) for c in data.levels]
    findings = [(w.kind(c.name), float(c.before), float(c.after)) for c in data.findings_by_kind]
    return {
        "levels": bar_chart(levels, legend, number, w["apparatus"]),
        "findings": bar_chart(findings, legend, number, w["findings_kind"]),
    }


def _map(data: ReportData, w: Words) -> Markup:
    if data.map is None:
        return Markup("")
    areas = [
        (f"{a.name} → {a.after_name or '–'}", a.after_id or f"-{a.id}", a.geometry) for a in data.map.areas
    ]
    return map_svg(areas, f"{w['map']}: {data.map.level}")


def _gantt(data: ReportData, w: Words) -> Markup:
    """The Gantt chart of the roadmap's top levels, the status date marked when progress was reported."""
    r = data.roadmap
    if r is None:
        return Markup("")
    rows = [
        (
            g.level or w["no_level"],
            g.start,
            g.end,
            g.critical,
            f"{w['steps']}: {i18n.format_number(g.steps, w.lang)}",
        )
        for g in r.gantt
    ]
    marker = None
    m = data.monitoring
    if m is not None:
        marker = ((m.as_of - r.start).days, f"{w['status_on']} {i18n.format_date(m.as_of, w.lang)}")
    return gantt_chart(
        rows,
        start=r.start,
        days=r.days,
        legend=(w["gantt_bar"], w["on_critical_path"]),
        date_label=lambda d: format_date(d, "MMM y", locale=w.lang),
        title=w["gantt"],
        marker=marker,
    )


def render_report(data: ReportData, lang: str, *, generated: datetime | None = None) -> str:
    """The report of ``data`` as one HTML document in ``lang`` (English for an unknown language);
    ``generated`` (default: now) is the moment the footer names."""
    w = words(lang)

    def num(x: float, digits: int = 0) -> str:
        return i18n.format_number(x, w.lang, digits)

    def pct(x: float | None) -> str:
        return "–" if x is None else i18n.format_percent(x, w.lang, 1)

    def day(d: dt.date) -> str:
        return i18n.format_date(d, w.lang)

    def signed(x: int) -> str:
        return ("+" if x > 0 else "−" if x < 0 else "") + i18n.format_number(abs(x), w.lang)

    moment = generated or datetime.now(UTC)
    template = _environment(w.lang).get_template("reform.html")
    return template.render(
        d=data,
        w=w,
        num=num,
        signed=signed,
        explain=w.finding,
        charts=_charts(data, w),
        map_svg=_map(data, w),
        gantt_svg=_gantt(data, w),
        pct=pct,
        day=day,
        evidence=lambda pairs: w.evidence(pairs, lambda v: num(v, 2 if 0 < abs(v) < 1 else 0)),
        severities=SEVERITIES,
        synthetic_list=format_list([w.part(p) for p in data.synthetic], locale=w.lang)
        if data.synthetic
        else "",
        generated=i18n.format_datetime(moment, w.lang),
        as_of=i18n.format_date(data.costs.as_of, w.lang) if data.costs else "",
    )


def write_report(data: ReportData, lang: str, path: Path) -> Path:
    """Write the page to ``path`` (its folder created); an unwritable path is a ReorgError naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_report(data, lang), encoding="utf-8")
    except OSError as exc:
        raise ReorgError(f"cannot write {path}: {exc.strerror}") from None
    return path
