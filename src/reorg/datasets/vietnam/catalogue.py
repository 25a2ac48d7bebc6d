"""The small hand-made tables of the Vietnam dataset (``data/*.csv``), read once.

- ``bodies.csv``: the Government's 30 bodies before 1 March 2025 (18 ministries, 4 ministerial-level
  agencies, 8 government agencies), with their functions decree and citation keys.
- ``national_tasks.csv``: their state-management fields (Art. 1 of each functions decree, where it was
  retrieved), the lead body and supporting bodies, legal basis, citation keys, confidence S/M/U.
- ``departments.csv`` / ``district_offices.csv``: the generic provincial departments and district
  offices, each mirroring one or more central bodies (a modelling assumption).
- ``local_tasks.csv``: the local tasks and the level that leads them (province, district, both, or
  commune; a modelling assumption), each the local share of one national field.
- ``reform_2025.csv``: the 2025 central mergers, dissolutions and function transfers, with sources.
- ``political_bodies.csv``: the central bodies of the other branches before 2025 (Party commissions,
  Office and committees; the National Assembly's council, committees and boards; the Fatherland Front
  and the mass organisations), each with its level, kind, legal basis, citation keys and confidence.
- ``political_tasks.csv``: their fields (named after the body where the reference gives no list: [U]),
  and the tasks of the local Party and Front committees (``level`` instead of a lead body).
- ``political_reform_2025.csv``: their 2025 changes in date order (create, merge, dissolve, transfer,
  rename, move), with the decision and citation keys.
- ``shared_leads.csv``: the leads of one field by bodies of different branches that the reform ended
  (a modelling assumption of overlap, each with the decision that ended it).
- ``provinces_2025.csv``: the 34 new provinces with official area and population and their sources.

Citation keys refer to the sources listed in this package's README.md.
"""

from __future__ import annotations

import csv
import dataclasses
from functools import lru_cache
from importlib import resources

__all__ = [
    "Body",
    "Catalogue",
    "Change",
    "Department",
    "LocalTask",
    "NationalTask",
    "NewProvince",
    "PoliticalBody",
    "SharedLead",
    "load",
]


@dataclasses.dataclass(frozen=True)
class Body:
    id: str
    name: str
    name_en: str
    kind: str
    legal_basis: str
    sources: str
    confidence: str


@dataclasses.dataclass(frozen=True)
class PoliticalBody:
    """A central body of the Party, the National Assembly or the Fatherland Front; ``level`` is its
    level (``party_central``, ``na_body``, ``front_central``, ``mass_org``), ``parent`` its parent."""

    id: str
    name: str
    name_en: str
    level: str
    kind: str
    parent: str
    legal_basis: str
    sources: str
    confidence: str


@dataclasses.dataclass(frozen=True)
class NationalTask:
    """A field led by one central body for the whole country; a task of local Party or Front
    committees has no ``lead`` and names the ``level`` of the committees that lead it instead."""

    id: str
    name: str
    name_en: str
    lead: str
    supports: tuple[str, ...]
    legal_basis: str
    sources: str
    confidence: str
    level: str = ""


@dataclasses.dataclass(frozen=True)
class SharedLead:
    """One more lead of ``task`` by ``unit``: an overlap across branches that the reform ended."""

    task: str
    unit: str
    legal_basis: str
    sources: str
    confidence: str


@dataclasses.dataclass(frozen=True)
class Department:
    """A provincial department or district office type; ``mirrors`` names the central bodies."""

    id: str
    name: str
    mirrors: tuple[str, ...]
    in_2024: bool = True


@dataclasses.dataclass(frozen=True)
class LocalTask:
    """``level`` is province, district, both (province and district lead it: a duplication) or commune;
    ``field`` is the national task it is the local share of."""

    id: str
    name: str
    name_en: str
    field: str
    level: str
    department: str
    district_office: str


@dataclasses.dataclass(frozen=True)
class Change:
    """One row of the 2025 central reform: ``op`` is create, merge, dissolve, transfer, rename or move
    (``target`` = the new parent); ``date`` the day it took effect (ISO), ``level`` that of a created
    unit (empty: ministry)."""

    op: str
    units: tuple[str, ...]
    target: str
    name: str
    kind: str
    task: str
    legal_basis: str
    sources: str
    date: str = ""
    level: str = ""


@dataclasses.dataclass(frozen=True)
class NewProvince:
    key: str
    name: str
    merged_from: str
    area_km2: float
    area_source: str
    population: int
    population_source: str


@dataclasses.dataclass(frozen=True)
class Catalogue:
    bodies: tuple[Body, ...]
    national_tasks: tuple[NationalTask, ...]
    departments: tuple[Department, ...]
    district_offices: tuple[Department, ...]
    local_tasks: tuple[LocalTask, ...]
    reform: tuple[Change, ...]
    provinces_2025: tuple[NewProvince, ...]
    political_bodies: tuple[PoliticalBody, ...] = ()
    political_tasks: tuple[NationalTask, ...] = ()
    political_reform: tuple[Change, ...] = ()
    shared_leads: tuple[SharedLead, ...] = ()

    def changes(self) -> tuple[Change, ...]:
        """Every central change of 2025, the Government's and the other branches', by date (stable)."""
        return tuple(sorted((*self.reform, *self.political_reform), key=lambda c: c.date))


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("reorg.datasets.vietnam").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _tasks(name: str) -> tuple[NationalTask, ...]:
    return tuple(
        NationalTask(
            r["id"],
            r["name"],
            r["name_en"],
            r["lead"],
            _words(r["supports"]),
            r["legal_basis"],
            r["sources"],
            r["confidence"],
            r.get("level", ""),
        )
        for r in _rows(name)
    )


def _changes(name: str) -> tuple[Change, ...]:
    return tuple(
        Change(
            r["op"],
            _words(r["units"]),
            r["target"],
            r["name"],
            r["kind"],
            r["task"],
            r["legal_basis"],
            r["sources"],
            r["date"],
            r.get("level", ""),
        )
        for r in _rows(name)
    )


@lru_cache(maxsize=1)
def load() -> Catalogue:
    """All the tables (read once per process)."""
    bodies = tuple(Body(**r) for r in _rows("bodies.csv"))
    tasks = _tasks("national_tasks.csv")
    departments = tuple(
        Department(r["id"], r["name"], _words(r["mirrors"]), r["in_2024"] == "yes")
        for r in _rows("departments.csv")
    )
    offices = tuple(
        Department(r["id"], r["name"], _words(r["mirrors"])) for r in _rows("district_offices.csv")
    )
    local = tuple(LocalTask(**r) for r in _rows("local_tasks.csv"))
    reform = _changes("reform_2025.csv")
    provinces = tuple(
        NewProvince(
            key=r["key"],
            name=r["name"],
            merged_from=r["merged_from"],
            area_km2=float(r["area_km2"]) if r["area_km2"] else float("nan"),
            area_source=r["area_source"],
            population=int(r["population"]),
            population_source=r["population_source"],
        )
        for r in _rows("provinces_2025.csv")
    )
    return Catalogue(
        bodies,
        tasks,
        departments,
        offices,
        local,
        reform,
        provinces,
        political_bodies=tuple(PoliticalBody(**r) for r in _rows("political_bodies.csv")),
        political_tasks=_tasks("political_tasks.csv"),
        political_reform=_changes("political_reform_2025.csv"),
        shared_leads=tuple(SharedLead(**r) for r in _rows("shared_leads.csv")),
    )
