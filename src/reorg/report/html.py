"""A self-contained HTML page built from sections of figures and tables.

The page has no external assets (CSS inline, no scripts), so it can be mailed or opened offline. Every
value is escaped by Jinja2's autoescape: names with markup or formulas are shown as text. Parts of the
data that are synthetic carry a visible "synthetic" label wherever they are shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

__all__ = ["Figure", "Page", "Section", "Table", "render", "write"]


@dataclasses.dataclass(frozen=True)
class Figure:
    """One headline number: a label, a value as shown, and an optional note (source, unit)."""

    label: str
    value: str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Table:
    """A table of text cells; ``caption`` says what it shows."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclasses.dataclass(frozen=True)
class Section:
    """A titled part of the page: a lead paragraph, figures, charts (inline SVG made by
    ``reorg.report.svg``, which escapes their text), tables; ``synthetic`` labels it."""

    title: str
    lead: str = ""
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    notes: Sequence[str] = ()
    synthetic: bool = False
    charts: Sequence[Markup] = ()
    id: str = ""


@dataclasses.dataclass(frozen=True)
class Page:
    title: str
    subtitle: str
    sections: Sequence[Section]
    synthetic_parts: Sequence[str] = ()
    sources: Sequence[str] = ()


def _numeric(cell: object) -> bool:
    """A cell shown as a number (right-aligned): a number, or text like "1,234", "-5", "0.31", "6.8%"."""
    if isinstance(cell, int | float):
        return True
    text = str(cell).replace(",", "").replace(".", "").rstrip("%").lstrip("+-−")
    return text.isdigit()


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reorg.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["numeric"] = _numeric
    return env


def render(page: Page) -> str:
    """The page as one HTML document."""
    template = _environment().get_template("page.html")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(page=page, generated=generated)


def write(page: Page, path: Path) -> Path:
    """Write the page to ``path`` (folders created); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(page), encoding="utf-8")
    return path
