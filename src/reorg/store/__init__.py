"""Datasets and plans in a database (SQLite by default, PostgreSQL for servers), with an audit log.

``Store(url)`` opens (and migrates) the database; see ``reorg.store.store`` for what it keeps and how.
"""

from reorg.store.records import AuditRecord, DatasetRecord, PlanRecord
from reorg.store.store import Store, check_name

__all__ = ["AuditRecord", "DatasetRecord", "PlanRecord", "Store", "check_name"]
