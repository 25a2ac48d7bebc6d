"""What the store hands back about stored things: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from reorg.model import DatasetInfo

__all__ = [
    "AnswerRecord",
    "ApprovalRecord",
    "AuditRecord",
    "ConsultationRecord",
    "DatasetRecord",
    "InviteRecord",
    "PlanRecord",
    "SessionRecord",
    "UserRecord",
    "utc",
]


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive timestamps; everything stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class DatasetRecord:
    """One imported version of a dataset: ``counts`` are rows per table (as ``Apparatus.counts()`` plus
    ``lineage``), ``info`` where the data comes from and which parts are synthetic."""

    name: str
    version: int
    created_at: datetime
    counts: Mapping[str, int]
    info: DatasetInfo

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the CLI and the web API print."""
        return {
            "name": self.name,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "counts": dict(self.counts),
            "title": self.info.name,
            "description": self.info.description,
            "source": self.info.source,
            "synthetic": list(self.info.synthetic),
        }


@dataclasses.dataclass(frozen=True)
class PlanRecord:
    """One saved version of a plan, made against version ``baseline_version`` of dataset ``baseline``;
    ``operations`` is how many operations it holds."""

    name: str
    version: int
    created_at: datetime
    baseline: str
    baseline_version: int
    operations: int

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


@dataclasses.dataclass(frozen=True)
class ApprovalRecord:
    """Plan ``plan`` version ``version`` approved by ``approved_by`` (an audit actor) at ``approved_at``
    (UTC); ``withdrawn_at`` is when the approval was withdrawn (None while it stands)."""

    plan: str
    version: int
    approved_by: str
    approved_at: datetime
    withdrawn_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "version": self.version,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat(),
            "withdrawn_at": None if self.withdrawn_at is None else self.withdrawn_at.isoformat(),
        }


@dataclasses.dataclass(frozen=True)
class AuditRecord:
    """One entry of the audit log: ``actor`` did ``action`` on ``target`` at ``at`` (UTC)."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "detail": dict(self.detail),
        }


@dataclasses.dataclass(frozen=True)
class UserRecord:
    """A stored user of the web app. ``password_hash`` (argon2, never the password) is for the service
    that checks passwords and is left out of ``to_dict`` and ``repr``; ``failed_logins`` counts the
    failed sign-ins since the last success or lock, ``locked_until`` (UTC) ends a lock."""

    id: int
    login: str
    display_name: str
    role: str
    scope: str
    language: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_hash: str = dataclasses.field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        del out["password_hash"]
        out["created_at"] = self.created_at.isoformat()
        out["locked_until"] = self.locked_until.isoformat() if self.locked_until else None
        return out


@dataclasses.dataclass(frozen=True)
class SessionRecord:
    """A signed-in browser: ``id`` is the SHA-256 (hex) of its token, ``csrf`` the token its forms
    echo; ``ended_at`` is set by signing out or by disabling the user. Times are UTC."""

    id: str
    user: UserRecord
    csrf: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None


@dataclasses.dataclass(frozen=True)
class InviteRecord:
    """An invited person of a consultation round, the group their answers count in, and whether they
    answered."""

    login: str
    group: str
    answered: bool


@dataclasses.dataclass(frozen=True)
class ConsultationRecord:
    """A consultation round on version ``plan_version`` of ``plan``: ``operations`` the chosen operation
    positions (None = all), ``state`` open or closed, ``results`` the JSON frozen at closing (None while
    open). Times are UTC."""

    id: int
    plan: str
    plan_version: int
    question: str
    deadline: datetime
    anonymous: bool
    operations: tuple[int, ...] | None
    weights: Mapping[str, float]
    state: str
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    invites: tuple[InviteRecord, ...]
    results: str | None = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True)
class AnswerRecord:
    """One stored answer: ``item`` an operation position (−1 = the whole plan), ``stance`` +1 / −1 / 0,
    ``rating`` 1–5 (0 = none), ``seq`` the ballot's submission, ``at`` None in anonymous rounds."""

    ballot: str
    seq: int
    item: int
    group: str
    stance: int
    rating: int
    comment: str
    late: bool
    at: datetime | None
