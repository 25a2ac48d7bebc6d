"""Approvals of plan versions: one live approval per version, withdrawal kept as history, audited."""

from __future__ import annotations

import pytest
from store_kit import create_dataset

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.plan import Plan
from reorg.store import Database


def _two_versions(store: Database, tiny: Apparatus) -> None:
    create_dataset(store, tiny, "tiny")
    with store.unit_of_work(actor="tester") as uow:
        for _ in range(2):
            uow.plans.create(Plan.from_dict({"baseline": "tiny", "operations": []}), name="p")


def test_approve_list_withdraw(store: Database, tiny: Apparatus) -> None:
    """The newest approved version stands; withdrawing it lets the older approved one stand; each step
    is in the audit log with the approver as actor."""
    _two_versions(store, tiny)
    with store.unit_of_work(actor="web:rev") as uow:
        first = uow.approvals.approve(name="p", version=1)
        uow.approvals.approve(name="p", version=2)
    assert first.approved_by == "web:rev"
    assert first.withdrawn_at is None
    with store.unit_of_work(actor="web:rev", readonly=True) as uow:
        current = uow.approvals.current(name="p")
        assert current is not None
        assert current.version == 2
        assert [(a.plan, a.version) for a in uow.approvals.list()] == [("p", 2)]
    with store.unit_of_work(actor="web:rev") as uow:
        gone = uow.approvals.withdraw(name="p", version=2)
    assert gone.version == 2
    with store.unit_of_work(actor="web:rev", readonly=True) as uow:
        current = uow.approvals.current(name="p")
        assert current is not None
        assert current.version == 1
        actions = [(e.action, e.target) for e in uow.audit.list(actor="web:rev")]
    assert actions == [("withdraw_approval", "p@2"), ("approve_plan", "p@2"), ("approve_plan", "p@1")]


def test_approving_twice_and_withdrawing_nothing_are_refused(store: Database, tiny: Apparatus) -> None:
    """A version already approved cannot be approved again; a withdrawal needs a standing approval; a
    failed step writes nothing."""
    _two_versions(store, tiny)
    with store.unit_of_work(actor="tester") as uow:
        uow.approvals.approve(name="p", version=1)
    with pytest.raises(InputError, match="not approved yet"), store.unit_of_work(actor="tester") as uow:
        uow.approvals.approve(name="p", version=1)
    with pytest.raises(NotFoundError, match="no approval"), store.unit_of_work(actor="tester") as uow:
        uow.approvals.withdraw(name="p", version=2)
    with store.unit_of_work(actor="tester") as uow:
        uow.approvals.withdraw(name="p", version=1)
    with store.unit_of_work(actor="tester", readonly=True) as uow:
        assert uow.approvals.current(name="p") is None
        assert uow.approvals.list() == []
