"""Evaluation: the score, the levels, the per-unit cap on excellent, ties, rankings, lists, bad results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reorg.errors import InputError
from reorg.model import Apparatus, LevelRow, PersonRow, ResultRow, UnitRow, build_apparatus
from reorg.people import EvaluationConfig, evaluate
from reorg.people.evaluate import NO_RESULTS, SCREEN_BOTTOM, SCREEN_REPEATED, ZERO_WEIGHT


def org(
    scores: dict[str, list[float]], *, units: dict[str, str] | None = None, period: str = "2024"
) -> Apparatus:
    """People named by ``scores`` (one indicator per period, target 100, actual = the score); each in
    ``units[person]`` (default u1). Periods are 2023, 2024... for the list positions, ending at ``period``."""
    units = units or {}
    people = [
        PersonRow(p, units.get(p, "u1"), position="head" if i == 0 else "") for i, p in enumerate(scores)
    ]
    results = []
    for p, values in scores.items():
        for k, v in enumerate(values):
            year = str(int(period) - len(values) + 1 + k)
            results.append(ResultRow(p, year, "tasks", 100, v))
    return build_apparatus(
        levels=[LevelRow("org", 0), LevelRow("unit", 1)],
        units=[
            UnitRow("o", "Org", "org"),
            UnitRow("u1", "U1", "unit", "", "o"),
            UnitRow("u2", "U2", "unit", "", "o"),
        ],
        people=people,
        results=results,
    )


def by_id(app: Apparatus, ev: object, field: str) -> dict[str, object]:
    values = getattr(ev, field)
    return {str(app.people.id[r]): values[i].item() for i, r in enumerate(ev.person)}  # type: ignore[attr-defined]


def test_score_is_the_weighted_mean_of_capped_achievement() -> None:
    """100 x sum(w x min(actual/target, cap)) / sum(w); empty weight = 1; target 0 counts as met."""
    app = build_apparatus(
        units=[UnitRow("o", "Org", "org")],
        people=[PersonRow("a", "o")],
        results=[
            ResultRow("a", "2024", "x", 100, 50, 3),  # 0.5, weight 3
            ResultRow("a", "2024", "y", 10, 30),  # 3.0 capped at 1.0, weight 1
            ResultRow("a", "2024", "z", 0, 0, 1),  # target 0: met
        ],
    )
    ev = evaluate(app)
    assert ev.score[0] == pytest.approx(100 * (3 * 0.5 + 1 + 1) / 5)
    assert ev.exceeded[0] == pytest.approx(1 / 5)
    capped = evaluate(app, EvaluationConfig(achievement_cap=2.0))
    assert capped.score[0] == pytest.approx(100 * (3 * 0.5 + 2 + 1) / 5)


@pytest.mark.parametrize(
    ("score", "level"), [(90, 0), (89.99, 1), (70, 1), (69.99, 2), (50, 2), (49.99, 3), (0, 3)]
)
def test_levels_follow_the_kpi_thresholds(score: float, level: int) -> None:
    """>= 90 excellent, 70-<90 good, 50-<70 completed, else not completed (Decree 335/2025)."""
    ev = evaluate(org({"a": [score]}), EvaluationConfig(excellent_cap=1.0))
    assert int(ev.rating[0]) == level


def test_the_cap_keeps_a_fifth_excellent_per_unit_with_ties_by_exceeded_share_then_id() -> None:
    """10 people at 95 in u1: 2 stay excellent (20 %); ties go to the larger exceeded share, then the id."""
    people = [PersonRow(f"p{i}", "o") for i in range(10)]
    results = [ResultRow(f"p{i}", "2024", "x", 100, 95) for i in range(9)]
    # p9: 120 (capped at 100 %) and 90 -> also 95 points, but half its weight exceeded the target
    results += [ResultRow("p9", "2024", "x", 100, 120), ResultRow("p9", "2024", "y", 100, 90)]
    app = build_apparatus(units=[UnitRow("o", "Org", "org")], people=people, results=results)
    ev = evaluate(app)
    rating = by_id(app, ev, "rating")
    assert [p for p, r in rating.items() if r == 0] == ["p0", "p9"]
    assert sum(by_id(app, ev, "capped").values()) == 8


def test_ties_at_equal_score_and_share_go_by_id() -> None:
    """Equal scores and shares: the cap keeps the smallest ids (text order)."""
    app = org({f"p{i}": [95.0] for i in range(10)})
    rating = by_id(app, evaluate(app), "rating")
    assert [p for p, r in rating.items() if r == 0] == ["p0", "p1"]


def test_the_cap_is_per_unit() -> None:
    """Each unit gets its own 20 %: 5 in u1 and 5 in u2 at 95 give one excellent each."""
    scores = {f"p{i}": [95.0] for i in range(10)}
    app = org(scores, units={f"p{i}": "u2" for i in range(5, 10)})
    rating = by_id(app, evaluate(app), "rating")
    assert [p for p, r in rating.items() if r == 0] == ["p0", "p5"]


def test_excellent_can_require_exceeded_targets() -> None:
    """With excellent_min_exceeded = 0.3 (Regulation 366), a 95 with nothing exceeded is good."""
    ev = evaluate(org({"a": [95.0]}), EvaluationConfig(excellent_cap=1, excellent_min_exceeded=0.3))
    assert int(ev.rating[0]) == 1


def test_no_exceptions_everyone_is_listed_and_leaders_too() -> None:
    """The head (first person) with poor results is not completed; people without results are listed."""
    app = org({"head": [10.0], "b": [80.0], "c": []})
    ev = evaluate(app)
    assert len(ev.person) == 3
    assert by_id(app, ev, "rating") == {"head": 3, "b": 1, "c": -1}
    assert by_id(app, ev, "unrated") == {"head": 0, "b": 0, "c": NO_RESULTS}


def test_zero_weights_are_listed_as_unrated() -> None:
    """A person whose weights sum to 0 has no score, and the reason says so."""
    app = build_apparatus(
        units=[UnitRow("o", "Org", "org")],
        people=[PersonRow("a", "o")],
        results=[ResultRow("a", "2024", "x", 10, 5, 0)],
    )
    ev = evaluate(app)
    assert int(ev.rating[0]) == -1
    assert int(ev.unrated[0]) == ZERO_WEIGHT


def test_rankings_within_unit_and_level() -> None:
    """Ranks count from 1 (best) within the unit and within the level; unrated people have rank 0."""
    app = org({"a": [60.0], "b": [80.0], "c": [70.0], "d": []}, units={"c": "u2", "d": "u2"})
    ev = evaluate(app)
    assert by_id(app, ev, "rank_unit") == {"a": 2, "b": 1, "c": 1, "d": 0}
    assert by_id(app, ev, "rank_level") == {"a": 3, "b": 1, "c": 2, "d": 0}


def test_screening_repeated_not_completed_and_the_bottom_of_a_level() -> None:
    """Not completed in both of the last two periods is screened; so is the bottom 25 % of the level."""
    app = org({"a": [40.0, 45.0], "b": [40.0, 80.0], "c": [80.0, 40.0], "d": [95.0, 95.0]})
    ev = evaluate(app, EvaluationConfig(screen_bottom_share=0.25, talent_share=0.25))
    assert ev.periods == ("2023", "2024")
    screen = by_id(app, ev, "screen")
    assert screen == {"a": SCREEN_REPEATED, "b": 0, "c": SCREEN_BOTTOM, "d": 0}
    assert by_id(app, ev, "talent") == {"a": False, "b": False, "c": False, "d": True}


def test_an_earlier_period_can_be_evaluated() -> None:
    """period = "2023" rates 2023; an unknown period is refused naming it."""
    app = org({"a": [40.0, 95.0]})
    assert int(evaluate(app, EvaluationConfig(period="2023")).rating[0]) == 3
    with pytest.raises(InputError, match="period"):
        evaluate(app, EvaluationConfig(period="1999"))


def test_scope_limits_the_people_and_their_rankings() -> None:
    """Evaluating unit u2 lists only its people and ranks them among themselves."""
    app = org({"a": [90.0], "b": [60.0], "c": [70.0]}, units={"b": "u2", "c": "u2"})
    ev = evaluate(app, units=[app.units.index["u2"]])
    assert by_id(app, ev, "rank_level") == {"b": 2, "c": 1}


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("target", np.nan, "a target for the indicator"),
        ("weight", -1.0, "a non-negative weight"),
        ("actual", -5.0, "a non-negative actual"),
    ],
)
def test_bad_results_built_in_python_are_refused_with_row_and_field(
    column: str, value: float, expected: str
) -> None:
    """Results that bypass the reader are still refused, naming the row (header = row 1) and field."""
    app = org({"a": [50.0], "b": [60.0]})
    values = getattr(app.results, column).copy()
    values[1] = value
    app = dataclasses.replace(app, results=dataclasses.replace(app.results, **{column: values}))
    with pytest.raises(InputError, match=rf"results, row 3, column '{column}': {expected}"):
        evaluate(app)


def test_names_and_labels_are_configurable_from_toml(tmp_path: Path) -> None:
    """Level names come from the config file; the Vietnamese labels are the defaults."""
    path = tmp_path / "e.toml"
    path.write_text('[evaluation]\nnames = ["A", "B", "C", "D"]\nexcellent_cap = 0.5\n')
    cfg = EvaluationConfig.from_toml(path)
    assert cfg.names == ("A", "B", "C", "D")
    assert cfg.labels[0] == "Hoàn thành xuất sắc nhiệm vụ"
    assert evaluate(org({"a": [95.0], "b": [10.0]}), cfg).counts()["A"] == 1
    path.write_text("excellent_cap = 2\n")
    with pytest.raises(InputError, match="excellent_cap"):
        EvaluationConfig.from_toml(path)


@given(st.lists(st.floats(0, 150), min_size=1, max_size=40), st.integers(1, 3))
def test_the_cap_and_the_counts_hold_for_any_scores(values: list[float], n_units: int) -> None:
    """Per unit, excellent <= floor(20 % of rated); every person is rated or listed; ranks are 1..n."""
    scores = {f"p{i:02d}": [v] for i, v in enumerate(values)}
    app = org(scores, units={p: f"u{1 + i % 2}" for i, p in enumerate(scores)} if n_units > 1 else None)
    ev = evaluate(app)
    for u in np.unique(ev.unit):
        here = ev.unit == u
        assert (ev.rating[here] == 0).sum() <= np.floor(0.2 * here.sum() + 1e-9)
        assert sorted(ev.rank_unit[here].tolist()) == list(range(1, here.sum() + 1))
    assert sum(
        v for k, v in ev.counts().items() if k in ("excellent", "good", "completed", "not_completed")
    ) == len(values)


@given(st.lists(st.sampled_from([20.0, 55.0, 75.0, 95.0, 100.0]), min_size=1, max_size=30), st.randoms())
def test_rankings_match_a_plain_sort(values: list[float], rnd: object) -> None:
    """rank_level equals the position in a plain sort by (-score, id); ids in shuffled order."""
    names = [f"p{i:02d}" for i in range(len(values))]
    rnd.shuffle(names)  # type: ignore[attr-defined]
    app = org(dict(zip(names, ([v] for v in values), strict=True)))
    ev = evaluate(app)
    ranks = by_id(app, ev, "rank_level")
    expected = sorted(zip(names, values, strict=True), key=lambda pv: (-pv[1], pv[0]))
    assert [ranks[p] for p, _ in expected] == list(range(1, len(values) + 1))
