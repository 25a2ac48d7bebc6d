"""The files of a bundle and their columns, as the reader, the writer and the docs see them.

Derived from the column registry (``reorg.model.columns``): one file per table, its header names,
which are required, and what its extra columns are. A bundle is a folder of CSV files (or one XLSX
workbook whose sheets carry the same names without ``.csv``). ``units`` is the only file that must be
present; the others are optional, but a file that is present must hold at least one data row. Column
names are exact (lower case); a column a file does not know is refused, except in ``units`` (extra
columns are numeric unit attributes) and ``people`` (extra columns are text person attributes).
"""

from __future__ import annotations

import dataclasses

from reorg.model.columns import REGISTRY, AttributeKind, TableDef

__all__ = ["DATASET_FIELDS", "FILES", "ORDER", "SHEETS", "FileSpec"]


@dataclasses.dataclass(frozen=True)
class FileSpec:
    """One file of a bundle: its stem, the required columns, the optional ones (in writing order), and
    what an extra column is (``attributes``: ``number``, ``text``, or None = refused)."""

    stem: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    attributes: AttributeKind | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """All known columns in the order they are written."""
        return self.required + self.optional

    @property
    def filename(self) -> str:
        return f"{self.stem}.csv"

    @classmethod
    def of(cls, table: TableDef) -> FileSpec:
        """The file of a registered table."""
        return cls(
            table.name,
            tuple(c.file for c in table.columns if c.required),
            tuple(c.file for c in table.columns if not c.required),
            table.attributes,
        )


#: every file, in the order in which files are read (each refers only to files before it) and written
FILES: dict[str, FileSpec] = {table.name: FileSpec.of(table) for table in REGISTRY}

#: the order in which files are read and written
ORDER: tuple[str, ...] = tuple(FILES)

#: sheet names a workbook may hold: the files, and ``dataset`` (name, description, source, synthetic)
SHEETS: tuple[str, ...] = (*ORDER, "dataset")

#: the columns of the ``dataset`` sheet (dataset.json keys in a folder)
DATASET_FIELDS: tuple[str, ...] = ("name", "description", "source", "synthetic")
