"""The schema comes from the migrations, matches the models, and is upgraded on open."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from same_apparatus import assert_same_apparatus
from sqlalchemy import Connection, create_engine, insert, inspect, text
from store_kit import create_dataset, load_dataset

from reorg.datasets.synthetic import generate
from reorg.errors import InputError, StoreError
from reorg.model import Apparatus, Standards
from reorg.model.columns import empty
from reorg.model.tables import text_column
from reorg.store import Database, write
from reorg.store.migrate import alembic_config, current_revision, head_revision
from reorg.store.models import Base, DbDataset


def test_migrated_schema_matches_models(db_url: str) -> None:
    """A fresh database is migrated to head, and autogenerate finds nothing to change."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_sqlite_row_tables_without_rowid(tmp_path: Path) -> None:
    """On SQLite the row tables keep rows in (dataset_id, idx) order: they are WITHOUT ROWID tables."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    Database(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'people'"))
    engine.dispose()
    assert sql is not None
    assert "WITHOUT ROWID" in sql


def test_old_database_upgraded(db_url: str, tiny: Apparatus) -> None:
    """A database whose schema is older than head (here: emptied back to base) is brought up to head."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
        assert current_revision(conn) is None
        assert "datasets" not in inspect(conn).get_table_names()
    with Database(db_url) as store:
        create_dataset(store, tiny, name="tiny")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()


def test_newer_database_refused(db_url: str) -> None:
    """A database at a revision this reorg does not know is refused with a StoreError."""
    Database(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"'f00dfeed'.*newer reorg"):
        Database(db_url)


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db", "oracle://h/db"])
def test_bad_url(url: str) -> None:
    """A URL that is not SQLite or PostgreSQL is an InputError."""
    with pytest.raises(InputError, match="database URL"):
        Database(url)


def test_unopenable_database(tmp_path: Path) -> None:
    """A database that cannot be opened is a StoreError naming it."""
    with pytest.raises(StoreError, match="missing"):
        Database(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")


def _write_old(conn: Connection, dataset_id: int, app: Apparatus) -> None:
    """The rows of ``app`` as an import wrote them before revision 0005: standards without kind or
    class, levels without the attached flag (the writer of that time knew no such column)."""
    old = tuple(
        dataclasses.replace(spec, columns=tuple(c for c in spec.columns if c[0] != "attached"))
        for spec in write.SPECS
    )
    with mock.patch.object(write, "SPECS", old):
        write.write_rows(conn, dataset_id, dataclasses.replace(app, standards=empty(Standards)))
    _old_standards(conn, dataset_id, app.standards)


def _old_standards(conn: Connection, dataset_id: int, standards: Standards) -> None:
    """Write ``standards`` (every row of any kind and class) as a database before revision 0005 held
    them: without the kind and class columns."""
    sql = text(
        "INSERT INTO standards (dataset_id, idx, level, min_area_km2, min_population, max_units) "
        "VALUES (:d, :i, :level, :area, :pop, :max)"
    )
    for i in range(len(standards)):
        values = [standards.min_area_km2[i], standards.min_population[i], standards.max_units[i]]
        area, pop, cap = (None if np.isnan(v) else float(v) for v in values)
        conn.execute(
            sql,
            {"d": dataset_id, "i": i, "level": int(standards.level[i]), "area": area, "pop": pop, "max": cap},
        )


def test_standards_stored_before_0005_apply_to_every_kind(db_url: str) -> None:
    """Standards rows stored at revision 0003 (before kinds and classes) are upgraded to rows of any
    kind and any class: the dataset loads unchanged, and a dataset with kinds is stored beside it."""
    app = generate(units=40, tasks=6, duties=60, people=50, results_per_person=0, seed=3)
    assert len(app.standards)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0003")
        conn.commit()
        row = conn.execute(
            insert(DbDataset).values(
                name="old",
                version=1,
                created_at=datetime.now(UTC),
                title=app.info.name,
                description=app.info.description,
                source=app.info.source,
                synthetic=list(app.info.synthetic),
                counts={**app.counts(), "lineage": len(app.lineage)},
            )
        )
        (dataset_id,) = row.inserted_primary_key or (None,)
        assert dataset_id is not None
        _write_old(conn, dataset_id, app)
        conn.commit()
    with Database(db_url) as db:
        loaded = load_dataset(db, "old")
        assert_same_apparatus(app, loaded)
        assert set(loaded.standards.kind.tolist()) == {""} == set(loaded.standards.unit_class.tolist())
        kinds = text_column(["ward"] + [""] * (len(app.standards) - 1))
        classes = text_column([""] * (len(app.standards) - 1) + ["island"])
        create_dataset(
            db,
            dataclasses.replace(
                app, standards=dataclasses.replace(app.standards, kind=kinds, unit_class=classes)
            ),
            name="new",
        )
        new = load_dataset(db, "new").standards
        assert new.kind.tolist() == kinds.tolist()
        assert new.unit_class.tolist() == classes.tolist()
    engine.dispose()


def test_dataset_stored_at_0001_survives_the_upgrade(db_url: str) -> None:
    """A database created at revision 0001 and holding a dataset (every table, unit attributes,
    lineage) is upgraded to head when reorg opens it; the dataset loads unchanged, and person
    attributes can be stored beside it afterwards."""
    app = generate(units=80, tasks=12, duties=300, people=400, results_per_person=1, seed=11)
    assert app.units.attributes
    assert not app.people.attributes
    engine = create_engine(db_url)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.commit()
        assert "person_attributes" not in inspect(conn).get_table_names()
        # what an import did at 0001: the dataset row, then its rows (no person attributes existed)
        row = conn.execute(
            insert(DbDataset).values(
                name="old",
                version=1,
                created_at=datetime.now(UTC),
                title=app.info.name,
                description=app.info.description,
                source=app.info.source,
                synthetic=list(app.info.synthetic),
                counts={**app.counts(), "lineage": len(app.lineage)},
            )
        )
        (dataset_id,) = row.inserted_primary_key or (None,)
        assert dataset_id is not None
        _write_old(conn, dataset_id, app)  # no kinds of standards (0005), no attached levels (0009)
        conn.commit()
    with Database(db_url) as db:
        old = load_dataset(db, "old")
        assert_same_apparatus(app, old)
        assert not old.levels.attached.any()
        codes = text_column([f"{k:03d}" if k % 3 else "" for k in range(len(app.people))])
        people = dataclasses.replace(app.people, attributes={"badge": codes})
        create_dataset(db, dataclasses.replace(app, people=people), name="new")
        assert load_dataset(db, "new").people.attributes["badge"].tolist() == codes.tolist()
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert "person_attributes" in inspect(conn).get_table_names()
    engine.dispose()
