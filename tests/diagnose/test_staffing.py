"""Staffing outliers within a level, and idle units."""

from __future__ import annotations

from diagnose_kit import found, make, run, unit

from reorg.diagnose import DiagnosisConfig
from reorg.model import Apparatus, UnitRow


def districts(people: list[int], tasks: int = 2) -> Apparatus:
    """One province with districts x0.. each leading ``tasks`` tasks, with the given headcounts."""
    units: list[UnitRow] = [unit("vn", "nation"), unit("p", "province", "vn")]
    units += [unit(f"x{i}", "district", "p", population=100_000, area_km2=500) for i in range(len(people))]
    duties = [(f"x{i}", f"t{j}") for i in range(len(people)) for j in range(tasks)]
    return make(units, duties, people={f"x{i}": n for i, n in enumerate(people)})


def test_an_overstaffed_unit_stands_out_in_its_level() -> None:
    """Ten districts with 10-12 people for 2 tasks and one with 40: that one, high, per led task."""
    (f,) = found(districts([10, 11, 12, 10, 11, 12, 10, 11, 12, 11, 40]), "staffing_outlier")
    assert (f.units, f.severity, f.template) == (("x10",), "high", "staffing_outlier.high")
    assert f.evidence["per_led_task"] == 20
    assert f.evidence["per_led_task_level_median"] == 5.5
    assert f.evidence["per_led_task_z"] > 7


def test_an_understaffed_unit_is_reported_too() -> None:
    """A district with 5 people among districts with about 22 is a low-side outlier."""
    (f,) = found(districts([20, 22, 24, 20, 22, 24, 20, 22, 24, 22, 5]), "staffing_outlier")
    assert (f.units, f.template) == (("x10",), "staffing_outlier.low")


def test_units_with_a_handful_of_people_are_not_scored() -> None:
    """A district of 2 people among districts of about 11 is not scored under staffing_min_people = 5."""
    app = districts([10, 11, 12, 10, 11, 12, 10, 11, 12, 11, 2])
    assert found(app, "staffing_outlier") == ()
    (f,) = found(app, "staffing_outlier", DiagnosisConfig(staffing_min_people=1))
    assert f.units == ("x10",)


def test_a_small_deviation_from_a_tight_norm_is_not_an_outlier() -> None:
    """Identical staffing everywhere but one unit 25 % higher: a large z, but under staffing_min_ratio."""
    app = districts([12] * 10 + [15])
    assert found(app, "staffing_outlier") == ()
    assert len(found(app, "staffing_outlier", DiagnosisConfig(staffing_min_ratio=1.2))) == 1


def test_levels_with_too_few_units_are_not_scored() -> None:
    """Five districts are fewer than staffing_min_units = 8."""
    app = districts([10, 11, 12, 10, 40])
    assert found(app, "staffing_outlier") == ()
    assert run(app).summary["staffing_scored_units"] == {}


def test_idle_units_are_reported_at_the_top_of_an_idle_subtree() -> None:
    """A district with no task whose communes have none either is one finding counting their people."""
    units = [unit("vn", "nation"), unit("p", "province", "vn"), unit("x", "district", "p")]
    units += [unit("c0", "commune", "x"), unit("c1", "commune", "x"), unit("y", "district", "p")]
    app = make(units, [("p", "t"), ("y", "u")], people={"x": 3, "c0": 2})
    (f,) = found(app, "idle_unit")
    assert (f.units, f.severity, f.template) == (("x",), "high", "idle_unit.subtree")
    assert f.evidence == {"people": 5, "units_below": 2}


def test_no_idle_units_are_looked_for_without_any_duty() -> None:
    """An apparatus with no duties at all says nothing about idleness."""
    app = make([unit("vn", "nation"), unit("p", "province", "vn")])
    report = run(app)
    assert report.by_kind("idle_unit") == ()
    assert report.summary["idle_units"] is None


def test_staffing_metrics_can_be_chosen() -> None:
    """Only the chosen ratios are scored; with none, no staffing outlier."""
    app = districts([10, 11, 12, 10, 11, 12, 10, 11, 12, 11, 40])
    config = DiagnosisConfig(staffing_metrics=("per_led_task",))
    assert len(found(app, "staffing_outlier", config)) == 1
    # population and area are equal everywhere, so per inhabitant the same unit stands out
    assert len(found(app, "staffing_outlier", DiagnosisConfig(staffing_metrics=("per_10k_population",)))) == 1
    assert found(app, "staffing_outlier", DiagnosisConfig(staffing_metrics=())) == ()
