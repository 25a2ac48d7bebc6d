"""Consultation rounds on plans: invitations, ballots and answers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"  # TODO(merge): down_revision 0006
branch_labels = None
depends_on = None


def _fk() -> sa.Column[int]:
    return sa.Column("consultation_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_name", sa.String(length=64), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("operations", sa.JSON(), nullable=True),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    for table, columns, key in (
        (
            "consultation_invites",
            [
                sa.Column("login", sa.String(length=64), nullable=False),
                sa.Column("group", sa.String(length=64), nullable=False),
                sa.Column("answered", sa.Boolean(), nullable=False),
            ],
            ["consultation_id", "login"],
        ),
        (
            "consultation_ballots",
            [
                sa.Column("login", sa.String(length=64), nullable=False),
                sa.Column("ballot", sa.String(length=32), nullable=False),
            ],
            ["consultation_id", "login"],
        ),
        (
            "consultation_answers",
            [
                sa.Column("ballot", sa.String(length=32), nullable=False),
                sa.Column("seq", sa.Integer(), nullable=False),
                sa.Column("item", sa.Integer(), nullable=False),
                sa.Column("group", sa.String(length=64), nullable=False),
                sa.Column("stance", sa.SmallInteger(), nullable=False),
                sa.Column("rating", sa.SmallInteger(), nullable=False),
                sa.Column("comment", sa.Text(), nullable=False),
                sa.Column("late", sa.Boolean(), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=True),
            ],
            ["consultation_id", "ballot", "seq", "item"],
        ),
    ):
        op.create_table(
            table,
            _fk(),
            *columns,
            sa.ForeignKeyConstraint(
                ["consultation_id"],
                ["consultations.id"],
                name=op.f(f"fk_{table}_consultation_id_consultations"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
            # answers sit in the order of their random ballot ids, not of their arrival
            sqlite_with_rowid=table != "consultation_answers",
        )


def downgrade() -> None:
    for table in ("consultation_answers", "consultation_ballots", "consultation_invites", "consultations"):
        op.drop_table(table)
