"""Property: any apparatus made of valid text and numbers survives CSV and XLSX unchanged."""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reorg.io import load, write
from reorg.io.schema import FILES
from reorg.model import (
    Apparatus,
    DatasetInfo,
    DutyRow,
    LevelRow,
    NeighbourRow,
    PersonRow,
    ResultRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)

#: valid text: anything but control characters other than tab, newline and carriage return
TEXT = st.text(
    st.characters(
        exclude_categories=("Cs",),
        exclude_characters=[chr(c) for c in (*range(9), 11, 12, *range(14, 32), 127)],
    ),
    min_size=1,
    max_size=12,
)
MAYBE_TEXT = st.one_of(st.just(""), TEXT)
NUMBER = st.one_of(st.just(math.nan), st.floats(min_value=0, max_value=1e300))
ANY_NUMBER = st.one_of(st.just(math.nan), st.floats(allow_nan=False, allow_infinity=False))
DATE = st.one_of(st.none(), st.dates(min_value=date(1800, 1, 1), max_value=date.today()))
ATTRIBUTE = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in FILES["units"].columns
)
PERSON_ATTRIBUTE = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in FILES["people"].columns
)
PARTS = ["units", "tasks", "duties", "people", "results", "neighbours", "territories"]


@st.composite
def units_and_levels(draw: st.DrawFn) -> tuple[list[UnitRow], list[LevelRow], set[str]]:
    """Units forming one tree (parents drawn among earlier units, each child's level ranked below its
    parent's, as import requires), levels, and the territorial ids."""
    level_names = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
    levels = [LevelRow(n, draw(st.integers(0, 4)), draw(st.booleans())) for n in level_names]
    rank = {lv.level: lv.rank for lv in levels}
    territorial_levels = {lv.level for lv in levels if lv.territorial}
    ids = draw(st.lists(TEXT, min_size=1, max_size=7, unique=True))
    attributes = draw(st.lists(ATTRIBUTE, max_size=2, unique=True))
    units: list[UnitRow] = []
    territorial = set()
    for k, uid in enumerate(ids):
        parent, level = "", draw(st.sampled_from(level_names))
        if k:
            open_parents = [u for u in units if rank[u.level] < max(rank.values())]
            if not open_parents:
                break
            above = draw(st.sampled_from(open_parents))
            parent = above.id
            level = draw(st.sampled_from([n for n in level_names if rank[n] > rank[above.level]]))
        lat = draw(st.one_of(st.just(math.nan), st.floats(-90, 90)))
        lon = draw(st.one_of(st.just(math.nan), st.floats(-180, 180)))
        numbers = [draw(NUMBER) for _ in range(3)]
        attrs = tuple((a, draw(ANY_NUMBER)) for a in attributes)
        units.append(UnitRow(uid, draw(TEXT), level, draw(MAYBE_TEXT), parent, *numbers, lat, lon, attrs))
        if not parent or level in territorial_levels:
            territorial.add(uid)
    return units, levels, territorial


@st.composite
def apparatuses(draw: st.DrawFn) -> Apparatus:
    """A valid apparatus with every table filled from arbitrary valid text and numbers, unit and
    person attributes included."""
    units, levels, territorial = draw(units_and_levels())
    unit_ids = [u.id for u in units]
    task_ids = draw(st.lists(TEXT, max_size=4, unique=True))
    tasks = [
        TaskRow(t, draw(TEXT), draw(MAYBE_TEXT), draw(st.sampled_from(["", *task_ids[:k]])), draw(MAYBE_TEXT))
        for k, t in enumerate(task_ids)
    ]
    duty_keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(unit_ids),
                st.sampled_from(task_ids or [""]),
                st.sampled_from(["lead", "support"]),
                st.sampled_from(["", *sorted(territorial)]),
            ),
            max_size=6 if task_ids else 0,
            unique=True,
        )
    )
    duties = [DutyRow(*key, legal_basis=draw(MAYBE_TEXT)) for key in duty_keys]
    people = []
    person_attributes = draw(st.lists(PERSON_ATTRIBUTE, max_size=2, unique=True))
    for pid in draw(st.lists(TEXT, max_size=4, unique=True)):
        born, started = sorted([draw(DATE) or date(1800, 1, 1), draw(DATE) or date(1800, 1, 1)])
        people.append(
            PersonRow(
                pid,
                draw(st.sampled_from(unit_ids)),
                draw(MAYBE_TEXT),
                draw(MAYBE_TEXT),
                born if draw(st.booleans()) else None,
                draw(MAYBE_TEXT),
                started if draw(st.booleans()) else None,
                draw(NUMBER),
                tuple((a, draw(MAYBE_TEXT)) for a in person_attributes),
            )
        )
    result_keys = draw(
        st.lists(
            st.tuples(st.sampled_from([p.id for p in people] or [""]), TEXT, TEXT),
            max_size=4 if people else 0,
            unique=True,
        )
    )
    results = [
        ResultRow(*key, draw(st.floats(0, 1e9)), draw(st.floats(0, 1e9)), draw(NUMBER)) for key in result_keys
    ]
    pairs = draw(st.lists(st.tuples(st.sampled_from(unit_ids), st.sampled_from(unit_ids)), max_size=5))
    seen = {frozenset(p) for p in pairs if p[0] != p[1]}
    neighbours = [NeighbourRow(*sorted(p), draw(NUMBER)) for p in seen]
    standards = [
        StandardRow(
            lv.level,
            draw(NUMBER),
            draw(NUMBER),
            float(draw(st.integers(0, 10**6))),
            kind,
            draw(st.sampled_from(["", "island", "mountainous"])),
        )
        for lv in levels
        for kind in draw(st.lists(st.sampled_from(["", "Phường", "ward"]), max_size=2, unique=True))
    ]
    info = DatasetInfo(
        draw(TEXT),
        draw(MAYBE_TEXT),
        draw(MAYBE_TEXT),
        tuple(draw(st.lists(st.sampled_from(PARTS), unique=True))),
    )
    return build_apparatus(
        units=units,
        levels=levels,
        tasks=tasks,
        duties=duties,
        people=people,
        results=results,
        neighbours=neighbours,
        standards=standards,
        info=info,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(app=apparatuses())
def test_any_valid_apparatus_round_trips(
    app: Apparatus, assert_same: Callable[[Apparatus, Apparatus], None]
) -> None:
    """write then load gives back the same apparatus, through a CSV folder and through an XLSX workbook."""
    with tempfile.TemporaryDirectory() as tmp:
        for target in (Path(tmp) / "bundle", Path(tmp) / "bundle.xlsx"):
            write(app, target)
            assert_same(app, load(target))
