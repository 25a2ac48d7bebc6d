"""Small inline SVG drawings for self-contained pages: a grouped bar chart, a territorial map and a
Gantt chart.

Both return markup safe to put into a page as is: every piece of text (labels, names, numbers) is
escaped here, and nothing refers to anything outside the drawing (no fonts, images or scripts). The map
is drawn in a plain equirectangular projection (longitude scaled by the cosine of the mean latitude),
fitted to the drawing's box, north up. The Gantt chart is black text on white with outlined bars and
a dark colour for the critical path, so that it reads printed in grey as well.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

__all__ = ["PALETTE", "bar_chart", "gantt_chart", "histogram_svg", "map_svg"]

#: fill colours of the map, one per unit of the plan's result (in order of first appearance, repeating)
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d4a6c8",
)
#: the two bars of a category: before, after
BAR_COLOURS = ("#9aa5b1", "#0b5cad")

#: bar chart geometry (px): label column, bar area, value column, one bar's height, gap between rows
LABEL_W, BARS_W, VALUE_W, BAR_H, GAP = 220, 330, 90, 11, 10


def bar_chart(
    rows: Sequence[tuple[str, float, float]],
    legend: tuple[str, str],
    number: Callable[[float], str],
    title: str,
) -> Markup:
    """Horizontal bars of (label, before, after) rows, two bars per row, the longest bar as wide as the
    bar area; ``number`` writes a value as the reader's language does; ``title`` names the chart for
    screen readers."""
    top = max([1.0, *(max(b, a) for _, b, a in rows)])
    width = LABEL_W + BARS_W + VALUE_W
    row_h = 2 * BAR_H + GAP
    height = 24 + row_h * len(rows)
    out = _opening("chart", width, height, title)
    for k, (name, colour) in enumerate(zip(legend, BAR_COLOURS, strict=True)):
        x = LABEL_W + k * 140
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="13" font-size="12">{escape(name)}</text>')
    for i, (label, before, after) in enumerate(rows):
        y = 24 + i * row_h
        out.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H + 4}" font-size="12" text-anchor="end">'
            f"{escape(_clip(label, 34))}</text>"
        )
        for k, value in enumerate((before, after)):
            w = round(BARS_W * max(value, 0.0) / top, 1)
            by = y + k * BAR_H
            out.append(
                f'<rect x="{LABEL_W}" y="{by}" width="{w}" height="{BAR_H - 1}" fill="{BAR_COLOURS[k]}"/>'
            )
            shown = escape(number(value))
            out.append(f'<text x="{LABEL_W + w + 4}" y="{by + BAR_H - 2}" font-size="10">{shown}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def histogram_svg(counts: Sequence[int], edges: Sequence[float], value: float, title: str) -> Markup:
    """A small histogram (bars between consecutive ``edges``, the tallest as high as the drawing) with a
    red line at ``value``, e.g. where a plan falls in an ensemble; ``title`` names it for screen
    readers."""
    width, height, pad = 240, 48, 2
    top = max([1, *counts])
    lo, hi = edges[0], edges[-1]
    span = hi - lo if hi > lo else 1.0
    bar = (width - 2 * pad) / max(len(counts), 1)
    out = _opening("hist", width, height, title)
    for k, c in enumerate(counts):
        h = round((height - 2 * pad) * c / top, 1)
        x = round(pad + k * bar, 1)
        out.append(
            f'<rect x="{x}" y="{round(height - pad - h, 1)}" width="{round(bar - 1, 1)}" height="{h}" '
            f'fill="{BAR_COLOURS[0]}"/>'
        )
    if math.isfinite(value):
        x = round(pad + (width - 2 * pad) * min(max((value - lo) / span, 0.0), 1.0), 1)
        out.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#d62728" stroke-width="2"/>')
    out.append("</svg>")
    return Markup("".join(out))


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _rings(geometry: Mapping[str, Any] | None) -> Iterator[Sequence[Sequence[float]]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon; nothing for other geometries."""
    if not geometry:
        return
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        yield from polygon


def map_svg(
    areas: Sequence[tuple[str, str, Mapping[str, Any] | None]],
    title: str,
    *,
    width: int = 720,
    height: int = 480,
) -> Markup:
    """The areas (hover text, colour key, GeoJSON geometry in lon/lat degrees) drawn as filled paths,
    one colour per distinct key (``PALETTE`` in order of first appearance); areas without a polygon are
    left out. An empty drawing when no area has one."""
    rings = [list(_rings(g)) for _, _, g in areas]
    points = [p for rs in rings for r in rs for p in r]
    out = _opening("map", width, height, title)
    if points:
        lons = [float(p[0]) for p in points]
        lats = [float(p[1]) for p in points]
        scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - min(lons)) * scale_x, 1e-9)
        span_y = max(max(lats) - min(lats), 1e-9)
        k = min((width - 8) / span_x, (height - 8) / span_y)
        x0 = 4 + ((width - 8) - span_x * k) / 2
        y0 = 4 + ((height - 8) - span_y * k) / 2
        west, north = min(lons), max(lats)
        colours: dict[str, str] = {}
        stroke = 0.6 if len(areas) < 500 else 0.15  # thin borders where thousands of areas share the box
        for (hover, key, _), area_rings in zip(areas, rings, strict=True):
            if not area_rings:
                continue
            colour = colours.setdefault(key, PALETTE[len(colours) % len(PALETTE)])
            path = "".join(
                "M"
                + "L".join(
                    f"{x0 + (float(p[0]) - west) * scale_x * k:.1f},{y0 + (north - float(p[1])) * k:.1f}"
                    for p in ring
                )
                + "Z"
                for ring in area_rings
            )
            out.append(
                f'<path d="{path}" fill="{colour}" fill-rule="evenodd" stroke="#fff" stroke-width="{stroke}">'
                f"<title>{escape(hover)}</title></path>"
            )
    out.append("</svg>")
    return Markup("".join(out))


#: Gantt geometry (px): label column, time axis, note column, row height, the band above the rows
GANTT_LABEL_W, GANTT_AXIS_W, GANTT_NOTE_W, GANTT_ROW_H, GANTT_TOP = 150, 520, 120, 26, 46
#: a row's bar, and its critical spans
GANTT_COLOURS = ("#d5dbe2", "#8f1d16")


def _ticks(start: dt.date, span: int) -> list[tuple[int, dt.date]]:
    """Days (from ``start``) of the start and of the first of each month in ``0..span`` (each quarter
    past a year, each year past three); the end too when no month starts inside."""
    step = 1 if span <= 370 else 3 if span <= 1100 else 12
    out = []
    year, month = start.year, start.month
    while True:
        first = dt.date(year, month, 1)
        day = (first - start).days
        if day > span:
            break
        if day >= 0 and (month - 1) % step == 0:
            out.append((day, first))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not out or out[0][0] > 0:
        out.insert(0, (0, start))  # the axis always says where it starts
    if len(out) == 1:
        out.append((span, start + dt.timedelta(days=span)))
    return out


def gantt_chart(
    rows: Sequence[tuple[str, int, int, Sequence[tuple[int, int]], str]],
    *,
    start: dt.date,
    days: int,
    legend: tuple[str, str],
    date_label: Callable[[dt.date], str],
    title: str,
    marker: tuple[int, str] | None = None,
) -> Markup:
    """One bar per row (label, first day, end day, critical spans, note), days counted from ``start``:
    the bar from the first to the end day, its critical spans drawn over it in the second colour of
    ``legend``, a diamond at its end (the row's milestone) and the note to its right. The axis runs
    ``days`` (to the marker when later) with a tick on the first of each month, labelled by
    ``date_label``; ``marker`` (day, text) is a dashed line such as the status date. ``title`` names
    the chart for screen readers; every text is escaped."""
    span = max(1, days, marker[0] if marker else 0)
    width = GANTT_LABEL_W + GANTT_AXIS_W + GANTT_NOTE_W
    bottom = GANTT_TOP + GANTT_ROW_H * len(rows) + 2
    height = bottom + (18 if marker else 4)

    def x(day: float) -> float:
        return round(GANTT_LABEL_W + GANTT_AXIS_W * min(max(day, 0), span) / span, 1)

    out = _opening("gantt", width, height, title)
    for k, (name, colour) in enumerate(zip(legend, GANTT_COLOURS, strict=True)):
        lx = GANTT_LABEL_W + k * 220
        out.append(f'<rect x="{lx}" y="4" width="14" height="10" fill="{colour}" stroke="#1d2733"/>')
        out.append(f'<text x="{lx + 18}" y="13" font-size="12">{escape(_clip(name, 30))}</text>')
    shown = -1000.0
    for day, month_start in _ticks(start, span):
        tx = x(day)
        out.append(f'<line x1="{tx}" y1="{GANTT_TOP - 8}" x2="{tx}" y2="{bottom}" stroke="#d9dee5"/>')
        if tx - shown >= 64:
            shown_label = escape(date_label(month_start))
            out.append(f'<text x="{tx + 2}" y="{GANTT_TOP - 12}" font-size="10">{shown_label}</text>')
            shown = tx
    for i, (label, first, end, critical, note) in enumerate(rows):
        y = GANTT_TOP + i * GANTT_ROW_H
        mid = y + GANTT_ROW_H / 2
        out.append(
            f'<text x="{GANTT_LABEL_W - 6}" y="{mid + 4}" font-size="12" text-anchor="end">'
            f"{escape(_clip(label, 24))}</text>"
        )
        x0, x1 = x(first), x(end)
        out.append(
            f'<rect x="{x0}" y="{y + 6}" width="{max(x1 - x0, 1.0)}" height="{GANTT_ROW_H - 12}" '
            f'fill="{GANTT_COLOURS[0]}" stroke="#1d2733" stroke-width="0.8"/>'
        )
        for a, b in critical:
            ca, cb = x(a), x(b)
            out.append(
                f'<rect x="{ca}" y="{y + 9}" width="{max(cb - ca, 1.0)}" height="{GANTT_ROW_H - 18}" '
                f'fill="{GANTT_COLOURS[1]}"/>'
            )
        out.append(
            f'<path d="M{x1},{mid - 6}L{x1 + 6},{mid}L{x1},{mid + 6}L{x1 - 6},{mid}Z" fill="#1d2733"/>'
        )
        out.append(
            f'<text x="{GANTT_LABEL_W + GANTT_AXIS_W + 10}" y="{mid + 4}" font-size="11">'
            f"{escape(_clip(note, 20))}</text>"
        )
    if marker is not None:
        mx = x(marker[0])
        right = mx > GANTT_LABEL_W + GANTT_AXIS_W / 2  # the text goes left of the line
        anchor = ' text-anchor="end"' if right else ""
        out.append(
            f'<line x1="{mx}" y1="{GANTT_TOP - 8}" x2="{mx}" y2="{bottom}" stroke="#1d2733" '
            'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{mx - 3 if right else mx + 3}" y="{bottom + 13}" font-size="10"{anchor}>'
            f"{escape(_clip(marker[1], 40))}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _opening(cls: str, width: float, height: float, title: str) -> list[str]:
    """The first lines of every chart: the ``<svg>`` element of class ``cls``, labelled ``title`` for
    screen readers and as its tooltip."""
    return [
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
