"""The inline SVG drawings: bars proportional to their values, text escaped, maps fitted to the box,
Gantt bars on a time axis."""

from __future__ import annotations

import datetime as dt
import re

from reorg.report.svg import PALETTE, bar_chart, gantt_chart, map_svg


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


def test_gantt_bars_on_the_time_axis() -> None:
    """Each row's bar spans its days on the axis (the longest row the whole axis), critical spans are
    drawn over it, a diamond marks its end, months are ticked and labelled, the marker is dashed, and
    every text is escaped."""
    svg = gantt_chart(
        [("<b>ministry</b>", 0, 60, [(0, 60)], "steps: 1"), ("commune", 15, 45, [], "steps: 2")],
        start=dt.date(2025, 3, 1),
        days=60,
        legend=("steps", "critical & late"),
        date_label=lambda d: d.strftime("%b %Y"),
        title='gantt "x"',
        marker=(40, "status on 2025-04-10"),
    )
    bars = re.findall(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="14" fill="#d5dbe2"', svg)
    assert [(float(x), float(w)) for x, w in bars] == [(150.0, 520.0), (280.0, 260.0)]
    critical = re.findall(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="8" fill="#8f1d16"', svg)
    assert [(float(x), float(w)) for x, w in critical] == [(150.0, 520.0)]
    assert svg.count("<path d=") == 2  # one milestone per row
    assert ">Mar 2025<" in svg
    assert ">Apr 2025<" in svg
    assert "stroke-dasharray" in svg
    assert "status on 2025-04-10" in svg
    assert "<b>" not in svg
    assert "&lt;b&gt;ministry&lt;/b&gt;" in svg
    assert "critical &amp; late" in svg
    assert 'aria-label="gantt &#34;x&#34;"' in svg


def test_gantt_ticks_quarters_on_long_roadmaps() -> None:
    """Past a year the axis is ticked every quarter from its labelled start, and a roadmap shorter than
    a month gets its two ends."""
    long = gantt_chart(
        [("a", 0, 700, [], "")],
        start=dt.date(2025, 1, 15),
        days=700,
        legend=("a", "b"),
        date_label=lambda d: d.isoformat(),
        title="t",
    )
    labels = re.findall(r">(\d{4}-\d{2}-\d{2})<", long)
    assert labels[0] == "2025-01-15"  # the start, always labelled
    # quarters, labelled where they do not crowd the previous label (April is too near the start)
    assert labels[1:4] == ["2025-07-01", "2025-10-01", "2026-01-01"]
    assert long.count('stroke="#d9dee5"') == 1 + 7  # the start and every quarter in 700 days
    short = gantt_chart(
        [("a", 0, 10, [], "")],
        start=dt.date(2025, 3, 5),
        days=10,
        legend=("a", "b"),
        date_label=lambda d: d.isoformat(),
        title="t",
    )
    assert ">2025-03-05<" in short
    assert ">2025-03-15<" in short
