"""Person attributes: the extra columns of people, as text, one row per (attribute, person).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 14:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_attributes",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "key", "person", name=op.f("pk_person_attributes")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("person_attributes")
