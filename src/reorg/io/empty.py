"""Empty tables, for the files a bundle leaves out."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.model import Duties, Neighbours, People, Results, Standards, Tasks

__all__ = ["duties", "neighbours", "people", "results", "standards", "tasks"]


def _text() -> npt.NDArray[np.object_]:
    return np.zeros(0, dtype=object)


def _rows() -> npt.NDArray[np.int32]:
    return np.zeros(0, dtype=np.int32)


def _numbers() -> npt.NDArray[np.float64]:
    return np.zeros(0, dtype=np.float64)


def tasks() -> Tasks:
    return Tasks(id=_text(), name=_text(), field=_text(), parent=_rows(), legal_basis=_text())


def duties() -> Duties:
    return Duties(
        unit=_rows(), task=_rows(), role=np.zeros(0, dtype=np.int8), scope=_rows(), legal_basis=_text()
    )


def people() -> People:
    no_dates = np.zeros(0, dtype="datetime64[D]")
    return People(
        id=_text(),
        unit=_rows(),
        position=_text(),
        grade=_text(),
        birth_date=no_dates,
        gender=_text(),
        service_start=no_dates.copy(),
        salary_coefficient=_numbers(),
    )


def results() -> Results:
    return Results(
        person=_rows(),
        period=_text(),
        indicator=_text(),
        target=_numbers(),
        actual=_numbers(),
        weight=_numbers(),
    )


def neighbours() -> Neighbours:
    return Neighbours(a=_rows(), b=_rows(), border_km=_numbers())


def standards() -> Standards:
    return Standards(level=_rows(), min_area_km2=_numbers(), min_population=_numbers(), max_units=_numbers())
