"""Store: round trips, versions, names, plans and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from same_apparatus import assert_same_apparatus

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
from reorg.store import Store


@pytest.fixture
def varied() -> Apparatus:
    """Every kind of value a column can hold: Unicode text, absent numbers/dates/text, references to
    none, a duty scope, support roles, two unit attributes (one mostly absent), person attributes (text
    that looks like numbers, one never given), lineage and info."""
    app = build_apparatus(
        levels=[LevelRow("quốc gia", 0, True), LevelRow("tỉnh", 1, True), LevelRow("sở", 2)],
        units=[
            UnitRow(
                "vn", "Việt Nam", "quốc gia", kind="nation", population=1e8, attributes=(("budget", 1.5),)
            ),
            UnitRow("hn", "Hà Nội", "tỉnh", parent_id="vn", area_km2=3359.82, lat=21.0285, lon=105.8542),
            UnitRow("kv", "Київ", "tỉnh", parent_id="vn", quota=12, attributes=(("staff_cost", -2.25),)),
            UnitRow("s1", 'Sở Tư pháp\tHà Nội, "quote"\nline', "sở", parent_id="hn", quota=40),
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


def test_round_trip_tiny(store: Store, tiny: Apparatus) -> None:
    """A loaded dataset equals the imported apparatus column by column."""
    store.import_apparatus(tiny, name="tiny")
    assert_same_apparatus(tiny, store.load("tiny"))


def test_round_trip_varied_values(store: Store, varied: Apparatus) -> None:
    """Unicode, tabs/newlines/backslashes in text, NaN, NaT, -1 references, attributes, lineage and info
    all survive a round trip."""
    record = store.import_apparatus(varied, name="varied")
    loaded = store.load("varied")
    assert_same_apparatus(varied, loaded)
    assert record.info == varied.info
    assert np.isnat(loaded.people.birth_date[1])
    assert loaded.units.parent[0] == -1
    assert loaded.people.attributes["badge"].tolist() == ["007", "", "1.50"]
    assert loaded.people.attributes["note"].tolist() == ["", "", ""]


def test_round_trip_synthetic(store: Store) -> None:
    """A synthetic apparatus with every table filled, across several write chunks, round-trips."""
    app = generate(units=400, tasks=60, duties=3000, people=60_000, results_per_person=1, seed=5)
    store.import_apparatus(app, name="synthetic")
    assert_same_apparatus(app, store.load("synthetic"))


def test_empty_tables_round_trip(store: Store) -> None:
    """An apparatus with only units (no tasks, duties, people...) round-trips."""
    app = build_apparatus(units=[UnitRow("root", "Root", "top")])
    store.import_apparatus(app, name="bare")
    assert_same_apparatus(app, store.load("bare"))


def test_record_counts_and_time(store: Store, tiny: Apparatus) -> None:
    """The import's record gives version 1, rows per table and a UTC creation time of now."""
    record = store.import_apparatus(tiny, name="tiny")
    assert (record.name, record.version) == ("tiny", 1)
    assert record.counts == {**tiny.counts(), "lineage": 0}
    assert abs(record.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert store.get_dataset("tiny") == dataclasses.replace(
        record, created_at=store.get_dataset("tiny").created_at
    )
    assert store.get_dataset("tiny").created_at.tzinfo is not None


def test_versions(store: Store, tiny: Apparatus, varied: Apparatus) -> None:
    """Importing a name again adds a version; load gives the newest unless a version is asked."""
    store.import_apparatus(tiny, name="data")
    second = store.import_apparatus(varied, name="data")
    store.import_apparatus(tiny, name="another")
    assert second.version == 2
    assert_same_apparatus(varied, store.load("data"))
    assert_same_apparatus(tiny, store.load("data", version=1))
    listed = [(r.name, r.version) for r in store.list_datasets()]
    assert listed == [("another", 1), ("data", 2), ("data", 1)]


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "ngân-sách", "a/b", "semi;colon"])
def test_bad_names_refused(store: Store, tiny: Apparatus, name: str) -> None:
    """A name outside 1-64 characters of [A-Za-z0-9._-] is an InputError, and nothing is stored."""
    with pytest.raises(InputError, match="dataset name"):
        store.import_apparatus(tiny, name=name)
    assert store.list_datasets() == []
    assert store.audit() == []


def test_longest_name_accepted(store: Store, tiny: Apparatus) -> None:
    """64 characters of the allowed set make a name."""
    name = "a.b_c-" + "9" * 58
    assert store.import_apparatus(tiny, name=name).name == name


def test_unknown_dataset_lists_known_names(store: Store, tiny: Apparatus) -> None:
    """Loading an unknown dataset is a NotFoundError that names the datasets and plans there are."""
    with pytest.raises(NotFoundError, match="none yet"):
        store.load("nothing")
    store.import_apparatus(tiny, name="tiny")
    store.save_plan(Plan("tiny"), name="empty-plan")
    with pytest.raises(NotFoundError, match=r"no dataset 'tinny' \(known: empty-plan, tiny\)"):
        store.load("tinny")
    with pytest.raises(NotFoundError, match="has no version 3"):
        store.load("tiny", version=3)


def _merge_plan(baseline: str) -> Plan:
    return Plan(baseline, (Merge(("c1", "c2"), NewUnit("c12", "C1-2")),), name="merge communes")


def test_plan_round_trip(store: Store, tiny: Apparatus) -> None:
    """A saved plan loads back equal, its record names the baseline version it was saved against."""
    store.import_apparatus(tiny, name="tiny")
    plan = _merge_plan("tiny")
    record = store.save_plan(plan, name="p1")
    store.import_apparatus(tiny, name="tiny")  # a newer baseline does not move the plan
    assert store.load_plan("p1") == plan
    assert (record.name, record.version, record.baseline, record.baseline_version) == ("p1", 1, "tiny", 1)
    assert record.operations == 1
    assert store.get_plan("p1") == dataclasses.replace(record, created_at=store.get_plan("p1").created_at)
    second = store.save_plan(Plan("tiny"), name="p1")
    assert (second.version, second.baseline_version, second.operations) == (2, 2, 0)
    assert store.load_plan("p1") == Plan("tiny")
    assert store.load_plan("p1", version=1) == plan
    assert [(r.name, r.version) for r in store.list_plans()] == [("p1", 2), ("p1", 1)]


def test_plan_needs_its_baseline(store: Store) -> None:
    """Saving a plan whose baseline dataset does not exist is a NotFoundError; nothing is stored."""
    with pytest.raises(NotFoundError, match="no dataset 'missing'"):
        store.save_plan(Plan("missing"), name="p")
    assert store.list_plans() == []
    assert store.audit() == []


def test_unknown_plan(store: Store) -> None:
    """Loading an unknown plan is a NotFoundError."""
    with pytest.raises(NotFoundError, match="no plan 'p'"):
        store.load_plan("p")


def test_datasets_and_plans_share_names(store: Store, tiny: Apparatus) -> None:
    """A plan cannot take a dataset's name nor a dataset a plan's, so resolve is never ambiguous."""
    store.import_apparatus(tiny, name="tiny")
    store.save_plan(Plan("tiny"), name="plan")
    with pytest.raises(InputError, match="already used by a dataset"):
        store.save_plan(Plan("tiny"), name="tiny")
    with pytest.raises(InputError, match="already used by a plan"):
        store.import_apparatus(tiny, name="plan")


def test_audit_log(db_url: str, tiny: Apparatus) -> None:
    """Each write leaves one audit entry: the store's actor, a UTC time, the action, target and detail."""
    with Store(db_url, actor="analyst@office") as store:
        store.import_apparatus(tiny, name="tiny")
        store.save_plan(_merge_plan("tiny"), name="p")
        store.load("tiny")
        entries = store.audit()
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("save_plan", "p@1", "analyst@office"),
        ("import", "tiny@1", "analyst@office"),
    ]
    assert entries[1].detail["counts"]["units"] == len(tiny.units)
    assert entries[0].detail == {"version": 1, "baseline": "tiny@1", "operations": 1}
    assert all(
        e.at.tzinfo is not None and abs(e.at - datetime.now(UTC)) < timedelta(minutes=1) for e in entries
    )


def test_audit_limit(store: Store, tiny: Apparatus) -> None:
    """audit(limit=n) gives the newest n entries, newest first."""
    for _ in range(3):
        store.import_apparatus(tiny, name="tiny")
    assert [e.target for e in store.audit(limit=2)] == ["tiny@3", "tiny@2"]


def test_progress(store: Store) -> None:
    """Import and load report rows done, never decreasing, ending at the total."""
    app = generate(units=200, tasks=20, duties=500, people=120_000, seed=1)
    seen: list[tuple[int, int | None, str]] = []
    store.import_apparatus(app, name="s", progress=lambda d, t, s: seen.append((d, t, s)))
    store.load("s", progress=lambda d, t, s: seen.append((d, t, s)))
    for stage in ("import", "load"):
        done = [d for d, _, s in seen if s == stage]
        totals = {t for _, t, s in seen if s == stage}
        assert done == sorted(done)
        assert len(done) > 3
        assert totals == {done[-1]}
    assert max(d for d, _, s in seen if s == "load") == sum(app.counts().values())


def test_reopen_keeps_data(db_url: str, tiny: Apparatus) -> None:
    """Opening an existing database again keeps what it holds."""
    with Store(db_url) as first:
        first.import_apparatus(tiny, name="tiny")
    with Store(db_url) as again:
        assert [r.name for r in again.list_datasets()] == ["tiny"]
        assert_same_apparatus(tiny, again.load("tiny"))


def test_resolve_dataset_and_plan(store: Store, tiny: Apparatus) -> None:
    """resolve gives a dataset's newest version, or a plan applied to the baseline version it was saved
    against; the result (with its lineage) can itself be imported and loaded back unchanged."""
    from reorg.plan.apply import apply

    store.import_apparatus(tiny, name="tiny")
    plan = _merge_plan("tiny")
    store.save_plan(plan, name="merged")
    store.import_apparatus(generate(units=50, tasks=5, duties=60, people=10, seed=2), name="tiny")
    assert_same_apparatus(store.load("tiny"), store.resolve("tiny"))
    result = store.resolve("merged")
    assert_same_apparatus(apply(tiny, plan), result)
    assert {e.source for e in result.lineage} == {"c1", "c2"}
    store.import_apparatus(result, name="after")
    assert_same_apparatus(result, store.load("after"))
    with pytest.raises(NotFoundError, match="no plan 'nowhere'"):
        store.resolve("nowhere")
