"""Attached levels: the ``attached`` column of ``levels``.

Levels stored before this revision are not attached (false): their units count in their parent's
span of control and among its departments, as they did.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 22:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (not batch mode): SQLite adds a NOT NULL column with a default in place, and the
    # table keeps being WITHOUT ROWID
    op.add_column("levels", sa.Column("attached", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("levels", recreate="never") as batch:
        batch.drop_column("attached")
