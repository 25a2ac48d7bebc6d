"""The database schema as SQLAlchemy 2 typed models.

One table per Apparatus table (its columns are those of ``reorg.model.columns``; a test checks that
each registered column has its model column of a matching type), keyed by ``(dataset_id, idx)`` where
``idx`` is the row position in the Apparatus. References between rows are stored as row positions of
the same dataset (NULL = none), so loading a dataset is assembling arrays in ``idx`` order, never
looking ids up. Absent numbers and dates are NULL; absent text is the empty string, as in the model.
Attributes (units: numbers, people: text) are narrow tables of (dataset_id, key, row, value).

The schema is only ever created by the Alembic migrations in ``reorg/store/migrations``; a test checks
that the migrated database and these models agree. The row tables are ``WITHOUT ROWID`` on SQLite so that
rows sit in primary-key order: an import appends, a load reads one contiguous range.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ROW_TABLES",
    "Base",
    "DbApproval",
    "DbAudit",
    "DbConsultAnswer",
    "DbConsultBallot",
    "DbConsultInvite",
    "DbConsultation",
    "DbDataset",
    "DbDuty",
    "DbLevel",
    "DbLineage",
    "DbNeighbour",
    "DbOutline",
    "DbPerson",
    "DbPersonAttribute",
    "DbPlan",
    "DbProgressReport",
    "DbResult",
    "DbRoadmap",
    "DbStandard",
    "DbTask",
    "DbUnit",
    "DbUnitAttribute",
    "DbUser",
    "DbWebSession",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: table options of every per-dataset row table
ROW_TABLE_ARGS: dict[str, Any] = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DbDataset(Base):
    """One imported version of a named dataset; ``counts`` holds the rows per table."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    synthetic: Mapped[list[str]] = mapped_column(JSON)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)


def _dataset_fk() -> Mapped[int]:
    """The dataset a row belongs to. Deliberately no FOREIGN KEY: PostgreSQL checks one per row with a
    trigger, which made COPY of 1M rows 3.6x slower (8.3 s against 2.3 s); rows are only ever written in
    the transaction that writes their dataset row, and never changed."""
    return mapped_column(Integer, primary_key=True)


def _idx() -> Mapped[int]:
    return mapped_column(Integer, primary_key=True)


class DbLevel(Base):
    __tablename__ = "levels"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    name: Mapped[str] = mapped_column(Text)
    rank: Mapped[int] = mapped_column(Integer)
    territorial: Mapped[bool] = mapped_column(Boolean)
    attached: Mapped[bool] = mapped_column(Boolean, server_default=false())


class DbUnit(Base):
    """Units; ``level`` and ``parent`` are row positions (levels, units)."""

    __tablename__ = "units"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    id: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    parent: Mapped[int | None] = mapped_column(Integer)
    quota: Mapped[float | None] = mapped_column(Double)
    area_km2: Mapped[float | None] = mapped_column(Double)
    population: Mapped[float | None] = mapped_column(Double)
    lat: Mapped[float | None] = mapped_column(Double)
    lon: Mapped[float | None] = mapped_column(Double)


class DbUnitAttribute(Base):
    """The extra numeric columns of units, narrow: one row per (attribute, unit); NULL = absent."""

    __tablename__ = "unit_attributes"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    unit: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float | None] = mapped_column(Double)


class DbTask(Base):
    __tablename__ = "tasks"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    id: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(Text)
    parent: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text)


class DbDuty(Base):
    """Duties; ``role`` 0 = lead, 1 = support; ``scope`` NULL = the unit's own jurisdiction."""

    __tablename__ = "duties"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    unit: Mapped[int] = mapped_column(Integer)
    task: Mapped[int] = mapped_column(Integer)
    role: Mapped[int] = mapped_column(SmallInteger)
    scope: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text)


class DbPerson(Base):
    __tablename__ = "people"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    id: Mapped[str] = mapped_column(Text)
    unit: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(Text)
    grade: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(Text)
    service_start: Mapped[date | None] = mapped_column(Date)
    salary_coefficient: Mapped[float | None] = mapped_column(Double)


class DbPersonAttribute(Base):
    """The extra columns of people, as text, narrow: one row per (attribute, person); "" = absent."""

    __tablename__ = "person_attributes"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    person: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DbResult(Base):
    __tablename__ = "results"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    person: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text)
    target: Mapped[float | None] = mapped_column(Double)
    actual: Mapped[float | None] = mapped_column(Double)
    weight: Mapped[float | None] = mapped_column(Double)


class DbNeighbour(Base):
    __tablename__ = "neighbours"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    a: Mapped[int] = mapped_column(Integer)
    b: Mapped[int] = mapped_column(Integer)
    border_km: Mapped[float | None] = mapped_column(Double)


class DbStandard(Base):
    __tablename__ = "standards"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    level: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text, server_default="")
    unit_class: Mapped[str] = mapped_column(Text, server_default="")
    min_area_km2: Mapped[float | None] = mapped_column(Double)
    min_population: Mapped[float | None] = mapped_column(Double)
    max_units: Mapped[float | None] = mapped_column(Double)


class DbLineage(Base):
    """Lineage edges of a dataset that came out of a plan (unit ids, not positions)."""

    __tablename__ = "lineage"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    idx: Mapped[int] = _idx()
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    operation: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Double)


class DbOutline(Base):
    """A unit's outline as a GeoJSON geometry (lon/lat degrees, as imported from territories.geojson);
    units without one have no row. Read only when a map asks, never by a dataset load."""

    __tablename__ = "outlines"
    __table_args__ = ROW_TABLE_ARGS
    dataset_id: Mapped[int] = _dataset_fk()
    unit: Mapped[int] = mapped_column(Integer, primary_key=True)
    geojson: Mapped[str] = mapped_column(Text)


class DbPlan(Base):
    """One saved version of a named plan, as its JSON, against a baseline dataset version."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    baseline_id: Mapped[int] = mapped_column(Integer, ForeignKey("datasets.id"))
    operations: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text, deferred=True)  # loaded only by load(): it can be MBs


class DbRoadmap(Base):
    """One saved version of the roadmap of a plan (by the plan's name): the roadmap as JSON
    (``reorg.roadmap.Roadmap.to_dict``), against the plan version it was built for."""

    __tablename__ = "roadmaps"
    __table_args__ = (UniqueConstraint("plan_name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_name: Mapped[str] = mapped_column(String(64))
    plan_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    steps: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)


class DbProgressReport(Base):
    """One progress report on a roadmap step of a plan: the share done (0..1) on ``on``, notes and
    indicator values; who sent it (``actor``) and when it was stored. Reports are only added."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_name: Mapped[str] = mapped_column(String(64), index=True)
    step: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200))
    on: Mapped[date] = mapped_column(Date)
    share: Mapped[float] = mapped_column(Double)
    notes: Mapped[str] = mapped_column(Text)
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DbApproval(Base):
    """One approval of a plan version (by the steering committee: an admin or a reviewer); a withdrawn
    approval keeps its row with ``withdrawn_at`` set. At most one approval of a plan version is live."""

    __tablename__ = "plan_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_name: Mapped[str] = mapped_column(String(64), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DbAudit(Base):
    """Who did what when: every write adds one, in the same transaction as the write."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class DbUser(Base):
    """A person who signs in to the web app: ``role`` is one of admin, analyst, reviewer, unit_officer,
    expert; a unit officer's ``scope`` is the id of the unit whose subtree they see and change.
    ``password_hash`` is an argon2 hash (never the password); ``failed_logins`` and ``locked_until``
    throttle password guessing."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DbWebSession(Base):
    """A signed-in browser: ``id`` is the SHA-256 of the cookie's token (the token itself is never
    stored), ``csrf`` the token every state-changing request must echo. Logging out sets ``ended_at``,
    so that a copied cookie stops working at once."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DbConsultation(Base):
    """A consultation round on one version of a plan (``operations``: the chosen operation positions, or
    None for all), for its invited people, until ``deadline``; ``state`` is ``open`` or ``closed``.
    ``weights`` are the group weights of the aggregation; ``results`` the results frozen at closing (JSON)."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_name: Mapped[str] = mapped_column(String(64))
    plan_version: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    operations: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10))
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    results: Mapped[str | None] = mapped_column(Text, nullable=True)


def _consultation_fk() -> Mapped[int]:
    return mapped_column(Integer, ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)


class DbConsultInvite(Base):
    """One invited person of a round, the group their answers count in, and whether they answered."""

    __tablename__ = "consultation_invites"

    consultation_id: Mapped[int] = _consultation_fk()
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    group: Mapped[str] = mapped_column(String(64))
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class DbConsultBallot(Base):
    """Which ballot (a random id) is whose: used while a round is open to keep one ballot per person
    (a repeated answer goes to the same ballot). Never read by the results; the rows of an anonymous
    round are deleted when it closes."""

    __tablename__ = "consultation_ballots"

    consultation_id: Mapped[int] = _consultation_fk()
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    ballot: Mapped[str] = mapped_column(String(32))


class DbConsultAnswer(Base):
    """One answer on a ballot: ``item`` is an operation position (−1 = the whole plan), ``stance`` +1
    agree, −1 disagree, 0 abstain, ``rating`` 1–5 (0 = none), ``seq`` the ballot's submission it came in
    (1, 2, ...), ``late`` whether it came after the deadline, ``at`` when (NULL in anonymous rounds). There
    is no global id: nothing orders one ballot's answers against another's (on SQLite the table is WITHOUT
    ROWID, so rows sit in the order of the random ballot ids, not of their arrival)."""

    __tablename__ = "consultation_answers"
    __table_args__ = ROW_TABLE_ARGS

    consultation_id: Mapped[int] = _consultation_fk()
    ballot: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    item: Mapped[int] = mapped_column(Integer, primary_key=True)
    group: Mapped[str] = mapped_column(String(64))
    stance: Mapped[int] = mapped_column(SmallInteger)
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


#: the per-dataset row tables, in the order an import writes them
ROW_TABLES: tuple[type[Base], ...] = (
    DbLevel,
    DbUnit,
    DbUnitAttribute,
    DbTask,
    DbDuty,
    DbPerson,
    DbPersonAttribute,
    DbResult,
    DbNeighbour,
    DbStandard,
    DbLineage,
    DbOutline,
)
