"""Column conversions: the fast vectorized path accepts exactly what the row-by-row pass would."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.errors import InputError
from reorg.io.convert import dates, flags, numbers, refs
from reorg.io.schema import FILES
from reorg.io.sheets import Sheet
from reorg.model.values import RANGES

ANY = RANGES["attribute"]


def sheet(column: str, *values: str) -> Sheet:
    """A one-column sheet of people.csv (rows 2, 3, ...)."""
    return Sheet("people.csv", FILES["people"], {column: values}, len(values))


@pytest.mark.parametrize(
    "bad",
    [
        "2020",
        "2020-01",
        "2020-1-05",
        "2020/01/05",
        "05-01-2020",
        "NaT",
        "2020-01-011",
        " 2020-01-05",
        "٢٠٢٠-٠١-٠٥",
    ],
)
def test_dates_must_be_written_yyyy_mm_dd(bad: str) -> None:
    """Only YYYY-MM-DD in ASCII digits is a date, even where numpy would guess another form."""
    with pytest.raises(InputError, match="YYYY-MM-DD") as caught:
        dates(sheet("birth_date", "1990-01-01", bad), "birth_date")
    assert caught.value.row == 3


def test_dates_keep_empty_cells_as_nat() -> None:
    """An empty cell is an absent date."""
    got = dates(sheet("birth_date", "", "1990-01-31"), "birth_date")
    assert np.isnat(got[0])
    assert str(got[1]) == "1990-01-31"


@pytest.mark.parametrize("text", ["1.5", "2", "1e3", " 7 ", "0"])
def test_numbers_accept_plain_decimal_text(text: str) -> None:
    """Decimal point, exponent and surrounding spaces are numbers."""
    assert numbers(sheet("x", text), "x", ANY)[0] == float(text)


@pytest.mark.parametrize(
    "text",
    ["1,5", "abc", "NaN", "-inf", "1.5.2", "   ", "1_000", "１２", "١٢", "٣", "0x10", "1e400", "infinity"],
)
def test_numbers_refuse_what_is_not_a_finite_number(text: str) -> None:
    """Comma decimals, words, NaN, infinities, blanks-that-are-not-empty, digit separators and digits
    other than ASCII (full-width, Arabic-Indic) are refused at their row."""
    with pytest.raises(InputError) as caught:
        numbers(sheet("x", "1", text), "x", ANY)
    assert (caught.value.row, caught.value.column, caught.value.value) == (3, "x", text)


@pytest.mark.parametrize("text", ["1e12", "2147483648", "1.5", "-1"])
def test_whole_numbers_stay_within_a_32_bit_integer(text: str) -> None:
    """A rank of 1e12 (once stored as -2,147,483,648), a fraction or a negative is refused at its cell."""
    with pytest.raises(InputError, match="whole number") as caught:
        numbers(sheet("rank", "0", text), "rank", RANGES["rank"])
    assert (caught.value.row, caught.value.value) == (3, text)
    assert numbers(sheet("rank", "2147483647"), "rank", RANGES["rank"])[0] == 2**31 - 1


def test_numbers_below_the_floor_are_refused() -> None:
    """A negative number where the column allows none is refused with its row and value."""
    with pytest.raises(InputError) as caught:
        numbers(sheet("x", "1", "", "-0.5"), "x", RANGES["quota"])
    assert (caught.value.row, caught.value.value) == (4, "-0.5")


def test_flags_read_common_spellings() -> None:
    """true/false, yes/no and 1/0 in any case; empty is false; anything else is refused."""
    assert flags(sheet("t", "TRUE", "no", "1", "", "Yes"), "t").tolist() == [True, False, True, False, True]
    with pytest.raises(InputError, match="true or false"):
        flags(sheet("t", "true", "maybe"), "t")


def test_refs_resolve_ids_and_refuse_unknown_ones() -> None:
    """Ids become row indexes; an optional empty cell is -1; an unknown id is refused at its row."""
    index = {"a": 0, "b": 1}
    got = refs(sheet("unit_id", "b", "", "a"), "unit_id", index, expected="a unit", optional=True)
    assert got.tolist() == [1, -1, 0]
    with pytest.raises(InputError, match="required") as caught:
        refs(sheet("unit_id", "b", ""), "unit_id", index, expected="a unit")
    assert caught.value.row == 3
