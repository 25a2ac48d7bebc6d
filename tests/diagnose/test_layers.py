"""Layers and spans: deep branches, intermediaries, narrow and wide spans."""

from __future__ import annotations

from diagnose_kit import found, make, run, unit

from reorg.diagnose import DiagnosisConfig
from reorg.model import LevelRow, UnitRow

LEVELS = [LevelRow("root", 0), LevelRow("branch", 1), LevelRow("team", 2), LevelRow("cell", 3)]


def org(spans: dict[str, int], *, deep: str = "") -> list[UnitRow]:
    """A root over branches b0.. each with ``spans[b]`` teams; teams of ``deep`` get 3 cells each."""
    units = [unit("r", "root")]
    for b, n in spans.items():
        units.append(unit(b, "branch", "r"))
        for k in range(n):
            units.append(unit(f"{b}t{k}", "team", b))
            if b == deep:
                units += [unit(f"{b}t{k}c{j}", "cell", f"{b}t{k}") for j in range(3)]
    return units


def test_the_norm_is_the_modal_depth_of_the_leaves() -> None:
    """Teams (depth 2) are most leaves; a configured norm overrides it."""
    app = make(org({"a": 4, "b": 4, "c": 4}), levels=LEVELS)
    assert run(app).summary["depth_norm"] == 2
    assert run(app, DiagnosisConfig(depth_norm=1)).summary["depth_norm"] == 1


def test_a_deeper_branch_is_reported_once_at_the_unit_on_the_norms_depth() -> None:
    """Cells under two teams of branch a: one finding per team at depth 2, excess 1."""
    app = make(org({"a": 3, "b": 4, "c": 4, "d": 4}, deep="a"), levels=LEVELS)
    deep = found(app, "deep_branch")
    assert sorted(f.units for f in deep) == [("at0",), ("at1",), ("at2",)]
    assert {(f.evidence["depth"], f.evidence["excess"], f.severity) for f in deep} == {(3, 1, "medium")}


def test_two_extra_layers_are_high() -> None:
    """With a norm of 1 the cells are two layers too deep."""
    app = make(org({"a": 3, "b": 4}, deep="a"), levels=LEVELS)
    deep = found(app, "deep_branch", DiagnosisConfig(depth_norm=1))
    assert ("a",) in [f.units for f in deep]
    assert next(f for f in deep if f.units == ("a",)).severity == "high"


def test_a_chain_of_single_children_is_one_intermediary_finding() -> None:
    """r -> a -> at0 -> cells: r and a each have one child: one chain of two links, high."""
    units = [unit("r", "root"), unit("a", "branch", "r"), unit("at0", "team", "a")]
    units += [unit(f"c{j}", "cell", "at0") for j in range(3)]
    (f,) = found(make(units, levels=LEVELS), "intermediary")
    assert (f.units, f.evidence["links"], f.severity, f.template) == (
        ("r", "a"),
        2,
        "high",
        "intermediary.chain",
    )
    assert "R → A → AT0" in f.explanation


def test_spans_below_and_above_the_limits() -> None:
    """Span 2 is narrow, 16 wide (limits 3 and 15); span 1 is an intermediary, not narrow."""
    app = make(org({"a": 2, "b": 16, "c": 1, "d": 5}), levels=LEVELS)
    report = run(app)
    assert [f.units for f in report.by_kind("narrow_span")] == [("a",)]
    assert [f.units for f in report.by_kind("wide_span")] == [("b",)]
    assert [f.units for f in report.by_kind("intermediary")] == [("c",)]
    wide = report.by_kind("wide_span")[0]
    assert (wide.evidence["span"], wide.evidence["limit"], wide.template) == (16, 15, "wide_span.agencies")
    assert "16 subordinate units directly" in wide.explanation


def test_span_limits_per_level() -> None:
    """A level's own limits replace the defaults."""
    app = make(org({"a": 2, "b": 16, "c": 5}), levels=LEVELS)
    config = DiagnosisConfig(span_limits={"branch": (2, 20)})
    assert found(app, "narrow_span", config) == ()
    assert found(app, "wide_span", config) == ()


def test_summary_counts_layers_and_spans() -> None:
    """Layers = deepest depth + 1; the span histogram counts units with subordinates."""
    s = run(make(org({"a": 2, "b": 16, "c": 5}), levels=LEVELS)).summary
    assert s["layers"] == 3
    spans = s["spans"]
    assert isinstance(spans, dict)
    assert spans["managers"] == 4
    assert spans["histogram"] == {"1": 0, "2": 1, "3-5": 2, "6-10": 0, "11-15": 0, "16-30": 1, "31+": 0}


def province(departments: int, districts: int, communes: int = 3) -> list[UnitRow]:
    """vn ── q (3 districts of 3 communes), p ── departments d0.., districts x0.. each with ``communes``
    communes."""
    units = [unit("vn", "nation"), unit("q", "province", "vn"), unit("p", "province", "vn")]
    for y in range(3):
        units.append(unit(f"y{y}", "district", "q"))
        units += [unit(f"y{y}c{c}", "commune", f"y{y}") for c in range(3)]
    units += [unit(f"d{k}", "department", "p") for k in range(departments)]
    for x in range(districts):
        units.append(unit(f"x{x}", "district", "p"))
        units += [unit(f"x{x}c{c}", "commune", f"x{x}") for c in range(communes)]
    return units


def test_territorial_units_and_agencies_are_counted_apart() -> None:
    """18 departments and 4 districts: wide in agencies, not in territory (22 together is not judged)."""
    (f,) = found(make(province(18, 4)), "wide_span")
    assert (f.units, f.template) == (("p",), "wide_span.agencies")
    assert (f.evidence["agency_span"], f.evidence["territorial_span"], f.evidence["span"]) == (18, 4, 18)
    assert "18 subordinate agencies" in f.explanation
    assert found(make(province(10, 10)), "wide_span") == ()


def test_a_wide_territory_is_reported_once_on_the_worse_kind() -> None:
    """17 departments and 25 districts: one finding, on the districts."""
    (f,) = found(make(province(17, 25)), "wide_span")
    assert f.template == "wide_span.territorial"
    assert f.evidence["span"] == 25


def test_a_single_territorial_subordinate_beside_agencies_is_an_intermediary() -> None:
    """A province with departments and one district: its territory passes to that district."""
    (f,) = found(make(province(4, 1)), "intermediary")
    assert (f.units, f.template, f.evidence["agencies"]) == (("p",), "intermediary.territory", 4)
    assert "single territorial unit (X0)" in f.explanation


ATTACHED = [*LEVELS, LevelRow("committee", 3, attached=True)]


def test_attached_units_are_not_subordinates() -> None:
    """Two committees of an attached level under each team are no span of control: a team with only
    them is no narrow span nor a manager, and a branch with one team and a committee is an
    intermediary, where the same units of a plain level make narrow spans."""
    units = [*org({"a": 3, "b": 1, "c": 4})]
    units += [unit(f"{t}k{j}", "committee", t) for t in ("at0", "at1", "bt0", "ct0") for j in range(2)]
    units.append(unit("bk", "committee", "b"))
    attached = run(make(units, levels=ATTACHED))
    assert attached.by_kind("narrow_span") == ()
    assert [f.units for f in attached.by_kind("intermediary")] == [("b",)]
    spans = attached.summary["spans"]
    assert isinstance(spans, dict)
    assert spans["managers"] == 4  # the root and branches a, b, c
    plain = run(make(units, levels=[*LEVELS, LevelRow("committee", 3)]))
    assert sorted(f.units for f in plain.by_kind("narrow_span")) == [
        ("at0",),
        ("at1",),
        ("b",),
        ("bt0",),
        ("ct0",),
    ]
    assert plain.summary["layers"] == attached.summary["layers"] == 4
