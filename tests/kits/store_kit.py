"""Test helpers: each call is one unit of work on a Database, named after the repository verb it runs."""

from __future__ import annotations

from typing import Any

from reorg.model import Apparatus
from reorg.plan import Plan
from reorg.services import resolve
from reorg.store import AuditRecord, Database, DatasetRecord, PlanRecord

ACTOR = "tester"


def create_dataset(
    db: Database, app: Apparatus, name: str, *, actor: str = ACTOR, **kw: Any
) -> DatasetRecord:
    with db.unit_of_work(actor=actor) as uow:
        return uow.datasets.create(app, name=name, **kw)


def load_dataset(db: Database, name: str, **kw: Any) -> Apparatus:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.datasets.load(name=name, **kw)


def get_dataset(db: Database, name: str, **kw: Any) -> DatasetRecord:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.datasets.get(name=name, **kw)


def list_datasets(db: Database) -> list[DatasetRecord]:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.datasets.list()


def create_plan(db: Database, plan: Plan, name: str, *, actor: str = ACTOR) -> PlanRecord:
    with db.unit_of_work(actor=actor) as uow:
        return uow.plans.create(plan, name=name)


def load_plan(db: Database, name: str, **kw: Any) -> Plan:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.plans.load(name=name, **kw)


def get_plan(db: Database, name: str, **kw: Any) -> PlanRecord:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.plans.get(name=name, **kw)


def list_plans(db: Database) -> list[PlanRecord]:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.plans.list()


def audit(db: Database, **kw: Any) -> list[AuditRecord]:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return uow.audit.list(**kw)


def resolve_name(db: Database, name: str, **kw: Any) -> Apparatus:
    with db.unit_of_work(actor=ACTOR, readonly=True) as uow:
        return resolve(uow, name, **kw).apparatus
