"""Reading a bundle (a folder of CSV files or an XLSX workbook) into an Apparatus, all or nothing.

Files are read in dependency order (levels, units, outlines, tasks, duties, people, results,
neighbours, standards, lineage); the first bad cell raises InputError naming file, row and column,
and no partial apparatus is ever returned. Progress is reported once per file.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from reorg.errors import InputError
from reorg.io.geo import Territories, derive_neighbours, fill_from_outlines, outline_texts, read_territories
from reorg.io.sheets import Sheet
from reorg.io.source import Folder, Source
from reorg.io.tables import (
    read_duties,
    read_levels,
    read_lineage,
    read_neighbours,
    read_people,
    read_results,
    read_standards,
    read_tasks,
    read_units,
    territorial,
)
from reorg.io.workbook import Workbook
from reorg.model import Apparatus, Duties, Levels, Neighbours, People, Results, Standards, Tasks, Units
from reorg.model.columns import empty
from reorg.plan import invariants
from reorg.progress import Progress, report

__all__ = ["Bundle", "load", "load_bundle", "open_source", "read_bundle"]


@dataclasses.dataclass(frozen=True, eq=False)
class Bundle:
    """A bundle as read: its apparatus, and the outlines of territories.geojson as GeoJSON geometry
    text by unit id (empty when the bundle has none)."""

    apparatus: Apparatus
    outlines: dict[str, str]


def open_source(path: Path) -> Source:
    """The bundle at ``path``: a folder, or an .xlsx file."""
    if path.is_dir():
        return Folder(path)
    if path.suffix.lower() == ".xlsx":
        if not path.is_file():
            raise InputError(path.name, "an existing .xlsx workbook; there is no such file")
        return Workbook(path)
    if not path.exists():
        raise InputError(str(path), "a folder of CSV files or an .xlsx workbook; nothing is there")
    raise InputError(path.name, "a folder of CSV files or an .xlsx workbook")


def read_bundle(source: Source, *, today: date, progress: Progress | None = None) -> Apparatus:
    """The Apparatus in ``source``; ``today`` bounds birth and service dates."""
    return _read(source, today, progress)[0]


def _read(source: Source, today: date, progress: Progress | None) -> tuple[Apparatus, Territories | None]:
    """The Apparatus in ``source`` and the outlines it was given."""
    present = source.present()
    info = source.info()
    if "units" not in present:
        raise InputError(source.label("units"), "a units file: every bundle has one")
    outline_path = source.territories()
    total = len(present) + (outline_path is not None)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        report(progress, done, total, f"reading {what}")
        done += 1

    def sheet(stem: str) -> Sheet:
        step(source.label(stem))
        return source.sheet(stem)

    levels = read_levels(sheet("levels")) if "levels" in present else None
    units_sheet = sheet("units")
    units, levels, unit_index = read_units(units_sheet, levels)
    _check_tree(levels, units, units_sheet)
    outlines = None
    if outline_path is not None:
        step(outline_path.name)
        outlines = read_territories(outline_path, unit_index)
        units = fill_from_outlines(units, outlines)
    tasks, task_index = read_tasks(sheet("tasks")) if "tasks" in present else (empty(Tasks), {})
    duties = empty(Duties)
    if "duties" in present:
        duties = read_duties(sheet("duties"), unit_index, task_index, territorial(units, levels))
    people, person_index = empty(People), dict[str, int]()
    if "people" in present:
        people, person_index = read_people(sheet("people"), unit_index, today)
    results = read_results(sheet("results"), person_index) if "results" in present else empty(Results)
    if "neighbours" in present:
        neighbours = read_neighbours(sheet("neighbours"), unit_index)
    elif outlines is not None:
        a, b, km = derive_neighbours(outlines, units.level)
        neighbours = Neighbours(a=a, b=b, border_km=km)
    else:
        neighbours = empty(Neighbours)
    standards = empty(Standards)
    if "standards" in present:
        standards = read_standards(sheet("standards"), levels)
    lineage = read_lineage(sheet("lineage")) if "lineage" in present else ()
    report(progress, total, total, "read")
    app = Apparatus(
        levels=levels,
        units=units,
        tasks=tasks,
        duties=duties,
        people=people,
        results=results,
        neighbours=neighbours,
        standards=standards,
        info=info,
        lineage=lineage,
    )
    return app, outlines


def _check_tree(levels: Levels, units: Units, sheet: Sheet) -> None:
    """Refuse what the ``tree`` invariant refuses (reorg.plan.invariants.tree, the same rule ``apply``
    keeps): a forest of several roots, and a unit whose level is not ranked below its parent's. The
    row named is the second root's, or the child's."""
    app = Apparatus(
        levels=levels,
        units=units,
        tasks=empty(Tasks),
        duties=empty(Duties),
        people=empty(People),
        results=empty(Results),
        neighbours=empty(Neighbours),
        standards=empty(Standards),
    )
    violations = invariants.tree(app)
    if not violations:
        return
    first = violations[0]
    rows = [app.units.index[uid] for uid in first.units]
    roots = set(app.units.roots.tolist())
    if rows and all(r in roots for r in rows):
        row, column = rows[min(1, len(rows) - 1)], "parent_id"
    else:
        row, column = rows[0], "level"
    raise sheet.error(row, column, f"one tree, each unit's level ranked below its parent's: {first.message}")


@contextmanager
def _bulk() -> Iterator[None]:
    """Cyclic garbage collection paused while millions of acyclic rows are built: it would otherwise
    rescan the growing heap again and again (3x slower for a million people); reference counting still
    frees everything, and the collector's previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: str | Path, *, progress: Progress | None = None) -> Apparatus:
    """The apparatus in the bundle at ``path`` (a folder of CSV files or an .xlsx workbook).

    Raises InputError naming file, row (1-based, the header is row 1), column and what was expected
    at the first bad input; nothing partial is returned."""
    with _bulk():
        return read_bundle(open_source(Path(path)), today=date.today(), progress=progress)


def load_bundle(path: str | Path, *, progress: Progress | None = None) -> Bundle:
    """As ``load``, with the outlines of the bundle's territories.geojson kept (for the store)."""
    with _bulk():
        app, outlines = _read(open_source(Path(path)), date.today(), progress)
    return Bundle(app, outline_texts(outlines, app.units.id.tolist()) if outlines is not None else {})
