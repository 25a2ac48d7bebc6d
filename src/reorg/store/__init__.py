"""Datasets, plans and web users in a database (SQLite by default, PostgreSQL for servers), with an
audit log.

``Database(url)`` opens (and migrates) a database once; ``database.unit_of_work(actor=...)`` is one
transaction with its repositories (``datasets``, ``plans``, ``approvals``, ``users``, ``consultations``,
``audit``). Only
``reorg.services`` uses this package; the CLI and the web app go through the services.
"""

from reorg.store.database import DEFAULT_URL, Database
from reorg.store.names import NAME_PATTERN, NAME_RULE, check_name
from reorg.store.records import (
    AnswerRecord,
    ApprovalRecord,
    AuditRecord,
    ConsultationRecord,
    DatasetRecord,
    InviteRecord,
    PlanRecord,
    SessionRecord,
    UserRecord,
)
from reorg.store.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_URL",
    "NAME_PATTERN",
    "NAME_RULE",
    "AnswerRecord",
    "ApprovalRecord",
    "AuditRecord",
    "ConsultationRecord",
    "Database",
    "DatasetRecord",
    "InviteRecord",
    "PlanRecord",
    "SessionRecord",
    "UnitOfWork",
    "UserRecord",
    "check_name",
]
