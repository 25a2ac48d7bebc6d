"""Unit outlines (GeoJSON geometries from territories.geojson), kept for maps and export.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlines",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "unit", name=op.f("pk_outlines")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("outlines")
