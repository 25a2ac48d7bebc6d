"""An Apparatus laid out as the files of a bundle: per file, typed columns ready to be written.

Row references become ids again. Empty tables are left out (a present file must hold rows), and so
are optional columns with no value at all; unit attributes are always kept, so that they survive a
round trip even when empty.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.io.schema import FILES
from reorg.model import ROLES, Apparatus

__all__ = ["Column", "Kind", "layout"]

Kind = Literal["text", "number", "date", "flag"]


@dataclasses.dataclass(frozen=True, eq=False)
class Column:
    """One column to write: its header, how its values are written, the values (numpy array)."""

    name: str
    kind: Kind
    values: npt.NDArray[np.generic]

    def empty(self) -> bool:
        """No value at all: every text empty, every number NaN, every date NaT."""
        v = self.values
        if self.kind == "text":
            return not any(v.tolist())
        if self.kind == "number":
            return bool(np.isnan(v).all())
        if self.kind == "date":
            return bool(np.isnat(v).all())
        return False


def _ids(ids: npt.NDArray[np.object_], rows: npt.NDArray[np.int32]) -> npt.NDArray[np.object_]:
    """The ids at ``rows``, "" where a row is -1."""
    padded = np.empty(len(ids) + 1, dtype=object)
    padded[:-1] = ids
    padded[-1] = ""
    return padded[rows]


def _text(values: list[str]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _tables(app: Apparatus) -> dict[str, list[Column]]:
    u, lv, t, d, p, r, n, s = (
        app.units,
        app.levels,
        app.tasks,
        app.duties,
        app.people,
        app.results,
        app.neighbours,
        app.standards,
    )
    units = [
        Column("id", "text", u.id),
        Column("name", "text", u.name),
        Column("level", "text", lv.name[u.level]),
        Column("kind", "text", u.kind),
        Column("parent_id", "text", _ids(u.id, u.parent)),
        *(Column(c, "number", getattr(u, c)) for c in ("quota", "area_km2", "population", "lat", "lon")),
    ]
    roles = np.array(ROLES, dtype=object)
    lineage = app.lineage
    return {
        "levels": [
            Column("level", "text", lv.name),
            Column("rank", "number", lv.rank.astype(np.float64)),
            Column("territorial", "flag", lv.territorial),
        ],
        "units": units,
        "tasks": [
            Column("id", "text", t.id),
            Column("name", "text", t.name),
            Column("field", "text", t.field),
            Column("parent_id", "text", _ids(t.id, t.parent)),
            Column("legal_basis", "text", t.legal_basis),
        ],
        "duties": [
            Column("unit_id", "text", u.id[d.unit]),
            Column("task_id", "text", t.id[d.task]),
            Column("role", "text", roles[d.role]),
            Column("scope", "text", _ids(u.id, d.scope)),
            Column("legal_basis", "text", d.legal_basis),
        ],
        "people": [
            Column("id", "text", p.id),
            Column("unit_id", "text", u.id[p.unit]),
            Column("position", "text", p.position),
            Column("grade", "text", p.grade),
            Column("birth_date", "date", p.birth_date),
            Column("gender", "text", p.gender),
            Column("service_start", "date", p.service_start),
            Column("salary_coefficient", "number", p.salary_coefficient),
        ],
        "results": [
            Column("person_id", "text", p.id[r.person]),
            Column("period", "text", r.period),
            Column("indicator", "text", r.indicator),
            Column("target", "number", r.target),
            Column("actual", "number", r.actual),
            Column("weight", "number", r.weight),
        ],
        "neighbours": [
            Column("a", "text", u.id[n.a]),
            Column("b", "text", u.id[n.b]),
            Column("border_km", "number", n.border_km),
        ],
        "standards": [
            Column("level", "text", lv.name[s.level]),
            Column("min_area_km2", "number", s.min_area_km2),
            Column("min_population", "number", s.min_population),
            Column("max_units", "number", s.max_units),
        ],
        "lineage": [
            Column("source", "text", _text([e.source for e in lineage])),
            Column("target", "text", _text([e.target for e in lineage])),
            Column("kind", "text", _text([e.kind for e in lineage])),
            Column("operation", "number", np.array([e.operation for e in lineage], dtype=np.float64)),
            Column("share", "number", np.array([e.share for e in lineage], dtype=np.float64)),
        ],
    }


def layout(app: Apparatus) -> dict[str, list[Column]]:
    """Per file stem (in writing order), the columns to write; empty tables are absent."""
    out: dict[str, list[Column]] = {}
    for stem, columns in _tables(app).items():
        spec = FILES[stem]
        if len(columns[0].values) == 0:
            continue
        kept = [c for c in columns if c.name in spec.required or not c.empty()]
        if stem == "units":
            for name, values in app.units.attributes.items():
                if name in spec.columns:
                    raise InputError(
                        "units.csv", "attribute names other than the standard columns", column=name
                    )
                kept.append(Column(name, "number", values))
        out[stem] = kept
    return out
