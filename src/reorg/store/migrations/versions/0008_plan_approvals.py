"""Approvals of plan versions by the steering committee (what the public pages show).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_name", sa.String(length=64), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_approvals")),
    )
    op.create_index(op.f("ix_plan_approvals_plan_name"), "plan_approvals", ["plan_name"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_approvals_plan_name"), table_name="plan_approvals")
    op.drop_table("plan_approvals")
