"""services.people: the lists of an evaluation and their order, and who a benefits call covers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_kit import create_dataset

from reorg.errors import InputError
from reorg.model import LevelRow, PersonRow, ResultRow, UnitRow, build_apparatus
from reorg.people import EvaluationConfig
from reorg.plan import MovePeople, Plan, ReleasePeople
from reorg.services import people, plans
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """``org``: units a and b under o; 10 people p0..p9 scoring 10, 20, ... 100 (p9 in b)."""
    staff = build_apparatus(
        levels=[LevelRow("org", 0), LevelRow("unit", 1)],
        units=[
            UnitRow("o", "Org", "org"),
            UnitRow("a", "A", "unit", parent_id="o"),
            UnitRow("b", "B", "unit", parent_id="o"),
        ],
        people=[
            PersonRow(
                f"p{i}",
                "b" if i == 9 else "a",
                birth_date=dt.date(1980, 1, 1),
                gender="nam",
                service_start=dt.date(2005, 1, 1),
                salary_coefficient=3.0,
            )
            for i in range(10)
        ],
        results=[ResultRow(f"p{i}", "2024", "x", 100, 10 * (i + 1)) for i in range(10)],
    )
    store = Database(f"sqlite:///{tmp_path / 'p.db'}")
    create_dataset(store, staff, name="org")
    yield store
    store.close()


def test_lists_are_ordered_worst_first_and_best_first(db: Database) -> None:
    """Screening lists the worst first; the talent pool the best first; both by level."""
    config = EvaluationConfig(screen_bottom_share=0.3, talent_share=0.3)
    with db.unit_of_work(actor="t", readonly=True) as uow:
        done = people.evaluate(uow, dataset="org", config=config)
    assert [r["id"] for r in done.rows("screening")] == ["p0", "p1", "p2"]
    assert [r["id"] for r in done.rows("talent")] == ["p9", "p8", "p7"]
    assert done.to_dict()["counts"]["people"] == 10


def test_benefits_cover_the_units_and_the_ids_named_once(db: Database) -> None:
    """Unit b and ids p0, p9 give two people (p9 counted once); an unknown id names its source."""
    with db.unit_of_work(actor="t", readonly=True) as uow:
        done = people.benefits(
            uow, dataset="org", as_of=dt.date(2025, 6, 1), units=["b"], people=["p0", "p9"]
        )
        assert [r["id"] for r in done.rows()] == ["p0", "p9"]
        with pytest.raises(InputError, match=r"ids\.txt, row 2"):
            people.benefits(
                uow, dataset="org", as_of=dt.date(2025, 6, 1), people=["p0", "x"], people_source="ids.txt"
            )


def test_benefits_of_a_plans_releases_by_operation(db: Database) -> None:
    """--released takes the people a stored plan releases from its event log, each with its operation."""
    plan = Plan(
        baseline="org",
        operations=(
            ReleasePeople(("p0",), reason="resignation"),
            MovePeople("b", people=("p2",)),
            ReleasePeople(("p1", "p3")),
        ),
    )
    with db.unit_of_work(actor="t") as uow:
        plans.apply_plan(uow, plan=plan, name="cuts")
    with db.unit_of_work(actor="t", readonly=True) as uow:
        done = people.benefits(uow, dataset="cuts", as_of=dt.date(2025, 6, 1), released=True)
        with pytest.raises(InputError, match="--released"):
            people.benefits(uow, dataset="org", as_of=dt.date(2025, 6, 1), released=True)
    data = done.to_dict()
    assert [(r["id"], r["operation"]) for r in data["people"]] == [("p0", 0), ("p1", 2), ("p3", 2)]
    assert [(o["operation"], o["op"], o["people"]) for o in data["by_operation"]] == [
        (0, "release_people", 1),
        (2, "release_people", 2),
    ]
    assert sum(o["cost"] for o in data["by_operation"]) == data["total"]["cost"]
