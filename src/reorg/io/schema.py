"""The files of a bundle and their columns: one table of truth for the reader, the writer and the docs.

A bundle is a folder of CSV files (or one XLSX workbook whose sheets carry the same names without
``.csv``). ``units`` is the only file that must be present; the others are optional, but a file that
is present must hold at least one data row. Column names are exact (lower case); a column a file does
not know is refused, except in ``units`` where extra columns are numeric unit attributes.
"""

from __future__ import annotations

import dataclasses

__all__ = ["DATASET_FIELDS", "FILES", "ORDER", "SHEETS", "FileSpec"]


@dataclasses.dataclass(frozen=True)
class FileSpec:
    """One file of a bundle: its stem, the required columns, the optional ones (in writing order)."""

    stem: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    extra_numeric: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """All known columns in the order they are written."""
        return self.required + self.optional

    @property
    def filename(self) -> str:
        return f"{self.stem}.csv"


FILES: dict[str, FileSpec] = {
    spec.stem: spec
    for spec in (
        FileSpec(
            "units",
            ("id", "name", "level"),
            ("kind", "parent_id", "quota", "area_km2", "population", "lat", "lon"),
            extra_numeric=True,
        ),
        FileSpec("levels", ("level", "rank"), ("territorial",)),
        FileSpec("tasks", ("id", "name"), ("field", "parent_id", "legal_basis")),
        FileSpec("duties", ("unit_id", "task_id", "role"), ("scope", "legal_basis")),
        FileSpec(
            "people",
            ("id", "unit_id"),
            ("position", "grade", "birth_date", "gender", "service_start", "salary_coefficient"),
        ),
        FileSpec("results", ("person_id", "period", "indicator", "target", "actual"), ("weight",)),
        FileSpec("neighbours", ("a", "b"), ("border_km",)),
        FileSpec("standards", ("level",), ("min_area_km2", "min_population", "max_units")),
        FileSpec("lineage", ("source", "target", "kind", "operation"), ("share",)),
    )
}

#: the order in which files are read (each refers only to files before it) and written
ORDER: tuple[str, ...] = (
    "levels",
    "units",
    "tasks",
    "duties",
    "people",
    "results",
    "neighbours",
    "standards",
    "lineage",
)

#: sheet names a workbook may hold: the files, and ``dataset`` (name, description, source, synthetic)
SHEETS: tuple[str, ...] = (*ORDER, "dataset")

#: the columns of the ``dataset`` sheet (dataset.json keys in a folder)
DATASET_FIELDS: tuple[str, ...] = ("name", "description", "source", "synthetic")
