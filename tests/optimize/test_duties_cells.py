"""find_cells: duplicate and gap cells named from plan.leads' range test."""

from __future__ import annotations

from diagnose_kit import make, two_provinces

from reorg.optimize.duties import find_cells


def cells_of(app: object) -> list[tuple[str, str, bool, list[str]]]:
    cells = find_cells(app)  # type: ignore[arg-type]
    out = []
    for c in range(len(cells)):
        leads = app.duties.unit[cells.lead_duty[cells.ptr[c] : cells.ptr[c + 1]]]  # type: ignore[attr-defined]
        out.append(
            (
                str(app.tasks.id[cells.task[c]]),  # type: ignore[attr-defined]
                str(app.units.id[cells.place[c]]),  # type: ignore[attr-defined]
                bool(cells.duplicate[c]),
                sorted(str(app.units.id[u]) for u in leads),  # type: ignore[attr-defined]
            )
        )
    return out


def test_clean_apparatus_has_no_cells() -> None:
    """Each task led once in every place: nothing to fix."""
    app = make(two_provinces(), [("d1a", "t"), ("d2a", "t"), ("m1", "n")])
    assert cells_of(app) == []


def test_province_and_district_leading_one_task_is_one_cell_at_the_province() -> None:
    """A department and a district of its province both leading: one duplicate cell, the province."""
    app = make(two_provinces(), [("d1a", "t"), ("x1", "t"), ("d2a", "t")])
    assert cells_of(app) == [("t", "p1", True, ["d1a", "x1"])]


def test_two_ministries_duplicate_at_the_nation() -> None:
    """Two national leads of one task: one cell at the root with both leads."""
    app = make(two_provinces(), [("m1", "n"), ("m2", "n")])
    assert cells_of(app) == [("n", "vn", True, ["m1", "m2"])]


def test_gap_is_cut_into_the_largest_units_inside_it() -> None:
    """Led in c1 only: the gap is c2 and the whole of province p2 (not its communes one by one)."""
    app = make(two_provinces(), [("c1", "t")])
    assert cells_of(app) == [("t", "c2", False, []), ("t", "p2", False, [])]


def test_task_without_lead_is_one_cell_at_the_root() -> None:
    """A task only supported is unled everywhere: its cell is the root."""
    app = make(two_provinces(), [("m1", "s", "support")])
    assert cells_of(app) == [("s", "vn", False, [])]
