"""Where a bundle's files come from: a folder of CSV files, or an XLSX workbook (see ``xlsx``).

A source answers which files are present, hands out each as a Sheet of text, and gives the optional
dataset description and outline file. It refuses names it does not know, so that a misspelt file
(``dutys.csv``) is caught instead of silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from reorg.errors import InputError
from reorg.io.schema import FILES, ORDER
from reorg.io.sheets import Sheet, read_csv
from reorg.model import DatasetInfo
from reorg.model.values import JsonError, load_json, text_problem

__all__ = ["Folder", "Source", "dataset_info", "synthetic_parts"]

#: parts a dataset may declare synthetic: the files, and the outlines
PARTS: tuple[str, ...] = (*ORDER, "territories")


class Source(Protocol):
    """A bundle to read, whatever its form."""

    #: the default dataset name (the folder or workbook name without extension)
    name: str

    def present(self) -> list[str]:
        """Stems of the files present, in reading order."""
        ...

    def sheet(self, stem: str) -> Sheet:
        """The text of file ``stem`` (present)."""
        ...

    def label(self, stem: str) -> str:
        """How file ``stem`` is named in messages."""
        ...

    def info(self) -> DatasetInfo:
        """The dataset description (name defaulting to ``name``)."""
        ...

    def territories(self) -> Path | None:
        """The outline file, if any."""
        ...


class Folder:
    """A folder of CSV files, plus optional dataset.json and territories.geojson."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.resolve().name
        known = {FILES[stem].filename for stem in ORDER}
        for p in sorted(path.iterdir()):
            if p.suffix.lower() == ".csv" and p.name not in known:
                raise InputError(p.name, f"a known file name: one of {', '.join(sorted(known))}")

    def present(self) -> list[str]:
        return [stem for stem in ORDER if (self.path / FILES[stem].filename).is_file()]

    def sheet(self, stem: str) -> Sheet:
        return read_csv(self.path / FILES[stem].filename, FILES[stem])

    def label(self, stem: str) -> str:
        return FILES[stem].filename

    def info(self) -> DatasetInfo:
        path = self.path / "dataset.json"
        if not path.is_file():
            return DatasetInfo(name=self.name)
        try:
            raw = load_json(path.read_bytes())
        except JsonError as exc:
            raise InputError(path.name, f"a JSON object in UTF-8 ({exc.msg})", row=exc.lineno) from None
        if not isinstance(raw, dict):
            raise InputError(path.name, 'a JSON object: {"name": ..., "description": ..., ...}')
        synthetic = raw.get("synthetic", [])
        if not isinstance(synthetic, list) or not all(isinstance(p, str) for p in synthetic):
            raise InputError(path.name, "a list of part names", column="synthetic")
        return dataset_info(path.name, {**raw, "synthetic": synthetic}, self.name)

    def territories(self) -> Path | None:
        path = self.path / "territories.geojson"
        return path if path.is_file() else None


def synthetic_parts(file: str, parts: list[str]) -> tuple[str, ...]:
    """The synthetic parts, each one of PARTS."""
    for part in parts:
        if part not in PARTS:
            raise InputError(file, f"part names among {', '.join(PARTS)}", column="synthetic", value=part)
    return tuple(parts)


def dataset_info(file: str, raw: dict[str, Any], default_name: str) -> DatasetInfo:
    """A DatasetInfo from the fields of dataset.json or the dataset sheet (synthetic: a list of str)."""
    unknown = set(raw) - {"name", "description", "source", "synthetic"}
    if unknown:
        raise InputError(file, "only name, description, source and synthetic", column=sorted(unknown)[0])
    for key in ("name", "description", "source"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise InputError(file, "text", column=key, value=repr(value))
        problem = text_problem(value)
        if problem:
            raise InputError(file, problem, column=key)
    return DatasetInfo(
        name=raw.get("name") or default_name,
        description=raw.get("description", ""),
        source=raw.get("source", ""),
        synthetic=synthetic_parts(file, raw.get("synthetic", [])),
    )
