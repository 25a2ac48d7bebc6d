"""The main findings on ``vietnam-2024`` before the 2025 reform, and after the enacted plan."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reorg.datasets import vietnam
from reorg.diagnose import DiagnosisConfig, Report, diagnose
from reorg.model import Apparatus
from reorg.plan.apply import apply
from reorg.plan.rules import standard_facts, standard_label

pytestmark = pytest.mark.slow
ALL = DiagnosisConfig(max_findings_per_kind=0)


@pytest.fixture(scope="module")
def before() -> tuple[Apparatus, Report]:
    """vietnam-2024 at the default staff scale, and its diagnosis with every finding built."""
    app = vietnam.build()
    return app, diagnose(app, ALL)


def test_the_tasks_led_by_both_provinces_and_districts_are_duplicated_everywhere(
    before: tuple[Apparatus, Report],
) -> None:
    """The local tasks the catalogue gives to provincial departments and district offices alike are
    duplicated in all 63 provinces, over the whole territory; apart from them only foreign affairs is."""
    _, report = before
    both = {t.id for t in vietnam.catalogue.load().local_tasks if t.level == "both"}
    found = {f.tasks[0]: f for f in report.by_kind("multiple_leads")}
    assert set(found) == both | {"mofa.foreign-affairs"}
    assert both == {"loc.inspection", "loc.social-protection", "loc.food-safety"}
    for task in both:
        f = found[task]
        assert (f.evidence["places"], f.evidence["duplicated_share"], f.evidence["lead_units"]) == (
            63,
            1.0,
            759,
        )
    assert report.summary["tasks"] == 205
    assert report.summary["duplication_index"] == pytest.approx(4 / 205, abs=1e-6)


def test_the_cross_branch_duplication_names_its_branches(before: tuple[Apparatus, Report]) -> None:
    """Foreign affairs is led over the whole country by a Party commission, an NA committee and a
    ministry: one finding naming the three units, one of each branch, which the enacted plan removes."""
    app, report = before
    (f,) = [f for f in report.by_kind("multiple_leads") if f.tasks == ("mofa.foreign-affairs",)]
    assert set(f.units) == {"mofa", "tw-ext", "qh-ubdn"}
    assert (f.evidence["lead_units"], f.evidence["duplicated_share"], f.severity) == (3, 1.0, "high")
    levels = {str(app.levels.name[app.units.level[app.units.index[u]]]) for u in f.units}
    assert {vietnam.BRANCHES[lv] for lv in levels} == {"state", "party", "legislature"}
    assert "Ban Đối ngoại Trung ương" in f.explanation


def test_every_task_has_a_lead_everywhere(before: tuple[Apparatus, Report]) -> None:
    """No task is without a lead anywhere among the 10,040 pieces of territory."""
    _, report = before
    assert report.by_kind("no_lead") == ()
    assert report.summary["unclear_responsibility_index"] == 0
    assert report.summary["territory_pieces"] == 10_040  # 10,035 communes and 5 island districts


def test_five_layers_and_wide_spans(before: tuple[Apparatus, Report]) -> None:
    """Nation > province > district > commune > the commune's Party and Front committees (the leaves'
    usual depth); the root directs 63 provinces and 30 central bodies (the 37 of the other branches
    under it are attached, not directed by the Government), a province's 18 departments are a wide
    span of agencies (its Party and Front committees are attached), no branch is deeper than the norm,
    and no commune is a narrow span for its two committees."""
    _, report = before
    assert (report.summary["layers"], report.summary["depth_norm"]) == (5, 4)
    wide = {f.units[0]: f for f in report.by_kind("wide_span")}
    assert (wide["vn"].template, wide["vn"].evidence["span"]) == ("wide_span.territorial", 63)
    assert wide["vn"].evidence["agency_span"] == 30
    bac_kan = wide["p06"]  # 8 districts, 18 departments, the Party and the Front committee
    assert (bac_kan.template, bac_kan.evidence["span"]) == ("wide_span.agencies", 18)
    assert report.by_kind("deep_branch") == ()
    assert report.summary["findings"]["narrow_span"] == 0


def test_most_communes_are_below_the_2025_commune_standard(before: tuple[Apparatus, Report]) -> None:
    """Under 16,000 people or 30 km² for most communes; far fewer are under 70 % of both."""
    app, report = before
    communes = app.units_per_level()["commune"]
    below = report.summary["units_below_standard"]
    assert isinstance(below, int)
    assert below > communes / 2
    strict = diagnose(app, DiagnosisConfig(standard_share=0.7, standard_rule="both", max_findings_per_kind=1))
    assert strict.summary["units_below_standard"] < below / 2


def test_payments_to_people_with_merit_are_led_below_the_other_local_labour_tasks(
    before: tuple[Apparatus, Report],
) -> None:
    """District offices lead it where the provincial departments lead most local labour tasks."""
    _, report = before
    (f,) = report.by_kind("level_mismatch")
    assert (f.tasks, f.template) == (("loc.merit",), "level_mismatch.lower")
    assert f.params["task_level"] == "district_office"
    assert f.params["group_level"] == "department"


def test_the_enacted_reform_removes_the_duplication_and_a_layer(before: tuple[Apparatus, Report]) -> None:
    """After enacted-2025: no duplicated lead, a layer fewer (nation > province > commune > its
    committees), far fewer units below standard."""
    app, report = before
    after = diagnose(apply(app, vietnam.enacted_plan(app)), ALL)
    assert after.by_kind("multiple_leads") == ()
    assert after.by_kind("no_lead") == ()
    assert after.summary["duplication_index"] == 0
    assert after.summary["layers"] == 4
    below_before, below_after = report.summary["units_below_standard"], after.summary["units_below_standard"]
    assert isinstance(below_before, int)
    assert isinstance(below_after, int)
    assert below_after < below_before / 4


def _level_rows_only(app: Apparatus) -> Apparatus:
    """``app`` judged by its level standards alone (every commune and ward against 30 km², 16,000)."""
    st = app.standards
    return dataclasses.replace(
        app, standards=st.take(np.flatnonzero((st.kind == "") & (st.unit_class == "")))
    )


def test_wards_and_communes_are_each_judged_by_their_own_standard(before: tuple[Apparatus, Report]) -> None:
    """Wards by 5.5 km² and 21,000 people, the other communes that went into a special zone by the island
    standard, other communes and townships by 30 km² and 16,000: each finding names the standard that
    judged it, every commune-level unit is judged, and fewer wards are below than against 30 km²."""
    app, report = before
    facts = standard_facts(app)
    kinds = app.units.kind
    labels = {f.units[0]: f.params["standard"] for f in report.by_kind("below_standard") if f.units}
    index = app.units.index
    for uid, label in labels.items():
        kind = str(kinds[index[uid]])
        if kind == "Phường":
            assert label == "commune, Phường"
        elif kind in ("Xã", "Thị trấn"):
            assert label in ("commune", "commune, island")
    island = app.units.attributes["island_km2"] > 0
    assert 20 < int(island.sum()) < 100  # the communes of the 2025 special zones, from the mapping
    # an island ward is a ward first (level + kind is more specific than level + class)
    assert {standard_label(app, int(r)) for r in facts.standard[island & (kinds != "Phường")]} == {
        "commune, island"
    }
    summary = report.summary.standards
    assert summary.assessed_by_kind == {
        "province, Thành phố": 6,
        "province, Tỉnh": 57,
        "commune, Phường": 1724,
        "commune, Thị trấn": 616,
        "commune, Xã": 7695,
    }
    flat = standard_facts(_level_rows_only(app)).below()
    wards = kinds == "Phường"
    assert (
        summary.below_by_kind["commune, Phường"] == int(facts.below()[wards].sum()) < int(flat[wards].sum())
    )
    assert summary.units_below_standard == int(facts.below().sum())


def test_the_enacted_communes_are_judged_by_their_kind(before: tuple[Apparatus, Report]) -> None:
    """After enacted-2025: the 687 wards, 2,621 communes and 13 special zones are each judged by their
    kind's standard, and far fewer wards are below it than against the commune standard."""
    app, _ = before
    after = apply(app, vietnam.enacted_plan(app))
    summary = diagnose(after, DiagnosisConfig(max_findings_per_kind=1)).summary.standards
    assert {k: v for k, v in summary.assessed_by_kind.items() if k.startswith("commune")} == {
        "commune, Phường": 687,
        "commune, Xã": 2621,
        "commune, Đặc khu": 13,
    }
    facts = standard_facts(after)
    zones = after.units.kind == "Đặc khu"
    assert {standard_label(after, int(r)) for r in facts.standard[zones]} == {"commune, Đặc khu"}
    wards = after.units.kind == "Phường"
    flat = standard_facts(_level_rows_only(after)).below()
    assert summary.below_by_kind["commune, Phường"] * 2 < int(flat[wards].sum())
    assert summary.below_by_kind["commune, Phường"] < report_wards_before(app) / 5


def report_wards_before(app: Apparatus) -> int:
    """Wards below their standard in ``app``."""
    return int(standard_facts(app).below()[app.units.kind == "Phường"].sum())
