"""Datasets: named, versioned, immutable apparatuses. Importing a name again adds version n+1.

Datasets and plans share one namespace, so that a name given on a command line or in a URL is never
ambiguous. Methods are keyword-only and only flush; the unit of work commits.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus, DatasetInfo
from reorg.progress import Progress
from reorg.store.models import ROW_TABLES, DbDataset, DbOutline, DbPlan, DbUnit
from reorg.store.names import check_name
from reorg.store.read import read_apparatus
from reorg.store.records import DatasetRecord, utc
from reorg.store.write import write_outlines, write_rows

if TYPE_CHECKING:
    from reorg.store.unit_of_work import UnitOfWork

__all__ = ["DatasetRepository", "known_names"]

#: how many known names a NotFoundError lists
SHOWN_NAMES = 8


def known_names(uow: UnitOfWork) -> list[str]:
    """Every dataset and plan name, sorted."""
    query = select(DbDataset.name).union(select(DbPlan.name))
    return sorted(uow.session.scalars(query).all())


def not_found(uow: UnitOfWork, what: str, name: str) -> NotFoundError:
    """``no dataset 'x' (known: a, b, ...)``."""
    known = known_names(uow)
    shown = ", ".join(known[:SHOWN_NAMES]) + (", ..." if len(known) > SHOWN_NAMES else "")
    return NotFoundError(f"no {what} {name!r} (known: {shown or 'none yet'})")


def record_of(row: DbDataset) -> DatasetRecord:
    info = DatasetInfo(row.title, row.description, row.source, tuple(row.synthetic))
    return DatasetRecord(row.name, row.version, utc(row.created_at), dict(row.counts), info)


class DatasetRepository:
    """The datasets of a unit of work's database."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def row(self, *, name: str, version: int | None = None) -> DbDataset:
        """The stored row of a dataset version (the newest when ``version`` is None)."""
        found = self._find(name, version)
        if found is None:
            raise not_found(self._uow, "dataset", name)
        return found

    def _find(self, name: str, version: int | None) -> DbDataset | None:
        """The row, or None when no dataset has ``name`` (a missing version of one that exists is a
        NotFoundError): one query in the usual case."""
        query = select(DbDataset).where(DbDataset.name == name)
        if version is not None:
            query = query.where(DbDataset.version == version)
        found = self._uow.session.scalars(query.order_by(DbDataset.version.desc()).limit(1)).first()
        if found is None and version is not None and self.exists(name=name):
            raise NotFoundError(f"dataset {name!r} has no version {version}")
        return found

    def find(self, *, name: str, version: int | None = None) -> DatasetRecord | None:
        """The record of a dataset version (the newest when ``version`` is None), or None when no
        dataset has that name."""
        found = self._find(name, version)
        return None if found is None else record_of(found)

    def exists(self, *, name: str) -> bool:
        query = select(DbDataset.id).where(DbDataset.name == name).limit(1)
        return self._uow.session.scalar(query) is not None

    def get(self, *, name: str, version: int | None = None) -> DatasetRecord:
        """The record of a dataset version (the newest when ``version`` is None)."""
        return record_of(self.row(name=name, version=version))

    def list(self, *, name: str | None = None) -> builtins.list[DatasetRecord]:
        """Every stored version of every dataset (or of ``name``): by name, newest version first."""
        query = select(DbDataset)
        if name is not None:
            query = query.where(DbDataset.name == name)
        rows = self._uow.session.scalars(query.order_by(DbDataset.name, DbDataset.version.desc())).all()
        return [record_of(r) for r in rows]

    def load(self, *, name: str, version: int | None = None, progress: Progress | None = None) -> Apparatus:
        """A dataset version (the newest when ``version`` is None) as an Apparatus."""
        found = self.row(name=name, version=version)
        return read_apparatus(
            self._uow.session.connection(), found.id, found.counts, record_of(found).info, progress
        )

    def outlines(self, *, name: str, version: int | None = None) -> dict[str, str]:
        """The stored outlines of a dataset version (the newest when ``version`` is None): unit id ->
        GeoJSON geometry text; units without an outline are absent."""
        found = self.row(name=name, version=version)
        query = (
            select(DbUnit.id, DbOutline.geojson)
            .join(DbUnit, (DbUnit.dataset_id == DbOutline.dataset_id) & (DbUnit.idx == DbOutline.unit))
            .where(DbOutline.dataset_id == found.id)
            .order_by(DbOutline.unit)
        )
        return {str(uid): str(text) for uid, text in self._uow.session.execute(query)}

    def create(
        self,
        app: Apparatus,
        *,
        name: str,
        outlines: Mapping[str, str] | None = None,
        progress: Progress | None = None,
    ) -> DatasetRecord:
        """Store ``app`` as the next version of dataset ``name``, with its audit entry; ``outlines``
        (unit id -> GeoJSON geometry text, as ``reorg.io.load_bundle`` gives them) are kept beside it;
        an id that is no unit of ``app`` is an InputError."""
        check_name(name, "dataset name")
        uow, session = self._uow, self._uow.session
        uow.writing(name, f"the import of {name}")
        if session.scalar(select(DbPlan.id).where(DbPlan.name == name).limit(1)) is not None:
            raise InputError("name", "a name not already used by a plan", value=name)
        latest = session.scalar(select(func.max(DbDataset.version)).where(DbDataset.name == name))
        counts = {**app.counts(), "lineage": len(app.lineage)}
        info = app.info
        row = DbDataset(
            name=name,
            version=(latest or 0) + 1,
            created_at=datetime.now(UTC),
            title=info.name,
            description=info.description,
            source=info.source,
            synthetic=list(info.synthetic),
            counts=counts,
        )
        session.add(row)
        session.flush()
        write_rows(session.connection(), row.id, app, progress)
        if outlines:
            index = app.units.index
            unknown = sorted(set(outlines) - set(index))
            if unknown:
                raise InputError("outlines", "outlines of units of the dataset", value=unknown[0])
            rows = {index[uid]: text for uid, text in outlines.items()}
            write_outlines(session.connection(), row.id, rows)
        uow.audit.record(
            action="import", target=f"{name}@{row.version}", detail={"version": row.version, "counts": counts}
        )
        return record_of(row)

    def delete(self, *, name: str, version: int | None = None) -> builtins.list[DatasetRecord]:
        """Delete every version of ``name`` (or one ``version``) with all its rows; refused (InputError)
        while a stored plan is saved against a deleted version (delete those plans first)."""
        uow, session = self._uow, self._uow.session
        uow.writing(name, f"deleting {name}")
        rows = [self.row(name=name, version=version)] if version is not None else self._rows(name)
        if not rows:
            raise not_found(uow, "dataset", name)
        ids = [r.id for r in rows]
        dependent = session.scalars(select(DbPlan.name).where(DbPlan.baseline_id.in_(ids)).distinct()).all()
        if dependent:
            raise InputError(
                "dataset",
                f"no stored plan saved against it; plans {', '.join(sorted(dependent))} depend on it "
                "(delete them first, or use --cascade)",
                value=name,
            )
        records = [record_of(r) for r in rows]
        for table in ROW_TABLES:
            session.execute(delete(table).where(table.dataset_id.in_(ids)))  # type: ignore[attr-defined]
        session.execute(delete(DbDataset).where(DbDataset.id.in_(ids)))
        for r in records:
            uow.audit.record(
                action="delete_dataset", target=f"{r.name}@{r.version}", detail={"counts": dict(r.counts)}
            )
        return records

    def _rows(self, name: str) -> builtins.list[DbDataset]:
        query = select(DbDataset).where(DbDataset.name == name).order_by(DbDataset.version.desc())
        return list(self._uow.session.scalars(query).all())
