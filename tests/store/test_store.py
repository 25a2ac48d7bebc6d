"""Store: round trips, versions, names, plans and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from same_apparatus import assert_same_apparatus
from store_kit import (
    audit,
    create_dataset,
    create_plan,
    get_dataset,
    get_plan,
    list_datasets,
    list_plans,
    load_dataset,
    load_plan,
    resolve_name,
)

from reorg.datasets.synthetic import generate
from reorg.errors import InputError, NotFoundError
from reorg.model import (
    Apparatus,
    DatasetInfo,
    DutyRow,
    LevelRow,
    LineageEdge,
    NeighbourRow,
    PersonRow,
    ResultRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.store import Database


@pytest.fixture
def varied() -> Apparatus:
    """Every kind of value a column can hold: Unicode text, absent numbers/dates/text, references to
    none, a duty scope, support roles, two unit attributes (one mostly absent), person attributes (text
    that looks like numbers, one never given), an attached level, lineage and info."""
    app = build_apparatus(
        levels=[
            LevelRow("quốc gia", 0, True),
            LevelRow("tỉnh", 1, True),
            LevelRow("sở", 2),
            LevelRow("đảng bộ", 2, attached=True),
        ],
        units=[
            UnitRow(
                "vn", "Việt Nam", "quốc gia", kind="nation", population=1e8, attributes=(("budget", 1.5),)
            ),
            UnitRow("hn", "Hà Nội", "tỉnh", parent_id="vn", area_km2=3359.82, lat=21.0285, lon=105.8542),
            UnitRow("kv", "Київ", "tỉnh", parent_id="vn", quota=12, attributes=(("staff_cost", -2.25),)),
            UnitRow("s1", 'Sở Tư pháp\tHà Nội, "quote"\nline', "sở", parent_id="hn", quota=40),
            UnitRow("db", "Đảng bộ Hà Nội", "đảng bộ", parent_id="hn"),
        ],
        tasks=[
            TaskRow("land", "Đất đai", "tài nguyên", legal_basis="Luật 31/2024/QH15"),
            TaskRow("sub", "Sub", parent_id="land"),
        ],
        duties=[
            DutyRow("s1", "land"),
            DutyRow("kv", "land", scope="kv"),
            DutyRow("vn", "sub", role="support", legal_basis="\\N"),
        ],
        people=[
            PersonRow(
                "e1",
                "s1",
                "giám đốc",
                "chuyên viên chính",
                date(1970, 1, 1),
                "female",
                date(1995, 3, 1),
                6.1,
                attributes=(("badge", "007"), ("hợp đồng", "biên chế\tdài hạn\n\\N")),
            ),
            PersonRow("e2", "hn", attributes=(("note", ""),)),
            PersonRow(
                "e3",
                "kv",
                birth_date=date(1962, 12, 31),
                salary_coefficient=2.34,
                attributes=(("badge", "1.50"),),
            ),
        ],
        results=[
            ResultRow("e1", "2024", "tasks completed", 10, 9.5),
            ResultRow("e3", "2024", "x", 1, 0, 2.0),
        ],
        neighbours=[NeighbourRow("kv", "hn", 12.5), NeighbourRow("hn", "vn")],
        standards=[StandardRow("tỉnh", min_area_km2=5000), StandardRow("sở", max_units=20)],
        info=DatasetInfo("Mẫu", "mô tả", "tests", ("people", "results")),
    )
    lineage = (LineageEdge("a", "hn", "merge", 0), LineageEdge("b", "hn", "split", 1, 0.25))
    return dataclasses.replace(app, lineage=lineage)


def test_round_trip_tiny(store: Database, tiny: Apparatus) -> None:
    """A loaded dataset equals the imported apparatus column by column."""
    create_dataset(store, tiny, name="tiny")
    assert_same_apparatus(tiny, load_dataset(store, "tiny"))


def test_round_trip_varied_values(store: Database, varied: Apparatus) -> None:
    """Unicode, tabs/newlines/backslashes in text, NaN, NaT, -1 references, attributes, lineage and info
    all survive a round trip."""
    record = create_dataset(store, varied, name="varied")
    loaded = load_dataset(store, "varied")
    assert_same_apparatus(varied, loaded)
    assert loaded.levels.attached.tolist() == [False, False, False, True]
    assert record.info == varied.info
    assert np.isnat(loaded.people.birth_date[1])
    assert loaded.units.parent[0] == -1
    assert loaded.people.attributes["badge"].tolist() == ["007", "", "1.50"]
    assert loaded.people.attributes["note"].tolist() == ["", "", ""]


def test_round_trip_synthetic(store: Database) -> None:
    """A synthetic apparatus with every table filled, across several write chunks, round-trips."""
    app = generate(units=400, tasks=60, duties=3000, people=60_000, results_per_person=1, seed=5)
    create_dataset(store, app, name="synthetic")
    assert_same_apparatus(app, load_dataset(store, "synthetic"))


def test_empty_tables_round_trip(store: Database) -> None:
    """An apparatus with only units (no tasks, duties, people...) round-trips."""
    app = build_apparatus(units=[UnitRow("root", "Root", "top")])
    create_dataset(store, app, name="bare")
    assert_same_apparatus(app, load_dataset(store, "bare"))


def test_record_counts_and_time(store: Database, tiny: Apparatus) -> None:
    """The import's record gives version 1, rows per table and a UTC creation time of now."""
    record = create_dataset(store, tiny, name="tiny")
    assert (record.name, record.version) == ("tiny", 1)
    assert record.counts == {**tiny.counts(), "lineage": 0}
    assert abs(record.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert get_dataset(store, "tiny") == dataclasses.replace(
        record, created_at=get_dataset(store, "tiny").created_at
    )
    assert get_dataset(store, "tiny").created_at.tzinfo is not None


def test_versions(store: Database, tiny: Apparatus, varied: Apparatus) -> None:
    """Importing a name again adds a version; load gives the newest unless a version is asked."""
    create_dataset(store, tiny, name="data")
    second = create_dataset(store, varied, name="data")
    create_dataset(store, tiny, name="another")
    assert second.version == 2
    assert_same_apparatus(varied, load_dataset(store, "data"))
    assert_same_apparatus(tiny, load_dataset(store, "data", version=1))
    listed = [(r.name, r.version) for r in list_datasets(store)]
    assert listed == [("another", 1), ("data", 2), ("data", 1)]


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "ngân-sách", "a/b", "semi;colon"])
def test_bad_names_refused(store: Database, tiny: Apparatus, name: str) -> None:
    """A name outside 1-64 characters of [A-Za-z0-9._-] is an InputError, and nothing is stored."""
    with pytest.raises(InputError, match="dataset name"):
        create_dataset(store, tiny, name=name)
    assert list_datasets(store) == []
    assert audit(store) == []


def test_longest_name_accepted(store: Database, tiny: Apparatus) -> None:
    """64 characters of the allowed set make a name."""
    name = "a.b_c-" + "9" * 58
    assert create_dataset(store, tiny, name=name).name == name


def test_unknown_dataset_lists_known_names(store: Database, tiny: Apparatus) -> None:
    """Loading an unknown dataset is a NotFoundError that names the datasets and plans there are."""
    with pytest.raises(NotFoundError, match="none yet"):
        load_dataset(store, "nothing")
    create_dataset(store, tiny, name="tiny")
    create_plan(store, Plan("tiny"), name="empty-plan")
    with pytest.raises(NotFoundError, match=r"no dataset 'tinny' \(known: empty-plan, tiny\)"):
        load_dataset(store, "tinny")
    with pytest.raises(NotFoundError, match="has no version 3"):
        load_dataset(store, "tiny", version=3)


def _merge_plan(baseline: str) -> Plan:
    return Plan(baseline, (Merge(("c1", "c2"), NewUnit("c12", "C1-2")),), name="merge communes")


def test_plan_round_trip(store: Database, tiny: Apparatus) -> None:
    """A saved plan loads back equal, its record names the baseline version it was saved against."""
    create_dataset(store, tiny, name="tiny")
    plan = _merge_plan("tiny")
    record = create_plan(store, plan, name="p1")
    create_dataset(store, tiny, name="tiny")  # a newer baseline does not move the plan
    assert load_plan(store, "p1") == plan
    assert (record.name, record.version, record.baseline, record.baseline_version) == ("p1", 1, "tiny", 1)
    assert record.operations == 1
    assert get_plan(store, "p1") == dataclasses.replace(record, created_at=get_plan(store, "p1").created_at)
    second = create_plan(store, Plan("tiny"), name="p1")
    assert (second.version, second.baseline_version, second.operations) == (2, 2, 0)
    assert load_plan(store, "p1") == Plan("tiny")
    assert load_plan(store, "p1", version=1) == plan
    assert [(r.name, r.version) for r in list_plans(store)] == [("p1", 2), ("p1", 1)]


def test_plan_needs_its_baseline(store: Database) -> None:
    """Saving a plan whose baseline dataset does not exist is a NotFoundError; nothing is stored."""
    with pytest.raises(NotFoundError, match="no dataset 'missing'"):
        create_plan(store, Plan("missing"), name="p")
    assert list_plans(store) == []
    assert audit(store) == []


def test_unknown_plan(store: Database) -> None:
    """Loading an unknown plan is a NotFoundError."""
    with pytest.raises(NotFoundError, match="no plan 'p'"):
        load_plan(store, "p")


def test_datasets_and_plans_share_names(store: Database, tiny: Apparatus) -> None:
    """A plan cannot take a dataset's name nor a dataset a plan's, so resolve is never ambiguous."""
    create_dataset(store, tiny, name="tiny")
    create_plan(store, Plan("tiny"), name="plan")
    with pytest.raises(InputError, match="already used by a dataset"):
        create_plan(store, Plan("tiny"), name="tiny")
    with pytest.raises(InputError, match="already used by a plan"):
        create_dataset(store, tiny, name="plan")


def test_audit_log(db_url: str, tiny: Apparatus) -> None:
    """Each write leaves one audit entry: the store's actor, a UTC time, the action, target and detail."""
    with Database(db_url) as store:
        create_dataset(store, tiny, name="tiny", actor="analyst@office")
        create_plan(store, _merge_plan("tiny"), name="p", actor="analyst@office")
        load_dataset(store, "tiny")
        entries = audit(store)
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("save_plan", "p@1", "analyst@office"),
        ("import", "tiny@1", "analyst@office"),
    ]
    assert entries[1].detail["counts"]["units"] == len(tiny.units)
    assert entries[0].detail == {"version": 1, "baseline": "tiny@1", "operations": 1}
    assert all(
        e.at.tzinfo is not None and abs(e.at - datetime.now(UTC)) < timedelta(minutes=1) for e in entries
    )


def test_audit_limit(store: Database, tiny: Apparatus) -> None:
    """audit(limit=n) gives the newest n entries, newest first."""
    for _ in range(3):
        create_dataset(store, tiny, name="tiny")
    assert [e.target for e in audit(store, limit=2)] == ["tiny@3", "tiny@2"]


def test_progress(store: Database) -> None:
    """Import and load report rows done, never decreasing, ending at the total."""
    app = generate(units=200, tasks=20, duties=500, people=120_000, seed=1)
    seen: list[tuple[int, int | None, str]] = []
    create_dataset(store, app, name="s", progress=lambda d, t, s: seen.append((d, t, s)))
    load_dataset(store, "s", progress=lambda d, t, s: seen.append((d, t, s)))
    for stage in ("import", "load"):
        done = [d for d, _, s in seen if s == stage]
        totals = {t for _, t, s in seen if s == stage}
        assert done == sorted(done)
        assert len(done) > 3
        assert totals == {done[-1]}
    assert max(d for d, _, s in seen if s == "load") == sum(app.counts().values())


def test_reopen_keeps_data(db_url: str, tiny: Apparatus) -> None:
    """Opening an existing database again keeps what it holds."""
    with Database(db_url) as first:
        create_dataset(first, tiny, name="tiny")
    with Database(db_url) as again:
        assert [r.name for r in list_datasets(again)] == ["tiny"]
        assert_same_apparatus(tiny, load_dataset(again, "tiny"))


def test_resolve_dataset_and_plan(store: Database, tiny: Apparatus) -> None:
    """resolve gives a dataset's newest version, or a plan applied to the baseline version it was saved
    against; the result (with its lineage) can itself be imported and loaded back unchanged."""
    from reorg.plan.apply import apply

    create_dataset(store, tiny, name="tiny")
    plan = _merge_plan("tiny")
    create_plan(store, plan, name="merged")
    create_dataset(store, generate(units=50, tasks=5, duties=60, people=10, seed=2), name="tiny")
    assert_same_apparatus(load_dataset(store, "tiny"), resolve_name(store, "tiny"))
    result = resolve_name(store, "merged")
    assert_same_apparatus(apply(tiny, plan), result)
    assert {e.source for e in result.lineage} == {"c1", "c2"}
    create_dataset(store, result, name="after")
    assert_same_apparatus(result, load_dataset(store, "after"))
    with pytest.raises(NotFoundError, match="no dataset or plan 'nowhere'"):
        resolve_name(store, "nowhere")
