"""An organizational structure as W3C ORG (https://www.w3.org/TR/vocab-org/): JSON-LD and Turtle.

The mapping (also in docs/report.md, "W3C ORG export"):

- a root unit is an ``org:Organization``, every other unit an ``org:OrganizationalUnit``; the tree is
  ``org:subOrganizationOf`` (to the parent) and ``org:hasSubOrganization`` (to each child);
- a unit's name is its ``skos:prefLabel`` (with a language tag when the names' language is known);
- its level is ``org:classification``, a ``skos:Concept`` ``<base>level:<level>`` labelled with the level;
- each task it leads is an ``org:purpose``, a ``skos:Concept`` ``<base>task:<task id>`` labelled with the
  task's name.

Every IRI is ``base`` followed by a percent-encoded id (RFC 3986 unreserved characters kept, UTF-8 for the
rest), so that no id can break out of an IRI; since ``:`` is encoded in ids, ``level:`` and ``task:``
never collide with a unit. The Turtle is written by hand (no RDF library): literals escape ``\\``, ``"``
and control characters; IRIs percent-encode anything Turtle's IRIREF forbids.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from urllib.parse import quote

from reorg.errors import InputError

__all__ = ["CONTEXT", "OrgStructure", "OrgUnit", "check_base", "to_jsonld", "to_jsonld_text", "to_turtle"]

ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: the JSON-LD context of the export
CONTEXT = {"org": ORG, "skos": SKOS}
#: characters Turtle's IRIREF forbids (besides those up to U+0020)
IRI_FORBIDDEN = frozenset('<>"{}|^`\\')


@dataclasses.dataclass(frozen=True)
class OrgUnit:
    """One unit: ``parent`` is the parent unit's id (None for a root); ``purposes`` the (task id, task
    name) pairs of the tasks it leads."""

    id: str
    name: str
    level: str
    parent: str | None
    purposes: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class OrgStructure:
    """The units of one structure, in tree order; ``lang`` is the language of the names ("" = unknown)."""

    units: tuple[OrgUnit, ...]
    lang: str = ""


def check_base(base: str) -> str:
    """``base`` when it is usable as the start of every IRI (an absolute IRI with a scheme, nothing Turtle
    forbids in an IRI); InputError else."""
    bad = [c for c in base if c in IRI_FORBIDDEN or ord(c) <= 0x20]
    if bad or ":" not in base or not base.split(":", 1)[0].isalnum():
        raise InputError(
            "setting org_base_iri", "an absolute IRI such as urn:reorg:plan: or https://…/", value=base
        )
    return base


def _pct(value: str) -> str:
    return quote(value, safe="-._~")


def _iri(text: str) -> str:
    """``text`` as a Turtle IRIREF: what IRIREF forbids is percent-encoded (a checked base and encoded ids
    never hold any; this is the last guard)."""
    return "<" + "".join(_pct(c) if c in IRI_FORBIDDEN or ord(c) <= 0x20 else c for c in text) + ">"


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _literal(text: str, lang: str = "") -> str:
    """``text`` as a Turtle string literal (with ``@lang`` when given)."""
    body = "".join(
        _ESCAPES.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text
    )
    return f'"{body}"' + (f"@{lang}" if lang else "")


def _iris(structure: OrgStructure, base: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Unit id -> IRI, level -> IRI, task id -> IRI."""
    units = {u.id: base + _pct(u.id) for u in structure.units}
    levels = {u.level: base + "level:" + _pct(u.level) for u in structure.units}
    tasks = {t: base + "task:" + _pct(t) for u in structure.units for t, _ in u.purposes}
    return units, levels, tasks


def _children(structure: OrgStructure) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for u in structure.units:
        if u.parent is not None:
            out.setdefault(u.parent, []).append(u.id)
    return out


def to_jsonld(structure: OrgStructure, *, base: str) -> dict[str, Any]:
    """The structure as a JSON-LD document (``@context`` and ``@graph``)."""
    check_base(base)
    units, levels, tasks = _iris(structure, base)
    kids = _children(structure)

    def label(text: str) -> dict[str, str]:
        return {"@value": text, "@language": structure.lang} if structure.lang else {"@value": text}

    graph: list[dict[str, Any]] = []
    task_names: dict[str, str] = {}
    for u in structure.units:
        node: dict[str, Any] = {
            "@id": units[u.id],
            "@type": "org:Organization" if u.parent is None else "org:OrganizationalUnit",
            "skos:prefLabel": label(u.name),
            "skos:notation": u.id,
            "org:classification": {"@id": levels[u.level]},
        }
        if u.parent is not None:
            node["org:subOrganizationOf"] = {"@id": units[u.parent]}
        if u.id in kids:
            node["org:hasSubOrganization"] = [{"@id": units[k]} for k in kids[u.id]]
        if u.purposes:
            node["org:purpose"] = [{"@id": tasks[t]} for t, _ in u.purposes]
            task_names.update(u.purposes)
        graph.append(node)
    for level, iri in levels.items():
        graph.append({"@id": iri, "@type": "skos:Concept", "skos:prefLabel": {"@value": level}})
    for task, iri in tasks.items():
        graph.append({"@id": iri, "@type": "skos:Concept", "skos:prefLabel": label(task_names[task])})
    return {"@context": dict(CONTEXT), "@graph": graph}


def to_jsonld_text(structure: OrgStructure, *, base: str) -> str:
    """The JSON-LD document as UTF-8 text."""
    return json.dumps(to_jsonld(structure, base=base), ensure_ascii=False, indent=1) + "\n"


def to_turtle(structure: OrgStructure, *, base: str) -> str:
    """The structure as Turtle text."""
    check_base(base)
    units, levels, tasks = _iris(structure, base)
    kids = _children(structure)
    lang = structure.lang
    lines = [f"@prefix org: {_iri(ORG)} .", f"@prefix skos: {_iri(SKOS)} .", ""]
    task_names: dict[str, str] = {}
    for u in structure.units:
        kind = "org:Organization" if u.parent is None else "org:OrganizationalUnit"
        facts = [
            f"a {kind}",
            f"skos:prefLabel {_literal(u.name, lang)}",
            f"skos:notation {_literal(u.id)}",
            f"org:classification {_iri(levels[u.level])}",
        ]
        if u.parent is not None:
            facts.append(f"org:subOrganizationOf {_iri(units[u.parent])}")
        if u.id in kids:
            facts.append("org:hasSubOrganization " + ", ".join(_iri(units[k]) for k in kids[u.id]))
        if u.purposes:
            facts.append("org:purpose " + ", ".join(_iri(tasks[t]) for t, _ in u.purposes))
            task_names.update(u.purposes)
        lines.append(_iri(units[u.id]) + " " + " ;\n    ".join(facts) + " .")
    for level, iri in levels.items():
        lines.append(f"{_iri(iri)} a skos:Concept ; skos:prefLabel {_literal(level)} .")
    for task, iri in tasks.items():
        lines.append(f"{_iri(iri)} a skos:Concept ; skos:prefLabel {_literal(task_names[task], lang)} .")
    return "\n".join(lines) + "\n"
