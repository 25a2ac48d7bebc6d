"""Initial schema: datasets and their row tables, plans, the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 06:26:21.373246
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("synthetic", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_datasets_name")),
    )
    op.create_table(
        "duties",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("task", sa.Integer(), nullable=False),
        sa.Column("role", sa.SmallInteger(), nullable=False),
        sa.Column("scope", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_duties")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "levels",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("territorial", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_levels")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "lineage",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("operation", sa.Integer(), nullable=False),
        sa.Column("share", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_lineage")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "neighbours",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("border_km", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_neighbours")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "people",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("grade", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("service_start", sa.Date(), nullable=True),
        sa.Column("salary_coefficient", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_people")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("baseline_id", sa.Integer(), nullable=False),
        sa.Column("operations", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["baseline_id"], ["datasets.id"], name=op.f("fk_plans_baseline_id_datasets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_plans_name")),
    )
    op.create_table(
        "results",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("person", sa.Integer(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("target", sa.Double(), nullable=True),
        sa.Column("actual", sa.Double(), nullable=True),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_results")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "standards",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("min_area_km2", sa.Double(), nullable=True),
        sa.Column("min_population", sa.Double(), nullable=True),
        sa.Column("max_units", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_standards")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tasks",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("parent", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_tasks")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "unit_attributes",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "key", "unit", name=op.f("pk_unit_attributes")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "units",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent", sa.Integer(), nullable=True),
        sa.Column("quota", sa.Double(), nullable=True),
        sa.Column("area_km2", sa.Double(), nullable=True),
        sa.Column("population", sa.Double(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("dataset_id", "idx", name=op.f("pk_units")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("units")
    op.drop_table("unit_attributes")
    op.drop_table("tasks")
    op.drop_table("standards")
    op.drop_table("results")
    op.drop_table("plans")
    op.drop_table("people")
    op.drop_table("neighbours")
    op.drop_table("lineage")
    op.drop_table("levels")
    op.drop_table("duties")
    op.drop_table("datasets")
    op.drop_table("audit_log")
