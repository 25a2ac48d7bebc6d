"""The ruleset expression language: the whitelist, type checks, and vectorized date arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reorg.people.expr import ExpressionError, compile_expression, evaluate

NAMES = {"x": "number", "d": "date", "e": "date", "g": "text", "flag": "bool"}


def value(source: str, **env: object) -> object:
    return evaluate(compile_expression(source, NAMES), env)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("x.real", "Attribute is not allowed"),
        ("[x]", "List is not allowed"),
        ("x ** 2", "operator Pow is not allowed"),
        ("lambda: 1", "Lambda is not allowed"),
        ("y + 1", "unknown variable 'y'"),
        ("d + 1", "arithmetic needs a number, this is a date"),
        ("g < 'a'", "text values are only compared with == and !="),
        ("if_else(x, 1, 2)", "if_else() needs a bool here"),
        ("if_else(flag, 1, d)", "two values of one type"),
        ("min(x)", "two or more numbers"),
        ("round(x, digits=2)", "no keyword arguments"),
        ("x[0]", "Subscript is not allowed"),
    ],
)
def test_nodes_off_the_whitelist_are_refused(source: str, message: str) -> None:
    """Anything but the whitelisted nodes, names and functions is refused with the reason."""
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_expression(source, NAMES)


def test_a_syntax_error_names_line_and_column() -> None:
    """A syntax error gives its line and column (1-based)."""
    with pytest.raises(ExpressionError) as info:
        compile_expression("min(x,\n  x +* 2)", NAMES)
    assert info.value.line == 2
    assert info.value.col >= 1


def test_arithmetic_logic_and_functions_work_on_columns() -> None:
    """Operators and functions apply elementwise to columns and broadcast scalars."""
    x = np.array([1.0, 2.5, -3.0])
    assert np.allclose(value("min(x, 2) + max(x, 0) * 2", x=x), [3.0, 7.0, -3.0])
    assert np.array_equal(value("x > 0 and not x > 2", x=x), [True, False, False])
    assert np.allclose(value("if_else(x > 0, floor(x), ceil(x))", x=x), [1, 2, -3])
    assert np.allclose(value("round(x) + round(2.345, 2)", x=x), [3.35, 5.35, -0.65])
    assert np.array_equal(value("g == 'nữ'", g=np.array(["nữ", "nam"], dtype=object)), [True, False])


@pytest.mark.parametrize(
    ("a", "b", "months"),
    [
        ("2025-01-15", "2026-01-14", 11),
        ("2025-01-15", "2026-01-15", 12),
        ("2025-01-31", "2025-02-28", 0),
        ("2025-03-01", "2025-06-01", 3),
        ("2025-06-01", "2025-03-01", -3),
        ("2025-03-15", "2025-01-20", -1),
    ],
)
def test_months_between_counts_whole_calendar_months(a: str, b: str, months: int) -> None:
    """months_between counts whole months (a day short is one month less), antisymmetric."""
    got = value("months_between(d, e)", d=np.datetime64(a), e=np.datetime64(b))
    assert float(got) == months


def test_add_months_clips_the_day_to_the_month_end() -> None:
    """31 Jan + 1 month is 28 Feb (29 in a leap year)."""
    d = np.array(["2025-01-31", "2024-01-31", "2025-05-10"], dtype="datetime64[D]")
    got = value("add_months(d, 1)", d=d)
    assert got.tolist() == [dt.date(2025, 2, 28), dt.date(2024, 2, 29), dt.date(2025, 6, 10)]


@given(
    st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)), st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31))
)
def test_months_between_then_add_months_never_overshoots(a: dt.date, b: dt.date) -> None:
    """a + months_between(a, b) is not after b, and one month more is after b (for a <= b)."""
    if b < a:
        a, b = b, a
    m = value("months_between(d, e)", d=np.datetime64(a), e=np.datetime64(b))
    reached = value("add_months(d, x)", d=np.array([a], "datetime64[D]"), x=np.array([m]))[0]
    beyond = value("add_months(d, x + 1)", d=np.array([a], "datetime64[D]"), x=np.array([m]))[0]
    assert reached <= np.datetime64(b) < beyond


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("1964-01-10", "2025-04-10"),  # 61 y 3 m, reached in 2025 (the 2025 age)
        ("1960-01-01", "2020-01-01"),  # before the schedule: the base age
        ("1970-05-01", "2032-05-01"),  # the cap, 62 y
    ],
)
def test_rising_age_date_reaches_the_age_of_its_year(birth: str, expected: str) -> None:
    """Men (Decree 135/2020): 60 y from 2020, +3 months a year, at most 62 y."""
    got = value("rising_age_date(d, 2020, 720, 3, 744)", d=np.array([birth], "datetime64[D]"))
    assert str(got[0]) == expected


def test_absent_dates_give_absent_numbers() -> None:
    """NaT in, NaN out: absent data never turns into a number."""
    got = value("months_between(d, e)", d=np.array(["NaT"], "datetime64[D]"), e=np.datetime64("2025-01-01"))
    assert np.isnan(got).all()
