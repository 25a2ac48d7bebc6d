"""Alembic environment: migrates the connection reorg hands over (see ``reorg.store.migrate``).

There is no alembic.ini: the configuration is built in code and always carries the connection to use,
so that the URL, connect arguments (e.g. a PostgreSQL search_path) and transaction are the caller's.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from reorg.store.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("reorg migrations run through reorg.store.migrate with a connection")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
