"""The inline SVG drawings: bars proportional to their values, text escaped, maps fitted to the box."""

from __future__ import annotations

import re

from reorg.report.svg import PALETTE, bar_chart, map_svg


def test_bars_are_proportional_and_text_is_escaped() -> None:
    """The longest bar fills the bar area, the others in proportion; labels and the title are escaped."""
    svg = bar_chart([("<b>a</b>", 10, 5), ("b & c", 0, 2.5)], ("before", "after"), str, 'x"y')
    widths = [float(w) for w in re.findall(r'<rect x="220" y="\d+" width="([\d.]+)"', svg)]
    assert widths[1:] == [330.0, 165.0, 0.0, 82.5]  # the first is the legend's swatch
    assert "<b>a</b>" not in svg
    assert "&lt;b&gt;a&lt;/b&gt;" in svg
    assert "b &amp; c" in svg
    assert 'aria-label="x&#34;y"' in svg
    assert "<script" not in svg


def test_map_colours_by_key_and_fits_the_box() -> None:
    """Two squares going into one unit share a colour, a third gets the next; every point lies inside
    the drawing; an area without geometry is left out."""

    def square(x: float) -> dict[str, object]:
        return {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]}

    svg = map_svg(
        [("a", "k1", square(0)), ("b", "k1", square(1)), ("c", "k2", square(2)), ("d", "k3", None)], "m"
    )
    fills = re.findall(r'fill="(#[0-9a-f]+)"', svg)
    assert fills == [PALETTE[0], PALETTE[0], PALETTE[1]]
    xy = [float(v) for v in re.findall(r"[ML,](-?[\d.]+)", svg)]
    assert xy
    assert min(xy) >= 0
    assert max(xy) <= 720
