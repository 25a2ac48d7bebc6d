"""apply: transfer, abolish_level, create, people, validate, and what a plan inherits from its baseline."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reorg.errors import PlanError
from reorg.model import (
    Apparatus,
    Duties,
    DutyRow,
    LevelRow,
    LineageEdge,
    NeighbourRow,
    PersonRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.model.tables import text_column
from reorg.plan import (
    AbolishLevel,
    Create,
    Merge,
    MovePeople,
    NewUnit,
    Operation,
    Plan,
    ReleasePeople,
    Rename,
    Transfer,
    apply,
    check,
    validate,
)
from reorg.plan.invariants import STRUCTURAL


def run(app: Apparatus, *ops: Operation, require: tuple[str, ...] = ("contiguity",)) -> Apparatus:
    return apply(app, Plan(baseline="three-tier", operations=ops, require=require))


def refused(app: Apparatus, *ops: Operation, require: tuple[str, ...] = ("contiguity",)) -> PlanError:
    with pytest.raises(PlanError) as caught:
        run(app, *ops, require=require)
    return caught.value


def leads(app: Apparatus, task: str) -> list[str]:
    rows = np.flatnonzero((app.duties.task == app.tasks.index[task]) & (app.duties.role == 0))
    return sorted(app.units.id[app.duties.unit[rows]].tolist())


def unit_of(app: Apparatus, person: str) -> str:
    return str(app.units.id[app.people.unit[app.people.index[person]]])


def test_transfer_moves_a_lead_within_its_territory(three_tier: Apparatus) -> None:
    """The land lead moves from dep1 to its province p1: same territory, still one lead."""
    after = run(three_tier, Transfer("land", from_unit="dep1", to_unit="p1"))
    assert leads(after, "land") == ["dep2", "p1"]
    assert check(after, STRUCTURAL) == []


def test_transfer_with_an_explicit_scope(three_tier: Apparatus) -> None:
    """The ministry takes over land for p2 only (scope p2): no duplication with dep1 in p1."""
    after = run(three_tier, Transfer("land", from_unit="dep2", to_unit="m", scope="p2"))
    assert leads(after, "land") == ["dep1", "m"]
    assert check(after, STRUCTURAL) == []


@pytest.mark.parametrize(
    ("op", "invariant"),
    [
        (Transfer("registry", to_unit="dep1"), "one_lead"),  # dep1 would lead it for all of p1, twice
        (Transfer("registry", from_unit="c1"), "coverage"),  # nobody would lead it in c1
        (Transfer("defence", from_unit="m"), "coverage"),  # nobody would lead it at all
        (Transfer("registry", from_unit="dep1", to_unit="p1"), "operation"),  # dep1 has no such duty
        (Transfer("nope", to_unit="p1"), "operation"),  # unknown task
        (Transfer("land", to_unit="m", scope="dep1"), "operation"),  # a scope must be territorial
    ],
)
def test_transfer_refusals(three_tier: Apparatus, op: Transfer, invariant: str) -> None:
    """A transfer that cannot be applied names the invariant it would break."""
    error = refused(three_tier, op)
    assert (error.operation, error.op, error.invariant) == (0, "transfer", invariant)


def test_abolish_districts_down(three_tier: Apparatus) -> None:
    """Districts and their offices go; each commune now leads local for itself; staff go up to p1."""
    after = run(three_tier, AbolishLevel("district", duties="down", people="up"))
    assert after.units_per_level()["district"] == 0
    assert "o1" not in after.units.index
    assert leads(after, "local") == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]
    assert unit_of(after, "y1") == "p1"
    assert str(after.units.id[after.units.parent[after.units.index["c4"]]]) == "p1"
    assert check(after, STRUCTURAL) == []
    shares = {e.target: e.share for e in after.lineage if e.source == "d1"}
    assert shares == pytest.approx({"c1": 1 / 6, "c2": 2 / 6, "c3": 3 / 6})


def test_abolish_districts_up_with_an_override(three_tier: Apparatus) -> None:
    """Up: local goes to each province once; an override sends it down instead."""
    up = run(three_tier, AbolishLevel("district", duties="up", people="release"))
    assert leads(up, "local") == ["p1", "p2"]
    assert "y1" not in up.people.index
    down = run(three_tier, AbolishLevel("district", duties="up", overrides=(("local", "down"),)))
    assert leads(down, "local") == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]


def test_abolish_up_drops_a_lead_already_exercised_above(three_tier: Apparatus) -> None:
    """If p1 itself already leads local, the offices' lead going up to it simply disappears."""
    app = build_apparatus(**_rows(three_tier, extra=[DutyRow("p1", "local")], drop=("o1", "o2")))
    after = run(app, AbolishLevel("district", duties="up"))
    assert leads(after, "local") == ["p1", "p2"]


def _rows(app: Apparatus, extra: list[DutyRow], drop: tuple[str, ...]) -> dict[str, object]:
    """The builder rows of ``app`` with duties of ``drop`` removed and ``extra`` added."""
    ids = app.units.id
    units = [
        UnitRow(str(ids[i]), str(app.units.name[i]), str(app.levels.name[app.units.level[i]]),
                parent_id=str(ids[app.units.parent[i]]) if app.units.parent[i] >= 0 else "")
        for i in range(len(ids))
    ]  # fmt: skip
    duties = [
        DutyRow(str(ids[u]), str(app.tasks.id[t]), ("lead", "support")[r])
        for u, t, r in zip(app.duties.unit, app.duties.task, app.duties.role, strict=True)
        if str(ids[u]) not in drop
    ]
    return {
        "levels": [
            LevelRow(str(n), int(k), bool(t), bool(a))
            for n, k, t, a in zip(*(c for _, c in app.levels.columns()), strict=True)
        ],
        "units": units,
        "tasks": [TaskRow(str(t), str(t)) for t in app.tasks.id],
        "duties": duties + extra,
        "people": [
            PersonRow(str(p), str(ids[u])) for p, u in zip(app.people.id, app.people.unit, strict=True)
        ],
        "neighbours": [
            NeighbourRow(str(ids[a]), str(ids[b]))
            for a, b in zip(app.neighbours.a, app.neighbours.b, strict=True)
        ],
    }


@pytest.mark.parametrize(
    ("op", "invariant"),
    [
        (AbolishLevel("nation"), "tree"),  # the root's level
        (AbolishLevel("nowhere"), "operation"),
        (AbolishLevel("district", duties="sideways"), "operation"),  # type: ignore[arg-type]
        (AbolishLevel("district", overrides=(("nope", "up"),)), "operation"),
    ],
)
def test_abolish_refusals(three_tier: Apparatus, op: AbolishLevel, invariant: str) -> None:
    """An abolition that cannot be applied names the invariant it would break."""
    assert refused(three_tier, op).invariant == invariant


def test_create_an_agency_and_refuse_a_misplaced_one(three_tier: Apparatus) -> None:
    """A new department under p1 is fine; one under a commune would break the tree."""
    after = run(three_tier, Create(NewUnit("dep3", "Dept 3", level="department", parent_id="p1"), quota=4))
    assert after.units.quota[after.units.index["dep3"]] == 4
    assert (
        refused(three_tier, Create(NewUnit("x", "X", level="department", parent_id="c1"))).invariant == "tree"
    )


def test_a_new_territory_must_be_led_at_once(three_tier: Apparatus) -> None:
    """A new commune would have nobody leading registry there: refused as a coverage gap."""
    error = refused(three_tier, Create(NewUnit("c9", "C9", level="commune", parent_id="d3")))
    assert error.invariant == "coverage"


def test_move_and_release_people(three_tier: Apparatus) -> None:
    """The first of o1's staff by id moves to c1; x2 leaves; a released person cannot move again."""
    after = run(
        three_tier, MovePeople("c1", from_unit="o1", count=1), ReleasePeople(("x2",), reason="retired")
    )
    assert unit_of(after, "y1") == "c1"
    assert unit_of(after, "y2") == "o1"
    assert "x2" not in after.people.index
    error = refused(three_tier, ReleasePeople(("x2",)), MovePeople("c1", people=("x2",)))
    assert (error.operation, error.invariant) == (1, "operation")


def test_person_attributes_follow_their_people(three_tier: Apparatus) -> None:
    """People who move (by move_people, or with their merged commune) keep their attributes; released
    people leave with theirs; nobody's attributes are mixed up with another's."""
    people = three_tier.people
    badges = text_column([f"0{pid}" for pid in people.id.tolist()])
    app = dataclasses.replace(three_tier, people=dataclasses.replace(people, attributes={"badge": badges}))
    after = run(
        app,
        MovePeople("c1", from_unit="o1", count=1),
        ReleasePeople(("x2",), reason="retired"),
        Merge(("c4", "c5"), NewUnit("c45", "C45")),
    )
    assert unit_of(after, "y1") == "c1"
    assert unit_of(after, "x4") == unit_of(after, "x5") == "c45"
    assert "x2" not in after.people.index
    assert after.people.attributes["badge"].tolist() == [f"0{pid}" for pid in after.people.id.tolist()]


def test_validate_reports_every_refusal_and_keeps_the_rest(three_tier: Apparatus) -> None:
    """Two bad operations among good ones: both are reported, the good ones applied."""
    plan = Plan(
        baseline="three-tier",
        operations=(
            Transfer("registry", to_unit="dep1"),
            Merge(("c1", "c2"), NewUnit("c1", "")),
            Merge(("c6", "zz"), NewUnit("c6", "")),
            Merge(("c6", "c7"), NewUnit("c6", "")),
        ),
    )
    result = validate(three_tier, plan)
    assert [(e.operation, e.invariant) for e in result.errors] == [(0, "one_lead"), (2, "operation")]
    assert not result.ok
    assert "c2" not in result.after.units.index
    assert "c7" not in result.after.units.index
    assert leads(result.after, "registry") == ["c1", "c3", "c4", "c5", "c6"]


def test_violations_of_the_baseline_are_inherited(three_tier: Apparatus) -> None:
    """A baseline where p1 and its offices both lead local still accepts a merge of communes."""
    app = build_apparatus(**_rows(three_tier, extra=[DutyRow("p1", "local")], drop=()))
    assert check(app, ["one_lead"]) != []
    after = run(app, Merge(("c1", "c2"), NewUnit("c1", "")))
    assert len(check(after, ["one_lead"])) == 1


def test_required_standards_are_checked_on_the_result(three_tier: Apparatus) -> None:
    """c1 and c2 are below the population minimum: required, the plan is refused unless they merge."""
    with pytest.raises(PlanError) as caught:
        run(three_tier, require=("standards",))
    assert (caught.value.operation, caught.value.invariant) == (None, "standards")
    run(three_tier, Merge(("c1", "c2"), NewUnit("c1", "")), require=("standards",))


def test_result_describes_itself(three_tier: Apparatus) -> None:
    """The result is named after the plan and keeps the baseline's lineage before the new edges."""
    app = dataclasses.replace(three_tier, lineage=(LineageEdge("c0", "c1", "merge", 0),))
    after = apply(
        app, Plan(baseline="b", name="reform", operations=(Merge(("c1", "c2"), NewUnit("c1", "")),))
    )
    assert after.info.name == "reform"
    assert [e.source for e in after.lineage] == ["c0", "c1", "c2"]


def test_rename_changes_name_and_kind_only(three_tier: Apparatus) -> None:
    """rename gives a unit a new name and kind and leaves everything else as it was."""
    uid = str(three_tier.units.id[-1])
    after = apply(
        three_tier, Plan(baseline="x", operations=(Rename(unit=uid, name="Đặc khu Mới", kind="zone"),))
    )
    row = after.units.index[uid]
    assert (after.units.name[row], after.units.kind[row]) == ("Đặc khu Mới", "zone")
    assert after.counts() == three_tier.counts() | {"units": len(three_tier.units)}
    assert [e.kind for e in after.lineage] == ["rename"]


def test_rename_needs_something_to_change(three_tier: Apparatus) -> None:
    """A rename with neither name nor kind is refused as a malformed operation."""
    with pytest.raises(PlanError, match="rename needs"):
        apply(three_tier, Plan(baseline="x", operations=(Rename(unit=str(three_tier.units.id[-1])),)))


def _with_lead(app: Apparatus, unit: str, task: str) -> Apparatus:
    """``app`` with one more lead duty (for baselines that already break one_lead)."""
    extra = Duties(
        unit=np.array([app.units.index[unit]], dtype=np.int32),
        task=np.array([app.tasks.index[task]], dtype=np.int32),
        role=np.zeros(1, dtype=np.int8),
        scope=np.full(1, -1, dtype=np.int32),
        legal_basis=np.array([""], dtype=object),
    )
    return dataclasses.replace(app, duties=Duties.concat([app.duties, extra]))


def test_a_new_territory_inherits_the_duplication_of_the_territory_it_is_carved_from(
    three_tier: Apparatus,
) -> None:
    """dep2 and o3 both lead 'local' over d3 in the baseline; a commune created in d3 inherits that
    duplication, so the create is not refused for it (registry, led per commune, is left out here)."""
    keep = three_tier.duties.task != three_tier.tasks.index["registry"]
    base = _with_lead(dataclasses.replace(three_tier, duties=three_tier.duties.take(keep)), "dep2", "local")
    after = run(base, Create(NewUnit("c9", "C9", level="commune", parent_id="d3")))
    assert "c9" in after.units.index
    assert [v.invariant for v in check(after, ["one_lead"])] == ["one_lead"]  # still there, inherited


def test_the_last_lead_of_a_task_with_sub_tasks_may_go() -> None:
    """A task with sub-tasks whose only lead is taken away becomes a catalogue heading: accepted, and
    the result keeps coverage; a task without sub-tasks cannot lose its last lead."""
    units = [UnitRow("vn", "VN", "nation"), UnitRow("m", "M", "ministry", parent_id="vn")]
    tasks = [TaskRow("health", "Health"), TaskRow("hospitals", "Hospitals", parent_id="health")]
    levels = [LevelRow("nation", 0, True), LevelRow("ministry", 1)]
    app = build_apparatus(
        levels=levels, units=units, tasks=tasks, duties=[DutyRow("m", "health"), DutyRow("m", "hospitals")]
    )
    after = apply(app, Plan(baseline="h", operations=(Transfer("health", from_unit="m"),)))
    assert check(after, ["coverage"]) == []
    with pytest.raises(PlanError) as caught:
        apply(app, Plan(baseline="h", operations=(Transfer("hospitals", from_unit="m"),)))
    assert caught.value.template == "coverage.no_lead_left"
