"""Helpers for the diagnosis tests: a compact way to build small apparatuses and pick findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reorg.diagnose import DiagnosisConfig, Finding, Report, diagnose
from reorg.model import (
    Apparatus,
    DutyRow,
    LevelRow,
    PersonRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)

#: nation > (ministry | province) > (department | district) > commune; territorial: nation, province,
#: district, commune
LEVELS = [
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1),
    LevelRow("province", 1, True),
    LevelRow("department", 2),
    LevelRow("district", 2, True),
    LevelRow("commune", 3, True),
]


def unit(uid: str, level: str, parent: str = "", **kw: float) -> UnitRow:
    """A unit named after its id."""
    return UnitRow(uid, uid.upper(), level, parent_id=parent, **kw)  # type: ignore[arg-type]


def make(
    units: Sequence[UnitRow],
    duties: Iterable[tuple[str, str] | tuple[str, str, str] | DutyRow] = (),
    *,
    tasks: Iterable[TaskRow] = (),
    people: dict[str, int] | None = None,
    standards: Sequence[StandardRow] = (),
    levels: Sequence[LevelRow] | None = LEVELS,
) -> Apparatus:
    """An apparatus from units, (unit, task[, role]) duties (or DutyRows), extra tasks and headcounts;
    tasks named in duties are created as needed (no field)."""
    duty_rows = [d if isinstance(d, DutyRow) else DutyRow(*d) for d in duties]
    task_rows = list(tasks)
    known = {t.id for t in task_rows}
    for d in duty_rows:
        if d.task_id not in known:
            task_rows.append(TaskRow(d.task_id, d.task_id))
            known.add(d.task_id)
    person_rows = [PersonRow(f"{u}#{k}", u) for u, n in (people or {}).items() for k in range(n)]
    return build_apparatus(
        levels=levels,
        units=units,
        tasks=task_rows,
        duties=duty_rows,
        people=person_rows,
        standards=standards,
    )


def found(app: Apparatus, kind: str, config: DiagnosisConfig | None = None) -> tuple[Finding, ...]:
    """The reported findings of one kind."""
    return diagnose(app, config).by_kind(kind)


def run(app: Apparatus, config: DiagnosisConfig | None = None) -> Report:
    return diagnose(app, config)


def two_provinces() -> list[UnitRow]:
    """vn ── m1, m2; p1 ── d1a, d1b, x1 ── c1, c2; p2 ── d2a, x2 ── c3, c4."""
    return [
        unit("vn", "nation"),
        unit("m1", "ministry", "vn"),
        unit("m2", "ministry", "vn"),
        unit("p1", "province", "vn"),
        unit("d1a", "department", "p1"),
        unit("d1b", "department", "p1"),
        unit("x1", "district", "p1"),
        unit("c1", "commune", "x1"),
        unit("c2", "commune", "x1"),
        unit("p2", "province", "vn"),
        unit("d2a", "department", "p2"),
        unit("x2", "district", "p2"),
        unit("c3", "commune", "x2"),
        unit("c4", "commune", "x2"),
    ]
