"""Small inline SVG drawings for self-contained pages: a grouped bar chart and a territorial map.

Both return markup safe to put into a page as is: every piece of text (labels, names, numbers) is
escaped here, and nothing refers to anything outside the drawing (no fonts, images or scripts). The map
is drawn in a plain equirectangular projection (longitude scaled by the cosine of the mean latitude),
fitted to the drawing's box, north up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

__all__ = ["PALETTE", "bar_chart", "histogram_svg", "map_svg"]

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
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
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
    out = [
        f'<svg class="hist" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
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
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
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
