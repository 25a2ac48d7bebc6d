"""Small apparatuses with named people, for the people tests."""

from __future__ import annotations

import datetime as dt

from reorg.model import Apparatus, LevelRow, PersonRow, ResultRow, UnitRow, build_apparatus


def one_unit(people: list[PersonRow], results: list[ResultRow] | None = None) -> Apparatus:
    """An organisation with one unit ``o`` holding ``people``."""
    return build_apparatus(
        levels=[LevelRow("org", 0)], units=[UnitRow("o", "Org", "org")], people=people, results=results or []
    )


def person(
    pid: str,
    birth: dt.date,
    start: dt.date,
    *,
    gender: str = "nam",
    coefficient: float = 3.66,
    unit: str = "o",
) -> PersonRow:
    return PersonRow(
        pid, unit, birth_date=birth, gender=gender, service_start=start, salary_coefficient=coefficient
    )
