"""Standards by kind of unit and class: the ``kind`` and ``unit_class`` columns of ``standards``.

Rows stored before this revision applied to every unit of their level: both columns are ``""`` for
them (any kind, any class), so their meaning is unchanged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (not batch mode): SQLite adds a NOT NULL column with a default in place, and the
    # table keeps being WITHOUT ROWID
    op.add_column("standards", sa.Column("kind", sa.Text(), server_default="", nullable=False))
    op.add_column("standards", sa.Column("unit_class", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("standards", recreate="never") as batch:
        batch.drop_column("unit_class")
        batch.drop_column("kind")
