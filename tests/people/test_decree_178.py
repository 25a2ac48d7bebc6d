"""The default ruleset, Decree 178/2024/ND-CP as amended by Decree 67/2025/ND-CP, on hand-computed cases.

S = 2,340,000 x 3.66 x 1.25 = 10,705,500 VND/month for coefficient 3.66 (reference §3, [LD24]).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from people_kit import one_unit, person

from reorg.model import PersonRow
from reorg.people import compute_benefits, load_ruleset

S = 10_705_500
DECISION = dt.date(2025, 1, 15)
RULESET = load_ruleset()


def benefit(
    birth: dt.date, start: dt.date, as_of: dt.date, *, gender: str = "nam", decision: dt.date = DECISION
) -> tuple[str, float, dict[str, float]]:
    app = one_unit([person("p", birth, start, gender=gender)])
    b = compute_benefits(app, RULESET, [0], as_of=as_of, decision_date=decision)
    return b.regime_id(0), float(b.amount[0]), b.breakdown(0)


def test_the_worked_example_to_the_dong() -> None:
    """MOHA's example: 15 SI years, S = 10,705,500, quits 1 Jun 2025 -> 786,854,250 VND."""
    regime, amount, terms = benefit(dt.date(1985, 3, 1), dt.date(2010, 6, 1), dt.date(2025, 6, 1))
    assert regime == "resignation"
    assert terms == {"severance": 513_864_000, "si_allowance": 240_873_750, "job_search": 32_116_500}
    assert amount == 786_854_250


@pytest.mark.parametrize(
    ("as_of", "rate"),
    [(dt.date(2026, 1, 14), 0.8), (dt.date(2026, 1, 15), 0.4), (dt.date(2025, 1, 15), 0.8)],
)
def test_resignation_severance_halves_from_the_13th_month(as_of: dt.date, rate: float) -> None:
    """Month 12 after the decision (to 14 Jan 2026) pays 0.8 x S x m_sev; from 15 Jan 2026, 0.4."""
    _, _, terms = benefit(dt.date(1985, 3, 1), dt.date(2010, 1, 1), as_of)
    assert terms["severance"] == round(rate * S * 60)


@pytest.mark.parametrize(
    ("start", "months", "years"),
    [
        (dt.date(2022, 6, 1), 36, 3.0),  # whole years; m_sev below the cap is the actual months
        (dt.date(2022, 5, 1), 37, 3.5),  # 1 odd month = half a year
        (dt.date(2021, 12, 1), 42, 3.5),  # 6 odd months = half a year
        (dt.date(2021, 11, 1), 43, 4.0),  # 7 odd months = a year
    ],
)
def test_resignation_counts_si_years_by_half_years(start: dt.date, months: int, years: float) -> None:
    """y_SI: odd months 1-6 count half a year, over 6 a year; m_sev is the actual months under 60."""
    _, amount, terms = benefit(dt.date(1985, 3, 1), start, dt.date(2025, 6, 1))
    assert terms["severance"] == round(0.8 * S * months)
    assert terms["si_allowance"] == round(1.5 * S * years)
    assert amount == sum(terms.values())


@pytest.mark.parametrize(
    ("as_of", "months_early", "regime"),
    [
        (dt.date(2015, 4, 10), 120, "early_retirement"),  # exactly 10 years early
        (dt.date(2015, 3, 10), 121, "resignation"),  # 121 whole months early: not Art. 7
        (dt.date(2025, 4, 10), 0, ""),  # at retirement age: nothing under the decree
    ],
)
def test_the_early_retirement_window_is_up_to_ten_years(
    as_of: dt.date, months_early: int, regime: str
) -> None:
    """Art. 7 applies from 1 day to 10 years early (retirement date 10 Apr 2025: man born 10 Jan 1964)."""
    got, _, _ = benefit(dt.date(1964, 1, 10), dt.date(1990, 1, 1), as_of, decision=as_of)
    assert got == regime


@pytest.mark.parametrize(
    ("months_early", "lump", "per_year", "years_early"),
    [
        (23, 1.0 * 23, 0, 0),  # under 2 years: 7.1 only
        (24, 1.0 * 24, 5, 2.0),  # 2 years: + 5 x S per year early
        (60, 1.0 * 60, 5, 5.0),  # 5 years: still 1.0 x S x m_early
        (61, 0.9 * 60, 4, 5.5),  # over 5 years: 0.9 x S x 60, 4 x S per year early
        (120, 0.9 * 60, 4, 10.0),
    ],
)
def test_early_retirement_terms_at_each_boundary(
    months_early: int, lump: float, per_year: int, years_early: float
) -> None:
    """Art. 7 at 23, 24, 60, 61 and 120 months early, with 34 SI years (pension: +5 S, +0.5 S x 14)."""
    retirement = dt.date(2025, 4, 10)  # man born 10 Jan 1964
    year, month = divmod(retirement.year * 12 + retirement.month - 1 - months_early, 12)
    as_of = dt.date(year, month + 1, 10)
    start = dt.date(as_of.year - 34, as_of.month, as_of.day)
    regime, amount, terms = benefit(dt.date(1964, 1, 10), start, as_of, decision=as_of)
    assert regime == "early_retirement"
    assert terms["pension_lump_sum"] == round(lump * S)
    assert terms["early_years_allowance"] == round(per_year * S * years_early)
    service = round((5 + 0.5 * 14) * S) if months_early >= 24 else 0
    assert terms["service_allowance"] == service
    assert amount == sum(terms.values())


@pytest.mark.parametrize(("as_of", "rate"), [(dt.date(2026, 1, 14), 1.0), (dt.date(2026, 1, 15), 0.5)])
def test_early_retirement_lump_sum_halves_from_the_13th_month(as_of: dt.date, rate: float) -> None:
    """The lump sum is paid at half rate from the 13th month after the decision; the rest is not."""
    regime, _, terms = benefit(dt.date(1967, 1, 1), dt.date(2000, 1, 1), as_of)
    assert regime == "early_retirement"
    full = benefit(dt.date(1967, 1, 1), dt.date(2000, 1, 1), as_of, decision=as_of)[2]["pension_lump_sum"]
    assert full > 0
    assert terms["pension_lump_sum"] == round(rate * full)


def test_no_pension_no_per_year_allowances() -> None:
    """Under 20 SI years (no pension [U]): the lump sum only."""
    as_of = dt.date(2022, 4, 10)  # 36 months early, 12 SI years
    regime, amount, terms = benefit(dt.date(1964, 1, 10), dt.date(2010, 4, 10), as_of, decision=as_of)
    assert regime == "early_retirement"
    assert terms["early_years_allowance"] == terms["service_allowance"] == 0
    assert amount == terms["pension_lump_sum"] == 36 * S


def test_women_retire_on_their_own_schedule() -> None:
    """A woman born 1 Mar 1970 reaches 57 y 4 m (her year's age) on 1 Jul 2027: 25 months early."""
    regime, _, terms = benefit(dt.date(1970, 3, 1), dt.date(1990, 6, 1), dt.date(2025, 6, 1), gender="nữ")
    assert regime == "early_retirement"
    assert terms["pension_lump_sum"] == 25 * S


def test_a_transferred_person_takes_the_transfer_regime() -> None:
    """A person moved to another post is paid nothing and saves nothing."""
    app = one_unit([person("p", dt.date(1985, 3, 1), dt.date(2010, 6, 1))])
    b = compute_benefits(app, RULESET, [0], as_of=dt.date(2025, 6, 1), transferred=[0])
    assert b.regime_id(0) == "transfer"
    assert b.amount[0] == b.saving[0] == 0


def test_missing_data_is_listed_not_skipped() -> None:
    """A person with no birth date takes no regime and is listed with the input missing."""
    app = one_unit(
        [PersonRow("p", "o", gender="nam", service_start=dt.date(2010, 6, 1), salary_coefficient=3)]
    )
    b = compute_benefits(app, RULESET, [0], as_of=dt.date(2025, 6, 1))
    assert b.regime_id(0) == ""
    assert b.missing[0] == ("birth_date",)
    assert b.total.by_regime == {"none": 1}


def test_totals_and_payback() -> None:
    """Total cost, annual saving (12 x S per leaver) and payback = cost / saving."""
    app = one_unit([person("p", dt.date(1985, 3, 1), dt.date(2010, 6, 1))])
    b = compute_benefits(app, RULESET, [0], as_of=dt.date(2025, 6, 1), decision_date=DECISION)
    assert b.total.cost == 786_854_250
    assert b.total.annual_saving == 12 * S
    assert b.total.payback_years == pytest.approx(786_854_250 / (12 * S))
    assert [u.unit for u in b.units] == ["o"]


@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(1962, 1, 1), dt.date(2000, 12, 31)),
            st.integers(18 * 12, 40 * 12),
            st.sampled_from(["nam", "nữ"]),
            st.floats(1.86, 8.0),
        ),
        min_size=1,
        max_size=12,
    ),
    st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
)
def test_columns_give_what_one_person_at_a_time_gives(
    people: list[tuple[dt.date, int, str, float]], as_of: dt.date
) -> None:
    """Evaluated together or one by one, each person gets the same regime and amount; the amount is
    the sum of the breakdown; a later decision date never pays less (the window only halves)."""
    rows = []
    for i, (birth, start_months, gender, coefficient) in enumerate(people):
        y, m = divmod(birth.year * 12 + birth.month - 1 + start_months, 12)
        start = min(dt.date(y, m + 1, 1), as_of)
        rows.append(person(f"p{i}", birth, start, gender=gender, coefficient=round(coefficient, 2)))
    app = one_unit(rows)
    together = compute_benefits(app, RULESET, range(len(rows)), as_of=as_of, decision_date=DECISION)
    recent = compute_benefits(app, RULESET, range(len(rows)), as_of=as_of, decision_date=as_of)
    for i in range(len(rows)):
        alone = compute_benefits(app, RULESET, [i], as_of=as_of, decision_date=DECISION)
        assert (alone.regime_id(0), alone.amount[0]) == (together.regime_id(i), together.amount[i])
        assert together.amount[i] == sum(together.breakdown(i).values())
        assert recent.amount[i] >= together.amount[i]
