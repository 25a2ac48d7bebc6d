"""Which standard judges a unit (the most specific that applies), and the kind and class of a merged unit."""

from __future__ import annotations

import math

import pytest
from diagnose_kit import make, unit
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.model import Apparatus, StandardRow, UnitRow
from reorg.plan import Merge, NewUnit, Plan, apply, check
from reorg.plan.kinds import applicable_standards, class_members, merged_classes, merged_kind, specificity


def _communes(*rows: tuple[str, str, float, float, float]) -> list[UnitRow]:
    """A nation, a province, a district and communes (id, kind, area km², population, island km²)."""
    units = [unit("vn", "nation"), unit("p", "province", "vn"), unit("x", "district", "p")]
    for uid, kind, area, pop, island in rows:
        attrs = () if math.isnan(island) else (("island_km2", island),)
        units.append(
            UnitRow(uid, uid.upper(), "commune", kind, "x", area_km2=area, population=pop, attributes=attrs)
        )
    return units


#: Res. 112/2025's commune-level standards in the shape of standards.csv (shared reference §2.2)
VIETNAM = [
    StandardRow("commune", 30, 16000),
    StandardRow("commune", 5.5, 21000, kind="Phường"),
    StandardRow("commune", 100, 5000, unit_class="mountainous"),
    StandardRow("commune", 15, 2500, unit_class="island"),
]


def _standard(app: Apparatus, uid: str) -> tuple[str, str] | None:
    """(kind, class) of the standards row judging ``uid``; None when none does."""
    row = int(applicable_standards(app)[app.units.index[uid]])
    return None if row < 0 else (str(app.standards.kind[row]), str(app.standards.unit_class[row]))


def test_each_commune_is_judged_by_its_own_kind_and_class() -> None:
    """A ward by the ward row, an island commune by the island row, another commune by the level row, a
    province by none; a ward of 5.8 km² and 25,000 people is not below (it would be against 30 km²)."""
    app = make(
        _communes(
            ("w", "Phường", 5.8, 25000, math.nan),
            ("i", "Xã", 20, 3000, 20),
            ("c", "Xã", 40, 20000, 0),
        ),
        standards=VIETNAM,
    )
    assert _standard(app, "w") == ("Phường", "")
    assert _standard(app, "i") == ("", "island")
    assert _standard(app, "c") == ("", "")
    assert _standard(app, "p") is None
    assert check(app, ["standards"]) == []
    against_level = make(app_units(app), standards=VIETNAM[:1])
    assert [v.units for v in check(against_level, ["standards"])] == [("w",), ("i",)]


def app_units(app: Apparatus) -> list[UnitRow]:
    """The UnitRows of ``app`` (kinds, figures and island attribute), to build it again."""
    u = app.units
    parent = [str(u.id[p]) if p >= 0 else "" for p in u.parent.tolist()]
    island = u.attributes.get("island_km2")
    return [
        UnitRow(
            str(u.id[i]),
            str(u.name[i]),
            str(app.levels.name[u.level[i]]),
            str(u.kind[i]),
            parent[i],
            area_km2=float(u.area_km2[i]),
            population=float(u.population[i]),
            attributes=() if island is None or math.isnan(island[i]) else (("island_km2", float(island[i])),),
        )
        for i in range(len(u))
    ]


@pytest.mark.parametrize(
    ("kind", "unit_class", "rank"), [("ward", "island", 3), ("ward", "", 2), ("", "island", 1), ("", "", 0)]
)
def test_specificity_order(kind: str, unit_class: str, rank: int) -> None:
    """level + kind + class > level + kind > level + class > level."""
    assert specificity(kind, unit_class) == rank


def test_class_needs_half_the_area() -> None:
    """A commune is an island commune when its island km² are at least half its area, or positive with
    its area unknown; zero or unknown island km² never."""
    app = make(
        _communes(
            ("a", "Xã", 10, 1, 5),
            ("b", "Xã", 10, 1, 4.9),
            ("c", "Xã", math.nan, 1, 1),
            ("d", "Xã", 0, 1, 0),
            ("e", "Xã", 10, 1, math.nan),
        )
    )
    members = class_members(app.units, "island")
    assert [str(app.units.id[i]) for i in range(len(app.units)) if members[i]] == ["a", "c"]
    assert not class_members(app.units, "mountainous").any()


def test_equally_specific_rows_go_to_the_first_listed() -> None:
    """A ward that is also an island: of two level + class rows the first listed judges it."""
    rows = [
        StandardRow("commune", 1, 1, unit_class="island"),
        StandardRow("commune", 2, 2, unit_class="isle"),
    ]
    units = _communes(("w", "ward", 10, 5, 10))
    units[-1] = UnitRow(
        "w", "W", "commune", "ward", "x", area_km2=10, attributes=(("island_km2", 10), ("isle_km2", 9))
    )
    assert _standard(make(units, standards=rows), "w") == ("", "island")
    assert _standard(make(units, standards=rows[::-1]), "w") == ("", "isle")


KINDS = st.sampled_from(["", "ward", "commune"])
CLASSES = st.sampled_from(["", "island"])


@st.composite
def standard_sets(draw: st.DrawFn) -> list[StandardRow]:
    """Up to 4 commune rows with distinct (kind, class)."""
    keys = draw(st.lists(st.tuples(KINDS, CLASSES), max_size=4, unique=True))
    return [
        StandardRow("commune", float(k), float(k), kind=kind, unit_class=c)
        for k, (kind, c) in enumerate(keys)
    ]


@settings(max_examples=150, derandomize=True)
@given(
    standard_sets(),
    st.tuples(KINDS, CLASSES),
    st.lists(
        st.tuples(st.sampled_from(["ward", "commune", "town"]), st.sampled_from([math.nan, 0.0, 3.0, 9.0])),
        min_size=1,
        max_size=6,
    ),
)
def test_a_less_specific_row_never_changes_a_covered_units_standard(
    rows: list[StandardRow], extra: tuple[str, str], units: list[tuple[str, float]]
) -> None:
    """Adding a row (anywhere in the file) leaves the standard of every unit that a more specific row
    already covers unchanged; a unit no row covered gets the new row when it applies to it."""
    if any((r.kind, r.unit_class) == extra for r in rows):
        return
    communes = _communes(*((f"c{i}", kind, 6.0, 1.0, island) for i, (kind, island) in enumerate(units)))
    before = make(communes, standards=rows)
    new = StandardRow("commune", 99.0, 99.0, kind=extra[0], unit_class=extra[1])
    for at in (0, len(rows)):
        after = make(communes, standards=[*rows[:at], new, *rows[at:]])
        for i in range(3, len(communes)):
            uid = str(before.units.id[i])
            old = _standard(before, uid)
            got = _standard(after, uid)
            if old is not None and specificity(*old) > specificity(*extra):
                assert got == old
            if got is not None and got != old:
                assert got == extra
                assert old is None or specificity(*old) < specificity(*extra)


@pytest.mark.parametrize(
    ("kinds", "populations", "expected"),
    [
        (["Xã", "Phường", "Phường"], [30000, 10000, 10000], "Phường"),  # any ward: a ward
        (["Xã", "Thị trấn", "Xã"], [3000, 5000, 3000], "Xã"),  # else the kind holding most people
        (["Xã", "Thị trấn"], [3000, 5000], "Thị trấn"),
        (["Xã", "Thị trấn", "Thị trấn"], [math.nan, math.nan, math.nan], "Thị trấn"),  # or most members
        (["b", "a"], [1, 1], "b"),  # a tie: the first member's
        (["Sở", "Sở"], [math.nan, math.nan], "Sở"),
    ],
)
def test_merged_kind(kinds: list[str], populations: list[float], expected: str) -> None:
    """A ward if any member is; else the kind holding most people, or most members; ties to the first."""
    assert merged_kind(kinds, populations) == expected


def test_merge_decides_kind_by_rule_and_class_by_area() -> None:
    """Merging a ward of 30,000 people with a commune of 10,000 gives a ward (no kind given), and a
    given kind wins; island km² are summed, so the merged unit is an island commune only when most of
    its area is island."""
    app = make(
        _communes(
            ("w", "Phường", 5, 30000, math.nan),
            ("c", "Xã", 20, 10000, 0),
            ("i", "Xã", 12, 2000, 12),
            ("j", "Xã", 10, 2000, 10),
        ),
        standards=VIETNAM,
    )
    plan = Plan(
        "t",
        (
            Merge(("w", "c"), NewUnit("wc", "WC")),
            Merge(("i", "j"), NewUnit("ij", "IJ", kind="Đặc khu")),
        ),
    )
    after = apply(app, plan)
    index = after.units.index
    assert after.units.kind[index["wc"]] == "Phường"
    assert after.units.kind[index["ij"]] == "Đặc khu"
    assert _standard(after, "wc") == ("Phường", "")
    assert _standard(after, "ij") == ("", "island")
    assert merged_classes([{"island_km2": 12}, {"island_km2": 0}], 30, ["island"]) == ()
    assert merged_classes([{"island_km2": 12}, {"island_km2": 10}], 22, ["island", "mountainous"]) == (
        "island",
    )
