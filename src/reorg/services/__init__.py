"""The use cases of reorg: the one door to the store for the CLI and the web app.

Each use case is a keyword-only function that takes a unit of work (``reorg.store.UnitOfWork``: one
transaction, its actor in the audit log) and returns a typed, frozen result with a ``to_dict()`` for
JSON. The caller opens the unit of work from ``Settings``::

    from reorg.services import Settings, open_database, datasets
    with open_database(Settings.from_env()) as db, db.unit_of_work(actor="cli:anna") as uow:
        record = datasets.import_bundle(uow, path=Path("bundle/"), name="ministry-2024")

One module per feature: ``datasets`` (import, list, show, export, delete), ``builtin`` (built-in
datasets), ``plans`` (validate, apply, compare, list, show), ``diagnosis``, ``territory`` and ``leads``
(proposals), ``people`` (evaluation, benefits), ``maps`` (a level as GeoJSON), ``audit``, ``demo`` (the
main job on the built-in data), ``users`` (web users, sign-in and sessions), ``consult`` (consultation
rounds on plans), ``jobs`` (the web app's background jobs), ``proposals`` and ``imports`` (the web
app's proposal forms and bundle uploads, started as jobs); ``access`` says who may do what,
``resolve`` what a name stands for.
"""

from reorg.services import (
    access,
    audit,
    builtin,
    consult,
    datasets,
    demo,
    diagnosis,
    leads,
    maps,
    people,
    plans,
    territory,
    users,
)
from reorg.services.resolve import Resolved, resolve
from reorg.services.settings import Settings, open_database, os_actor
from reorg.store import AuditRecord, Database, DatasetRecord, PlanRecord, UnitOfWork

__all__ = [
    "AuditRecord",
    "Database",
    "DatasetRecord",
    "PlanRecord",
    "Resolved",
    "Settings",
    "UnitOfWork",
    "access",
    "audit",
    "builtin",
    "consult",
    "datasets",
    "demo",
    "diagnosis",
    "leads",
    "maps",
    "open_database",
    "os_actor",
    "people",
    "plans",
    "resolve",
    "territory",
    "users",
]
