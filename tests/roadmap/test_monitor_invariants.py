"""A reported state that breaks an invariant: the steps reported done, applied in the schedule's
order with the continuity machinery, flag the step, its unit, the invariant and the tasks or places;
a clean history flags nothing, and the order reports arrive in does not matter."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roadmap_kit import START, apparatus

from reorg.plan import Dissolve, Merge, NewUnit, Plan, Transfer
from reorg.roadmap import Roadmap, Step, dependencies, schedule
from reorg.roadmap.monitor import ProgressReport, done_dates, invariant_deviations, status

DAY = START + dt.timedelta(days=60)


def _plan() -> Plan:
    """The departments of p1 and p2 merge, then the provinces, then the merged department hands land
    to the ministry; office 1 hands ``local`` to its three communes, then goes."""
    return Plan(
        "kit",
        (
            Merge(units=("dep1", "dep2"), into=NewUnit("dep12", "Dept 12", parent_id="p1")),
            Merge(units=("p1", "p2"), into=NewUnit("p12", "Province 12")),
            Transfer(task="land", from_unit="dep12", to_unit="m"),
            Transfer(task="local", from_unit="o1"),
            Transfer(task="local", to_unit="c1"),
            Transfer(task="local", to_unit="c2"),
            Transfer(task="local", to_unit="c3"),
            Dissolve(unit="o1"),
        ),
        require=(),
    )


STEPS = ("deps", "prov", "give", "hand", "close")


def _sched():  # type: ignore[no-untyped-def]
    steps = (
        Step("deps", "merge the departments", (0,), "p1", "department", 20),
        Step("prov", "merge the provinces", (1,), "vn", "province", 30),
        Step("give", "the ministry takes land", (2,), "vn", "ministry", 10),
        Step("hand", "the communes take local", (3, 4, 5, 6), "d1", "commune", 14),
        Step("close", "office 1 goes", (7,), "d1", "office", 10),
    )
    rm = Roadmap("kit", START, steps, True)
    return schedule(rm, dependencies(rm, apparatus(), _plan()))


def _done(*steps: str, on: dt.date = DAY) -> list[ProgressReport]:
    return [ProgressReport(s, on, 1.0, "u") for s in steps]


def test_the_schedule_orders_the_planted_pairs() -> None:
    """Derived: the province merge and the land transfer wait for the departments' merge; the
    office's end for its hand-over."""
    deps = {(d.step, d.after) for d in _sched().dependencies}
    assert {("prov", "deps"), ("give", "deps"), ("close", "hand")} <= deps


def test_planted_breaks_are_found_with_their_evidence() -> None:
    """The provinces reported merged before their departments: land is led twice in the new province,
    found with the step, the unit, the rule, the task and places, and the step it waits for; the office
    reported gone before its hand-over breaks nothing (its lead goes to its district): not flagged."""
    sched = _sched()
    reports = [*_done("prov", "close"), ProgressReport("hand", DAY, 0.5, "u")]
    found = invariant_deviations(apparatus(), _plan(), sched, reports, as_of=DAY)
    assert [d.step for d in found] == ["prov"]
    prov = dict(found[0].evidence)
    assert prov["invariant"] == "one_lead"
    assert str(prov["ids"]).startswith("land")
    assert "p12" in str(prov["ids"])
    assert prov["waits_for"] == "deps"
    assert prov["reported_done"] == DAY.isoformat()
    assert found[0].unit == "vn"
    assert found[0].template  # translated where shown


def test_a_step_on_a_unit_not_formed_yet_and_what_follows_a_break() -> None:
    """Land reported handed over by a department not formed yet: a unit that does not exist. Reported
    with the province merge that already breaks, it follows from that break and is not flagged again."""
    sched = _sched()
    alone = invariant_deviations(apparatus(), _plan(), sched, _done("give"), as_of=DAY)
    assert [d.step for d in alone] == ["give"]
    give = dict(alone[0].evidence)
    assert give["invariant"] == "operation"
    assert "dep12" in str(give["ids"])
    assert give["waits_for"] == "deps, prov"
    both = invariant_deviations(apparatus(), _plan(), sched, _done("prov", "give"), as_of=DAY)
    assert [d.step for d in both] == ["prov"]


def test_status_carries_them_and_keeps_them_out_of_good_practices() -> None:
    """The status lists the invariant deviations given to it; a flagged step is not a good practice."""
    sched = _sched()
    reports = _done("prov", on=START + dt.timedelta(days=2))
    flagged = invariant_deviations(apparatus(), _plan(), sched, reports, as_of=DAY)
    now = status(sched, reports, as_of=DAY, invariants=flagged)
    assert [d.kind for d in now.deviations if d.step == "prov"] == ["invariant"]
    assert "prov" not in {g.step for g in now.good_practices}


@pytest.mark.parametrize(
    "done",
    [(), ("deps",), ("deps", "prov"), ("deps", "prov", "give"), ("hand", "close"), STEPS],
)
def test_a_clean_history_flags_nothing(done: tuple[str, ...]) -> None:
    """Steps reported done with all they wait for done: no invariant deviation is invented."""
    sched = _sched()
    assert invariant_deviations(apparatus(), _plan(), sched, _done(*done), as_of=DAY) == ()


def test_a_step_reported_undone_again_is_not_done() -> None:
    """The latest report decides: done then back to 80 % is not done; done again counts from then."""
    day = dt.timedelta(days=1)
    reports = [
        ProgressReport("close", START + 3 * day, 1.0),
        ProgressReport("close", START + 5 * day, 0.8),
        ProgressReport("hand", START + 2 * day, 1.0),
        ProgressReport("hand", START + 4 * day, 1.0),
    ]
    assert done_dates(reports, as_of=DAY) == {"hand": START + 2 * day}
    assert done_dates([*reports, ProgressReport("close", START + 7 * day, 1.0)], as_of=DAY)["close"] == (
        START + 7 * day
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(STEPS), max_size=7), st.randoms(use_true_random=False))
def test_out_of_order_reports_give_the_same_status(done: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    """Any set of reports, in any arrival order, gives the same invariant deviations and roll-up."""
    sched = _sched()
    app, plan = apparatus(), _plan()
    reports = [ProgressReport(s, START + dt.timedelta(days=3 * k), 1.0, "u") for k, s in enumerate(done)]
    reports += [ProgressReport("hand", START + dt.timedelta(days=1), 0.4, "u")]

    def look(rows: list[ProgressReport]):  # type: ignore[no-untyped-def]
        flagged = invariant_deviations(app, plan, sched, rows, as_of=DAY)
        return status(sched, rows, as_of=DAY, invariants=flagged)

    in_order = look(reports)
    rnd.shuffle(reports)
    assert look(reports) == in_order
