"""Units below their level's standards, levels with too many units, units over quota."""

from __future__ import annotations

import math

from diagnose_kit import found, make, run, unit

from reorg.diagnose import DiagnosisConfig
from reorg.model import StandardRow, UnitRow


def communes(*pops_areas: tuple[float, float]) -> list[UnitRow]:
    units = [unit("vn", "nation"), unit("p", "province", "vn"), unit("x", "district", "p")]
    return units + [
        unit(f"c{i}", "commune", "x", population=pop, area_km2=area)
        for i, (pop, area) in enumerate(pops_areas)
    ]


STANDARD = [StandardRow("commune", min_area_km2=30, min_population=8000)]


def test_units_below_the_standard_with_severity_by_shortfall() -> None:
    """40 % of the population standard is high, 70 % medium, 90 % low; both short is one finding."""
    app = make(
        communes((3200, 50), (5600, 50), (7200, 50), (9000, 20), (4000, 10), (9000, 50)), standards=STANDARD
    )
    got = {f.units[0]: (f.severity, f.template) for f in found(app, "below_standard")}
    assert got == {
        "c0": ("high", "below_standard.population"),
        "c1": ("medium", "below_standard.population"),
        "c2": ("low", "below_standard.population"),
        "c3": ("medium", "below_standard.area"),
        "c4": ("high", "below_standard.both"),
    }


def test_unknown_values_are_not_assessed() -> None:
    """A commune without a population is not below the population standard."""
    app = make(communes((math.nan, 50)), standards=STANDARD)
    assert found(app, "below_standard") == ()


def test_a_level_with_more_units_than_its_maximum() -> None:
    """Three communes against a maximum of two."""
    app = make(communes((9000, 50), (9000, 50), (9000, 50)), standards=[StandardRow("commune", max_units=2)])
    (f,) = found(app, "below_standard")
    assert (f.template, f.evidence["units"], f.evidence["max_units"], f.units) == (
        "below_standard.max_units",
        3,
        2,
        (),
    )


def test_units_over_quota_and_the_summary_of_headcount_against_quota() -> None:
    """12 people for a quota of 10 is 20 % over (medium); within tolerance it is not reported."""
    units = [unit("r", "nation", quota=5), unit("a", "province", "r", quota=10), unit("b", "province", "r")]
    app = make(units, people={"r": 5, "a": 12, "b": 3})
    (f,) = found(app, "over_quota")
    assert (f.units, f.severity, f.evidence["excess"]) == (("a",), "medium", 2)
    s = run(app).summary
    assert (s["headcount"], s["quota"], s["units_over_quota"], s["headcount_in_units_with_quota"]) == (
        20,
        15,
        1,
        17,
    )
    assert found(app, "over_quota", DiagnosisConfig(quota_tolerance=0.2)) == ()


def test_an_arrangement_rule_of_both_under_a_share() -> None:
    """Share 0.7 with rule "both": only communes under 70 % of both minimums."""
    app = make(communes((4000, 10), (4000, 50), (9000, 10), (6000, 25)), standards=STANDARD)
    config = DiagnosisConfig(standard_share=0.7, standard_rule="both")
    assert [f.units for f in found(app, "below_standard", config)] == [("c0",)]
    assert len(found(app, "below_standard")) == 4
