"""Roadmaps and progress reports in the store: versions, reports kept as sent, audit entries."""

from __future__ import annotations

import datetime as dt

from roadmap_kit import START, apparatus, handover_plan, handover_roadmap
from store_kit import create_dataset

from reorg.roadmap.monitor import ProgressReport
from reorg.store import Database


def test_roadmaps_are_versioned_and_reports_kept(db_url: str) -> None:
    """Each save is the next version, loads back equal; reports come back as stored; both are audited."""
    with Database(db_url) as store:
        create_dataset(store, apparatus(), name="kit")
        with store.unit_of_work(actor="anna") as uow:
            uow.plans.create(handover_plan().__class__("kit", handover_plan().operations, name="h"), name="h")
        rm = handover_roadmap(good=True)
        with store.unit_of_work(actor="anna") as uow:
            first = uow.roadmaps.create(rm, plan="h", plan_version=1)
            second = uow.roadmaps.create(rm, plan="h", plan_version=1)
        assert (first.version, second.version) == (1, 2)
        report = ProgressReport(
            "hand", START + dt.timedelta(days=3), 0.25, "d1", "Bàn giao", (("headcount", 4.0),)
        )
        with store.unit_of_work(actor="binh") as uow:
            uow.roadmaps.add_reports([report], plan="h")
        with store.unit_of_work(actor="anna", readonly=True) as uow:
            assert uow.roadmaps.load(plan="h") == rm
            assert uow.roadmaps.get(plan="h").version == 2
            assert uow.roadmaps.reports(plan="h") == [report]
            assert uow.roadmaps.reports(plan="h", until=START) == []
            actions = [a.action for a in uow.audit.list()]
        assert actions.count("save_roadmap") == 2
        assert "report_progress" in actions
